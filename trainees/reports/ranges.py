"""How a figure's range reads on every screen and in every file (issue 11, item 6).

"1,469 (between 1,431 and 1,469, expected 1,452; 38 pairs awaiting review)": the figure
as it stands, the lowest it could fall to if every pair awaiting review among its people
were merged, and the model's expected count (``trainees.selectors.counting.uncertainty``).
A figure with no pair waiting among its people is shown alone.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trainees.selectors.counting import CountRange


def range_of(item) -> CountRange | None:
    """The range of a headline, a breakdown row, a table (its total) or a range itself."""
    if item is None or isinstance(item, CountRange):
        return item
    if hasattr(item, "total_range"):
        return item.total_range
    if hasattr(item, "range"):
        return item.range
    if getattr(item, "lowest", None) is not None:
        return CountRange(
            standing=item.count, lowest=item.lowest, expected=item.expected, pairs=item.pairs
        )
    if isinstance(item, dict) and item.get("lowest") is not None:
        standing = item.get("value", item.get("count", item.get("total")))
        return CountRange(
            standing=standing,
            lowest=item["lowest"],
            expected=item["expected"],
            pairs=item.get("pairs_pending", 0),
        )
    return None


def number(value) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def expected_text(found: CountRange) -> str:
    """The expected count: whole people, one decimal for a small figure (1.1 of 2)."""
    decimals = 0 if found.standing >= 100 or float(found.expected).is_integer() else 1
    return number_format(found.expected, decimal_pos=decimals, force_grouping=True)


def range_note(found: CountRange | None) -> str:
    """ "between 1,431 and 1,469, expected 1,452; 38 pairs awaiting review" (empty when no
    pair waits among the figure's people)."""
    if found is None or not found.uncertain:
        return ""
    pairs = ngettext(
        "%(pairs)s pair awaiting review", "%(pairs)s pairs awaiting review", found.pairs
    ) % {"pairs": number(found.pairs)}
    return _("between %(lowest)s and %(standing)s, expected %(expected)s; %(pairs)s") % {
        "lowest": number(found.lowest),
        "standing": number(found.standing),
        "expected": expected_text(found),
        "pairs": pairs,
    }


def figure_text(value: int, found: CountRange | None) -> str:
    """ "1,469 (between 1,431 and 1,469, expected 1,452; 38 pairs awaiting review)", or
    "1,469" alone."""
    note = range_note(found)
    return f"{number(value)} ({note})" if note else number(value)
