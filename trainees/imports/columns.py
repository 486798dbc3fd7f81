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

__all__ = [
    "FIELDS",
    "IGNORE",
    "REPEATABLE_FIELDS",
    "SYNONYMS",
    "field_label",
    "header_key",
    "known_field",
    "recognise",
]

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
    "national_id": _("National ID (any country)"),
    "country": _("Country (of the national ID)"),
    "passport": _("Passport number"),
    "un_index": _("UN index number"),
    "phone": _("Phone"),
    "organisation": _("Organisation"),
    "unit": _("Unit"),
    "rank": _("Rank"),
    "residence": _("Residence (village, commune)"),
    "outcome": _("Result"),
    "score": _("Score"),
    "row_number": _("Row number (not imported)"),
}

IDENTIFIER_FIELDS = ("service_number", "nina", "national_id", "passport", "un_index", "phone")
#: Fields that several columns may hold at once ("Tél. 1", "Tél. 2"); their values add up.
#: Fields several columns may hold: phones add up, residence parts are joined in column
#: order ("Village", "Commune"; an address in street, suburb, postcode and state columns).
REPEATABLE_FIELDS = frozenset({"phone", "residence", IGNORE, "row_number"})

#: The header table: every spelling field offices were seen to write, normalised by
#: :func:`header_key` (so accents, case, "(s)" plurals, "N°" prefixes and punctuation do not
#: matter: "Prénom(s)", "PRENOMS" and "prénom" are one entry). docs/matching.md lists it.
#: "Service", "Structure" and "Unité" name the unit a person serves in, never a service
#: number; "N°" alone is the row number; "Observation(s)", "Signature" and "Émargement" are
#: read by nobody and ignored.
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
        "nom s et prenom s",
        "nom s prenom s",
        "prenom et nom",
        "prenoms et nom",
        "prenom s et nom",
        "prenom s et nom s",
        "prenom nom",
        "prenoms nom",
        "prenom s nom",
        "prenoms et noms",
        "identite",
        "full name",
        "name and surname",
        "participant",
        "participants",
        "nom du participant",
        "participant name",
        "trainee name",
        "nom du stagiaire",
        "stagiaire",
        "beneficiaire",
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
    "sex": (
        "sexe",
        "sexe m f",
        "sexe f m",
        "sexe h f",
        "genre",
        "sex",
        "gender",
        "s",
        "h f",
        "m f",
        "f m",
    ),
    "birth_date": (
        "date de naissance",
        "date naissance",
        "date naiss",
        "date de naiss",
        "dte naiss",
        "date annee de naissance",
        "date annee naissance",
        "date ou annee de naissance",
        "date lieu de naissance",
        "ne le",
        "nee le",
        "ne e le",
        "ne e",
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
        "annee naiss",
        "an naissance",
        "ne vers",
        "nee vers",
        "year of birth",
        "birth year",
        "yob",
    ),
    "age": ("age", "ages", "age ans", "age en ans", "age years", "age in years"),
    "service_number": (
        "matricule",
        "matricules",
        "mle",
        "mat",
        "matr",
        "matricule militaire",
        "service number",
        "service no",
        "service n",
        "n service",
        "no service",
        "numero service",
        "numero de service",
        "n de service",
        "military id",
        "personnel number",
    ),
    "nina": ("nina", "carte nina", "nina ou cni"),
    "national_id": (
        "national id",
        "national id number",
        "national identity number",
        "nin",
        "cni",
        "carte d identite",
        "carte identite",
        "carte nationale d identite",
        "piece d identite",
        "piece identite",
        "id number",
        "id",
        "social security number",
        "soc sec id",
        "ssn",
    ),
    "country": ("pays", "country", "nationalite", "nationality", "pays d origine"),
    "passport": ("passeport", "passport", "passeport no", "passport number"),
    "un_index": ("index onu", "index", "un index", "un index number", "index number"),
    "phone": (
        "telephone",
        "telephones",
        "tel",
        "tels",
        "tel portable",
        "portable",
        "cellulaire",
        "cel",
        "cell",
        "contact",
        "contacts",
        "contact telephonique",
        "phone",
        "phone number",
        "mobile",
        "telephone mobile",
    ),
    "organisation": (
        "organisation",
        "organization",
        "institution",
        "corps",
        "corps structure",
        "corps d origine",
        "armee",
        "force",
        "ong",
        "contingent",
        "organisme",
        "agency",
        "employeur",
    ),
    "unit": (
        "unite",
        "unit",
        "service",
        "structure",
        "structures",
        "services",
        "unite service",
        "direction",
        "bataillon",
        "compagnie",
        "poste",
    ),
    "rank": (
        "grade",
        "rank",
        "fonction",
        "grade fonction",
        "fonction grade",
        "grade et fonction",
        "poste occupe",
        "titre",
        "position",
    ),
    "residence": (
        "residence",
        "lieu de residence",
        "village",
        "village quartier",
        "quartier",
        "commune",
        "localite",
        "adresse",
        "domicile",
        "residence village",
        "cercle",
        "address",
        "address 1",
        "address 2",
        "home address",
        "street",
        "street number",
        "suburb",
        "town",
        "city",
        "postcode",
    ),
    "outcome": ("resultat", "resultats", "statut", "decision", "outcome", "result", "status"),
    "score": ("note", "note 100", "score", "points", "mark", "pourcentage", "percentage"),
    "row_number": ("n", "no", "nr", "num", "numero", "n ordre", "ordre", "numero d ordre", "#"),
    IGNORE: (
        "observation",
        "observations",
        "obs",
        "remarque",
        "remarques",
        "commentaire",
        "commentaires",
        "signature",
        "signatures",
        "emargement",
        "visa",
    ),
}

