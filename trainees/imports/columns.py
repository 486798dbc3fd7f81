"""Recognising what each column of a roster holds from its header.

Field offices type headers in French or English, with or without accents, in any case, with
"(s)" plurals, "N°" prefixes and stray punctuation. A header is normalised (ASCII, case-folded,
punctuation as spaces, "n", "no", "numero" dropped) and looked up in :data:`SYNONYMS`.

"Nom" and "Name" are ambiguous: beside a given-names column they are the family name, alone
they are the whole name (in either order, which the matching engine handles).
"""

from __future__ import annotations

import re

from anyascii import anyascii
from django.utils.translation import gettext_lazy as _

__all__ = ["FIELDS", "IGNORE", "SYNONYMS", "field_label", "header_key", "recognise"]

IGNORE = "ignore"

#: Field -> translated label, in the order the mapping screen offers them.
FIELDS: dict[str, object] = {
    "full_name": _("Full name"),
    "family_name": _("Family name"),
    "given_names": _("Given names"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "birth_year": _("Year of birth"),
    "age": _("Age"),
    "service_number": _("Service number"),
    "nina": _("NINA"),
    "passport": _("Passport number"),
    "un_index": _("UN index number"),
    "phone": _("Phone"),
    "organisation": _("Organisation"),
    "unit": _("Unit"),
    "rank": _("Rank"),
    "outcome": _("Result"),
    "score": _("Score"),
}

IDENTIFIER_FIELDS = ("service_number", "nina", "passport", "un_index", "phone")

_SYNONYMS_RAW: dict[str, tuple[str, ...]] = {
    "full_name": (
        "nom complet",
        "nom et prenom",
        "nom et prenoms",
        "noms et prenoms",
        "nom prenom",
        "nom prenoms",
        "nom prenom s",
        "nom et prenom s",
        "prenom et nom",
        "prenoms et nom",
        "prenom nom",
        "prenoms nom",
        "nom s et prenom s",
        "identite",
        "full name",
        "name and surname",
        "names",
        "participant",
        "nom du participant",
        "participant name",
        "trainee name",
        "nom du stagiaire",
    ),
    "family_name": (
        "nom de famille",
        "patronyme",
        "family name",
        "surname",
        "last name",
        "lastname",
    ),
    "given_names": (
        "prenom",
        "prenoms",
        "prenom s",
        "given name",
        "given names",
        "first name",
        "first names",
        "firstname",
        "forename",
        "forenames",
    ),
    "sex": ("sexe", "genre", "sex", "gender", "s", "h f", "m f", "f m"),
    "birth_date": (
        "date de naissance",
        "date naissance",
        "ne le",
        "nee le",
        "ne e le",
        "ddn",
        "dob",
        "date of birth",
        "birth date",
        "birthdate",
        "naissance",
    ),
    "birth_year": (
        "annee de naissance",
        "annee naissance",
        "ne vers",
        "nee vers",
        "year of birth",
        "birth year",
        "yob",
    ),
    "age": ("age", "age ans", "age en ans", "age years", "age in years"),
    "service_number": (
        "matricule",
        "mle",
        "mat",
        "matricule militaire",
        "service number",
        "service no",
        "military id",
        "personnel number",
    ),
    "nina": ("nina", "carte nina", "national id", "national id number", "nin"),
    "passport": ("passeport", "passport", "passeport no", "passport number"),
    "un_index": ("index onu", "index", "un index", "un index number", "index number"),
    "phone": (
        "telephone",
        "tel",
        "tel portable",
        "portable",
        "cellulaire",
        "contact",
        "contacts",
        "phone",
        "phone number",
        "mobile",
        "telephone mobile",
    ),
    "organisation": (
        "organisation",
        "organization",
        "structure",
        "institution",
        "corps",
        "ong",
        "contingent",
        "organisme",
        "agency",
    ),
    "unit": ("unite", "unit", "bataillon", "compagnie"),
    "rank": ("grade", "rank", "fonction grade"),
    "outcome": ("resultat", "resultats", "statut", "decision", "outcome", "result", "status"),
    "score": ("note", "note 100", "score", "points", "mark", "pourcentage", "percentage"),
}

_DROP_WORDS = {"n", "no", "nr", "num", "numero", "number", "du", "de", "la", "le", "d"}
_KEEP_WHOLE = {  # headers where a dropped word matters
    "date de naissance",
    "annee de naissance",
    "nom de famille",
    "nom du participant",
    "nom du stagiaire",
}


def header_key(header: object) -> str:
    """Normalise a header: ASCII, case-folded, punctuation to spaces, filler words dropped."""
    text = re.sub(r"[°º#]", " ", str(header or ""))
    text = anyascii(text).casefold()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    if text in _KEEP_WHOLE:
        return text
    words = [w for w in text.split() if w not in _DROP_WORDS]
    return " ".join(words)


SYNONYMS: dict[str, str] = {}
for _field, _names in _SYNONYMS_RAW.items():
    for _name in _names:
        SYNONYMS.setdefault(header_key(_name), _field)
        SYNONYMS.setdefault(_name, _field)
_AMBIGUOUS_NAME = {"nom", "name", "noms"}


def recognise(headers: list[str]) -> dict[int, str | None]:
    """Map each column index to a field, or to ``None`` when the header is not recognised.

    A field is given to its first column only; a second column with the same meaning is left
    unrecognised for the trainer to map (or ignore).
    """
    keys = [header_key(h) for h in headers]
    fields: dict[int, str | None] = {}
    for i, key in enumerate(keys):
        fields[i] = SYNONYMS.get(key)
    has_given = "given_names" in fields.values()
    for i, key in enumerate(keys):
        if fields[i] is None and key in _AMBIGUOUS_NAME:
            fields[i] = "family_name" if has_given else "full_name"
        if fields[i] is None and not key:
            fields[i] = IGNORE if not str(headers[i] or "").strip() else None
    seen: set[str] = set()
    for i in range(len(headers)):
        f = fields[i]
        if f and f != IGNORE:
            if f in seen:
                fields[i] = None
            seen.add(f)
    return fields


def field_label(field: str) -> str:
    return str(FIELDS.get(field, field))
