"""Reasons: stable codes with English text, so the UI can translate them by code.

The scorer collects evidence as ``(code, params)`` tuples, which is cheap enough for the
millions of pairs of a duplicate scan; only the pairs that become a decision are rendered
into ``{"code", "text", "params"}`` dicts here. ``params`` hold only JSON-friendly values.
"""

from __future__ import annotations

__all__ = ["REASON_TEXTS", "reason", "render", "weights_of"]

REASON_TEXTS: dict[str, str] = {
    # identifiers
    "identifier_match": "Same {type}: {value}.",
    "identifier_conflict": "Different {type} on each record ({value_a} / {value_b}).",
    "identifier_split": "The {types} point to different people: {candidates}.",
    "identifier_name_mismatch": (
        "Same {type} ({value}) but the names do not agree (name similarity {name_score})."
    ),
    "identifier_invalid": "Ignored {type} {value!r}: {error}",
    "identifier_typo": (
        "The {type} differ by one typing error ({value_a} / {value_b}): counted as evidence, "
        "not as a conflict."
    ),
    "phone_shared": "Same phone number {value} (families share phones: never enough alone).",
    # names
    "name_equal": "Same names.",
    "name_variant": "Spelling variants of the same name: {pairs}.",
    "name_typo": "Near spellings, probably a typing error: {pairs}.",
    "names_swapped": "Given and family names are swapped on one record.",
    "name_added": "One record has more names: {tokens}.",
    "family_name_added": "One record has an extra family name: {tokens}.",
    "names_differ": "Different names: {tokens_a} / {tokens_b}.",
    "single_name_in_common": "Only one name in common: {tokens}.",
    "particle_differs": "Same name with a different particle: {pairs}.",
    "no_name": "A record has no name.",
    "name_common": (
        "{count} people in the registry share this name: equal names count for less "
        "({weight} bits)."
    ),
    # birth
    "birth_date_equal": "Same date of birth {date}.",
    "birth_date_transposed": "Day and month swapped in the dates of birth ({date_a} / {date_b}).",
    "birth_date_typo": (
        "Dates of birth one digit or one day apart, probably a typing error ({date_a} / {date_b})."
    ),
    "birth_date_conflict": "Different dates of birth ({date_a} / {date_b}).",
    "birth_year_equal": "Same year of birth {year} (no full date on at least one record).",
    "birth_year_close": "Years of birth one year apart ({year_a} / {year_b}).",
    "birth_year_conflict": "Years of birth too far apart ({year_a} / {year_b}).",
    "birth_unknown": "No year of birth on at least one record.",
    # other evidence
    "sex_equal": "Same sex.",
    "sex_conflict": "Different sex recorded ({sex_a} / {sex_b}).",
    "organisation_equal": "Same organisation: {organisation}.",
    "residence_equal": "Same residence: {residence}.",
    "residence_close": "Residences that may be one place: {residence_a} / {residence_b}.",
    # the model
    "model_weights": "Evidence of each comparison, in bits (model {model}).",
    "held_identifier_conflict": (
        "Not linked automatically: two different {types} (a person must decide)."
    ),
    "held_birth_conflict": "Not linked automatically: the dates of birth disagree.",
    "held_names_disagree": "Not linked automatically: the names do not agree.",
    "held_sex_conflict": "Not linked automatically: a different sex is recorded.",
    "held_phone_only": (
        "Not linked automatically: the shared phone is the deciding evidence, and families "
        "share phones."
    ),
    "held_cluster_conflict": (
        "Not linked automatically: it would put two different identifiers, birth dates or "
        "registry people into one person."
    ),
    # decision
    "above_link_threshold": "Match probability {score} reaches the link threshold {threshold}.",
    "review_band": (
        "Match probability {score} is between the review ({review}) and link ({link}) thresholds."
    ),
    "below_review_threshold": (
        "Best match probability {score} is below the review threshold {threshold}."
    ),
    "namesakes": (
        "{count} people in the registry have this name, but nothing else (birth date, "
        "identifier, phone) shows which one, if any, this is."
    ),
    "no_candidate": "No one in the registry shares a name block or an identifier.",
    "ambiguous_candidates": "Several people reach the link threshold: {candidates}.",
    "registry_duplicate": (
        "Several registry people reach the link threshold and may be one person: linked to "
        "the most probable, the others are queued to be merged ({candidates})."
    ),
    "batch_conflict": "Rows that are one person link to different registry people: {persons}.",
    "batch_duplicate": "The same person appears {count} times in this file (rows {rows}).",
}


def render(code: str, params: dict | None = None) -> dict:
    """Return the reason dict for ``code`` with its English text."""
    params = dict(params or {})
    shown = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in params.items()
    }
    try:
        text = REASON_TEXTS[code].format(**shown)
    except (KeyError, IndexError):  # pragma: no cover - a missing param must not break a decision
        text = REASON_TEXTS.get(code, code)
    return {"code": code, "text": text, "params": params}


def reason(code: str, **params) -> dict:
    return render(code, params)


def weights_of(reasons: list[dict]) -> dict:
    """Each comparison's weight, read from a decision's ``model_weights`` reason (what a
    ``MatchDecision`` stores beside the reasons); empty when no model scored it."""
    for item in reasons:
        if item.get("code") == "model_weights":
            return dict(item.get("params") or {})
    return {}