_DROP_WORDS = {"n", "no", "nr", "num", "numero", "number", "du", "de", "la", "le", "d"}
_KEEP_WHOLE = {  # headers where a dropped word matters
    "date de naissance",
    "annee de naissance",
    "nom de famille",
    "nom du participant",
    "nom du stagiaire",
    # "Service" alone is a unit; with a number word it is the service number.
    "service number",
    "service no",
    "service n",
    "n service",
    "no service",
    "numero service",
    "numero de service",
    "n de service",
}


def header_key(header: object) -> str:
    """Normalise a header: ASCII, case-folded, punctuation to spaces, filler words dropped.

    A header made only of filler words ("N°", "No") keeps them: it is the row number.
    """
    text = re.sub(r"[°º]", " ", str(header or ""))
    text = anyascii(text).casefold()
    if text.strip() == "#":
        return "#"
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    if text in _KEEP_WHOLE:
        return text
    words = [w for w in text.split() if w not in _DROP_WORDS]
    return " ".join(words) if words else text


def _loose_key(header: object) -> str:
    """The key without a bracketed note or a trailing number: "Téléphone 2", "Date de
    naissance (jj/mm/aaaa)", "Âge (ans)"."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(header or ""))
    key = header_key(text)
    return re.sub(r"(?: \d+)+$", "", key)


SYNONYMS: dict[str, str] = {}
for _field, _names in _SYNONYMS_RAW.items():
    for _name in _names:
        SYNONYMS.setdefault(header_key(_name), _field)
        SYNONYMS.setdefault(_name, _field)
_AMBIGUOUS_NAME = {"nom", "name", "nom s", "nom noms", "noms", "names"}


def known_field(header: object) -> str | None:
    """The field a header names in the table, or ``None``."""
    key = header_key(header)
    if key in SYNONYMS:
        return SYNONYMS[key]
    loose = _loose_key(header)
    return SYNONYMS.get(loose) if loose else None


def recognise(
    headers: list[str], remembered: dict[str, str] | None = None
) -> dict[int, str | None]:
    """Map each column index to a field, or to ``None`` when the header is not recognised.

    ``remembered`` (header key -> field) is what trainers of the roster's field office said
    before; it wins over the table. A field is given to its first column only (except
    phones, which add up); a second column with the same meaning is left unrecognised for
    the trainer to map (or ignore).
    """
    remembered = remembered or {}
    keys = [header_key(h) for h in headers]
    fields: dict[int, str | None] = {}
    for i, key in enumerate(keys):
        fields[i] = remembered.get(key) or known_field(headers[i])
    has_given = "given_names" in fields.values()
    for i, key in enumerate(keys):
        ambiguous = key in _AMBIGUOUS_NAME or _loose_key(headers[i]) in _AMBIGUOUS_NAME
        if fields[i] is None and ambiguous:
            fields[i] = "family_name" if has_given else "full_name"
        if fields[i] is None and not key:
            fields[i] = IGNORE if not str(headers[i] or "").strip() else None
    values = set(fields.values())
    if "full_name" in values and "given_names" in values and "family_name" not in values:
        # "Participant" beside "Prénom(s)": the names column holds the family name.
        fields = {i: "family_name" if f == "full_name" else f for i, f in fields.items()}
    seen: set[str] = set()
    for i in range(len(headers)):
        f = fields[i]
        if f and f not in REPEATABLE_FIELDS:
            if f in seen:
                fields[i] = None
            seen.add(f)
    return fields


def field_label(field: str) -> str:
    return str(FIELDS.get(field, field))
