"""The matching engine's reason codes in the reader's language.

The engine keeps reasons as stable codes with parameters and English text; the screens show
them through this table so a French coordinator reads French. An unknown code falls back to
the engine's English text.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

__all__ = ["COMPARISON_LABELS", "LEVEL_LABELS", "REASONS", "evidence_rows", "reason_text"]

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
    "birth_date_typo": _(
        "Dates of birth one digit or one day apart, probably a typing error "
        "(%(date_a)s / %(date_b)s)."
    ),
    "birth_date_conflict": _("Different dates of birth (%(date_a)s / %(date_b)s)."),
    "birth_year_equal": _("Same year of birth %(year)s (no full date on at least one record)."),
    "birth_year_close": _("Years of birth one year apart (%(year_a)s / %(year_b)s)."),
    "birth_year_conflict": _("Years of birth too far apart (%(year_a)s / %(year_b)s)."),
    "birth_unknown": _("No year of birth on at least one record."),
    "sex_equal": _("Same sex."),
    "sex_conflict": _("Different sex recorded (%(sex_a)s / %(sex_b)s)."),
    "organisation_equal": _("Same organisation: %(organisation)s."),
    "residence_equal": _("Same residence: %(residence)s."),
    "residence_close": _("Residences that may be one place: %(residence_a)s / %(residence_b)s."),
    "above_link_threshold": _(
        "Match probability %(score)s reaches the link threshold %(threshold)s."
    ),
    "review_band": _(
        "Match probability %(score)s is between the review (%(review)s) and link (%(link)s) "
        "thresholds."
    ),
    "below_review_threshold": _(
        "Best match probability %(score)s is below the review threshold %(threshold)s."
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
    "registry_duplicate": _(
        "Several registry people reach the link threshold and may be one person: linked to "
        "the most probable, the others are queued to be merged (%(candidates)s)."
    ),
    "batch_conflict": _("Rows that are one person link to different registry people: %(persons)s."),
    "batch_duplicate": _("The same person appears %(count)s times in this file (rows %(rows)s)."),
    "candidate_has_account": _("The matching person already has another account."),
    "identifier_typo": _(
        "The %(type)s differ by one typing error (%(value_a)s / %(value_b)s): counted as "
        "evidence, not as a conflict."
    ),
    "model_weights": _("Evidence of each comparison, in bits (model %(model)s)."),
    "held_identifier_conflict": _(
        "Not linked automatically: two different %(types)s (a person must decide)."
    ),
    "held_birth_conflict": _("Not linked automatically: the dates of birth disagree."),
    "held_names_disagree": _("Not linked automatically: the names do not agree."),
    "held_sex_conflict": _("Not linked automatically: a different sex is recorded."),
    "held_phone_only": _(
        "Not linked automatically: the shared phone is the deciding evidence, and families "
        "share phones."
    ),
    "held_cluster_conflict": _(
        "Not linked automatically: it would put two different identifiers, birth dates or "
        "registry people into one person."
    ),
}

#: The model's comparisons and their levels, as the review screen names them.
COMPARISON_LABELS = {
    "name": _("Names"),
    "birth": _("Date of birth"),
    "sex": _("Sex"),
    "service_number": _("Service number"),
    "nina": _("National ID (NINA)"),
    "passport": _("Passport"),
    "un_index": _("UN index number"),
    "national_id": _("National ID (other country)"),
    "phone": _("Phone"),
    "organisation": _("Organisation"),
    "residence": _("Residence"),
}
LEVEL_LABELS = {
    ("name", "exact"): _("exactly the same"),
    ("name", "variant"): _("spelling variants of the same names"),
    ("name", "phonetic"): _("the same names as spoken"),
    ("name", "jaro_winkler_92"): _("very close spellings"),
    ("name", "name_added"): _("one record has more names"),
    ("name", "jaro_winkler_80"): _("close spellings"),
    ("name", "initials"): _("an initial instead of a name"),
    ("name", "one_name"): _("only one name in common"),
    ("name", "different"): _("different"),
    ("birth", "exact"): _("the same date"),
    ("birth", "one_digit_or_day"): _("one digit or one day apart"),
    ("birth", "day_month_swapped"): _("day and month swapped"),
    ("birth", "same_year"): _("the same year, different dates"),
    ("birth", "year_only"): _("the same year (only the year on one record)"),
    ("birth", "one_year_off"): _("one year apart"),
    ("birth", "different"): _("different"),
    ("phone", "shared"): _("a phone in common"),
    ("organisation", "equal"): _("the same"),
    ("sex", "equal"): _("the same"),
    ("residence", "close"): _("very close spellings"),
    ("residence", "shared_words"): _("half the words in common"),
    "exact": _("the same"),
    "leading_zeros": _("the same but for leading zeros"),
    "one_edit": _("one typing error apart"),
    "different": _("different"),
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


def evidence_rows(reasons: list[dict]) -> list[dict]:
    """The weight of every comparison of the model, strongest first, from a decision's
    ``model_weights`` reason: ``[{"label", "level", "weight"}]`` in the active language."""
    for reason in reasons or ():
        if reason.get("code") != "model_weights":
            continue
        rows = []
        for name, value in (reason.get("params") or {}).get("weights", {}).items():
            try:
                level, weight = value
            except (TypeError, ValueError):
                continue
            label = LEVEL_LABELS.get((name, level)) or LEVEL_LABELS.get(level, level)
            rows.append(
                {
                    "label": str(COMPARISON_LABELS.get(name, name)),
                    "level": str(label),
                    "weight": float(weight),
                }
            )
        return sorted(rows, key=lambda r: -abs(r["weight"]))
    return []
