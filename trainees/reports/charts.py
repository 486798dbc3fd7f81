"""Server-drawn SVG charts (pygal) of breakdown tables: readable without JavaScript.

pygal's interactive script is off (``js=[]``) so nothing is loaded from another site; the
chart carries a title and description and the same numbers are in the table beside it.
"""

from __future__ import annotations

import re

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#5a6572",
    colors=("#0b4f8a",),
    font_family="system-ui, sans-serif",
)

#: Charts show at most this many rows (the table beside shows all of them).
CHART_ROWS_MAX = 20


def breakdown_svg(*, title: str, rows, description: str = "") -> str:
    """An inline ``<svg>`` bar chart of ``rows`` (:class:`Row` list), or "" when empty."""
    rows = list(rows)[:CHART_ROWS_MAX]
    if not rows:
        return ""
    chart = pygal.HorizontalBar(
        style=_STYLE,
        js=[],
        show_legend=False,
        width=640,
        height=max(160, 28 * len(rows) + 80),
        print_values=True,
        print_values_position="top",
        disable_xml_declaration=True,
        explicit_size=False,
        truncate_label=28,
        title=None,
    )
    chart.x_labels = [row.label for row in reversed(rows)]
    chart.add(title, [row.count for row in reversed(rows)])
    # pygal still writes its config as an inline script: not needed without its JS.
    svg = re.sub(r"<script[^>]*>.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    description = description or ", ".join(f"{r.label}: {r.count}" for r in rows)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet" ',
        1,
    )
    # The accessible name and description as the SVG's own first children.
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end]
        + f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + svg[head_end:]
    )
    return mark_safe(svg)  # noqa: S308 - pygal escapes labels; ours are escaped above
