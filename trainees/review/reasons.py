"""The matching engine's reason codes in the reader's language.

The engine keeps reasons as stable codes with parameters and English text; the screens show
them through this table so a French coordinator reads French. An unknown code falls back to
the engine's English text.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

__all__ = ["REASONS", "reason_text"]

REASONS = {
    "identifier_match": _("Same %(type)s: %(value)s."),
    "identifier_conflict": _("Different %(type)s on each record (%(value_a)s / %(value_b)s)."),
    "identifier_split": _("The %(types)s point to different people: %(candidates)s."),
    "identifier_name_mismatch": _(
        "Same %(type)s (%(value)s) but the names do not agree (name similarity %(name_score)s)."
    ),
    "identifier_invalid": _("Ignored %(type)s “%(value)s”: not valid."),
    "phone_shared": _("Same phone number %(value)s (families share phones: never enough alone)."),
    "name_equal": _("Same names."),
    "name_variant": _("Spelling variants of the same name: %(pairs)s."),
    "name_typo": _("Near spellings, probably a typing error: %(pairs)s."),
    "names_swapped": _("Given and family names are swapped on one record."),
    "name_added": _("One record has more names: %(tokens)s."),
    "family_name_added": _("One record has an extra family name: %(tokens)s."),
    "names_differ": _("Different names: %(tokens_a)s / %(tokens_b)s."),
    "single_name_in_common": _("Only one name in common: %(tokens)s."),
    "particle_differs": _("Same name with a different particle: %(pairs)s."),
    "no_name": _("A record has no name."),
    "name_common": ngettext_lazy(
        "%(count)s person in the registry has this name: equal names count for less.",
        "%(count)s people in the registry share this name: equal names count for less.",
        "count",
    ),
    "birth_date_equal": _("Same date of birth %(date)s."),
    "birth_date_transposed": _(
        "Day and month swapped in the dates of birth (%(date_a)s / %(date_b)s)."
    ),
    "birth_date_conflict": _("Different dates of birth (%(date_a)s / %(date_b)s)."),
    "birth_year_equal": _("Same year of birth %(year)s (no full date on at least one record)."),
    "birth_year_close": _("Years of birth one year apart (%(year_a)s / %(year_b)s)."),
    "birth_year_conflict": _("Years of birth too far apart (%(year_a)s / %(year_b)s)."),
    "birth_unknown": _("No year of birth on at least one record."),
    "sex_equal": _("Same sex."),
    "sex_conflict": _("Different sex recorded (%(sex_a)s / %(sex_b)s)."),
    "organisation_equal": _("Same organisation: %(organisation)s."),
    "above_link_threshold": _("Score %(score)s reaches the link threshold %(threshold)s."),
    "review_band": _(
        "Score %(score)s is between the review (%(review)s) and link (%(link)s) thresholds."
    ),
    "below_review_threshold": _(
        "Best score %(score)s is below the review threshold %(threshold)s."
    ),
    "namesakes": ngettext_lazy(
        "%(count)s person in the registry has this name, but nothing else (birth date, "
        "identifier, phone) shows whether this is them.",
        "%(count)s people in the registry have this name, but nothing else (birth date, "
        "identifier, phone) shows which one, if any, this is.",
        "count",
    ),
    "no_candidate": _("No one in the registry shares a name block or an identifier."),
    "ambiguous_candidates": _("Several people reach the link threshold: %(candidates)s."),
    "batch_conflict": _("Rows that are one person link to different registry people: %(persons)s."),
    "batch_duplicate": _("The same person appears %(count)s times in this file (rows %(rows)s)."),
    "candidate_has_account": _("The matching person already has another account."),
}


def _shown(value) -> str:
    if isinstance(value, float):
        # Scores and thresholds with the locale's decimal separator, as the screens show them.
        from django.utils.formats import number_format

        return number_format(value, decimal_pos=2)
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, str):
        from trainees.models import IdentifierType

        labels = dict(IdentifierType.choices)
        if value in labels:
            return str(labels[value])
    return str(value)


#: "namesakes" for a row whose birth date or year matched none of the people of that name.
NAMESAKES_BORN_APART = ngettext_lazy(
    "%(count)s person in the registry has this name, but was not born when this person was.",
    "%(count)s people in the registry have this name, but none was born when this person was.",
    "count",
)


def reason_text(reason: dict) -> str:
    """One reason dict ``{"code", "text", "params"}`` as a sentence in the active language."""
    template = REASONS.get(reason.get("code", ""))
    if reason.get("code") == "namesakes" and (reason.get("params") or {}).get("born"):
        template = NAMESAKES_BORN_APART
    if template is None:
        return str(reason.get("text") or reason.get("code") or "")
    params = {
        # Counts stay numbers: a plural sentence picks its form from them.
        k: v if isinstance(v, int) and not isinstance(v, bool) else _shown(v)
        for k, v in (reason.get("params") or {}).items()
    }
    try:
        # Applied to the lazy text itself: a plural (ngettext_lazy) picks its form from params.
        return str(template % params)
    except (KeyError, TypeError, ValueError):
        return str(reason.get("text") or template)
