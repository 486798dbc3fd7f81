"""Reading the cells field offices write: dates, phone lists, foreign national IDs.

Every reader returns a clean value and the notes a trainer should see ("read as 1971"), or
raises :class:`CellError` with a code from :mod:`.problems`. Nothing here blocks a file: the
validator turns an error into an empty cell with a warning on its row.

Two-digit years. ``06/04/71`` is read with a pivot on the current year: a two-digit year
``YY`` is 20YY when 20YY is not after this year, else 19YY (in 2026: ``25`` -> 2025, ``27``
-> 1927, ``71`` -> 1971). A trainee born in 2025 is caught by the "too young" rule of the
event, not by the pivot; every two-digit year is flagged so the trainer can check it.

Placeholder days. Where a birth date is unknown, civil registers write "né vers 1981" and
clerks type 01/01/1981 or 31/12/1981: those two days are read as the year only, flagged.
"""

from __future__ import annotations

import re
from datetime import date

from anyascii import anyascii

from trainees.matching import IdentifierError, normalise_phone, normalise_text

__all__ = [
    "EARLIEST_BIRTH_YEAR",
    "CellError",
    "country_code",
    "is_empty_marker",
    "national_id_normalise",
    "phones_read",
    "read_date",
]

#: A birth year before this is a typing error on a roster of living trainees.
EARLIEST_BIRTH_YEAR = 1920


class CellError(Exception):
    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


#: What clerks write for "nothing here": read as an empty cell, without a warning.
_EMPTY_MARKERS = frozenset(
    {
        "-",
        "--",
        "/",
        "na",
        "n a",
        "nd",
        "n d",
        "neant",
        "aucun",
        "aucune",
        "ras",
        "nil",
        "none",
        "null",
        "sans",
        "pas de",
        "pas de numero",
        "pas de telephone",
        "inconnu",
        "inconnue",
        "nc",
        "?",
    }
)


def is_empty_marker(text: str) -> bool:
    stripped = str(text).strip()
    return stripped in ("-", "--", "/", "?", ".") or normalise_text(stripped) in _EMPTY_MARKERS


# -- dates -------------------------------------------------------------------------------------

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "january": 1,
    "fevrier": 2,
    "fev": 2,
    "feb": 2,
    "february": 2,
    "mars": 3,
    "mar": 3,
    "march": 3,
    "avril": 4,
    "avr": 4,
    "apr": 4,
    "april": 4,
    "mai": 5,
    "may": 5,
    "juin": 6,
    "jun": 6,
    "june": 6,
    "juillet": 7,
    "juil": 7,
    "jul": 7,
    "july": 7,
    "aout": 8,
    "aug": 8,
    "august": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "september": 9,
    "octobre": 10,
    "oct": 10,
    "october": 10,
    "novembre": 11,
    "nov": 11,
    "november": 11,
    "decembre": 12,
    "dec": 12,
    "december": 12,
}
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:er)? ([a-z]+) (\d{2}|\d{4})$")
#: "1981", "vers 1981", "né en 1981", "née vers 1981", "en 1981", "~1981", "1981 ?", "c. 1981"
_YEAR = re.compile(
    r"^(?:(?:ne|nee|ne e)\s+)?(?:(?:vers|en|environ|about|circa|ca|c|around|in|born|b)\s+)*"
    r"(\d{4})$"
)


def _full_year(text: str, today: date) -> tuple[int, bool]:
    if len(text) == 4:
        return int(text), False
    yy = int(text)
    pivot = today.year % 100
    return (2000 + yy if yy <= pivot else 1900 + yy), True


_COMPACT = re.compile(r"^\d{8}$")


def _compact_date(raw: str) -> tuple[int, int, int] | None:
    """Eight digits without separators, as database exports write dates: ``19850412``
    (year first, ISO 8601 basic) or ``12041985`` (day first). Never both: a year first
    (19xx, 20xx) leaves a month above 12 for the other reading."""
    if not _COMPACT.match(raw):
        return None
    for y, mo, d in (
        (int(raw[:4]), int(raw[4:6]), int(raw[6:])),
        (int(raw[4:]), int(raw[2:4]), int(raw[:2])),
    ):
        if 1900 <= y <= 2099 and 1 <= mo <= 12 and 1 <= d <= 31:
            return y, mo, d
    return None


def read_date(value, *, today: date) -> tuple[date | int, list[tuple[str, dict]]]:
    """A birth date from a cell: ``date``, or ``int`` for a year alone; and the notes.

    Notes are ``(code, params)``: ``date_two_digit_year`` when the century was chosen by the
    pivot, ``date_placeholder`` when 01/01 or 31/12 was read as the year only.
    """
    notes: list[tuple[str, dict]] = []
    if isinstance(value, date):
        parsed = value
    else:
        raw = str(value).strip()
        text = normalise_text(raw.replace("~", " vers "))
        year = _YEAR.match(text)
        if year:
            return int(year.group(1)), notes
        m = _ISO.match(raw)
        compact = _compact_date(raw)
        if m:
            y, mo, d = (int(g) for g in m.groups())
        elif compact is not None:
            y, mo, d = compact
        else:
            m = _NUMERIC.match(raw) or _WORDS.match(text)
            if not m:
                raise CellError("date_invalid", value=raw)
            d = int(m.group(1))
            month = m.group(2)
            mo = int(month) if month.isdigit() else _MONTHS.get(month, 0)
            if not mo:
                raise CellError("date_invalid", value=raw)
            y, two = _full_year(m.group(3), today)
            if two:
                notes.append(("date_two_digit_year", {"value": raw, "year": y}))
        try:
            parsed = date(y, mo, d)
        except ValueError as exc:
            raise CellError("date_impossible", value=raw) from exc
    if (parsed.month, parsed.day) in ((1, 1), (12, 31)):
        notes.append(
            ("date_placeholder", {"value": parsed.strftime("%d/%m/%Y"), "year": parsed.year})
        )
        return parsed.year, notes
    return parsed, notes


# -- phones ------------------------------------------------------------------------------------

_PHONE_SPLIT = re.compile(r"\s*(?:[/,;|\n]|\bet\b|\bou\b|\band\b|\bor\b)\s*", re.IGNORECASE)
_PHONE_LABEL = re.compile(r"^\s*(?:tel|tél|cel|cell|mob|mobile|portable|whatsapp)\.?\s*:?\s*", re.I)


def _one_phone(piece: str) -> list[str]:
    try:
        return [normalise_phone(piece)]
    except IdentifierError:
        pass
    # "76 12 34 56 66 45 23 11": two Malian numbers typed one after the other.
    digits = re.sub(r"\D", "", piece)
    if "+" not in piece and len(digits) in (16, 24) and not re.search(r"[^\d\s.\-]", piece):
        numbers = [digits[i : i + 8] for i in range(0, len(digits), 8)]
        try:
            return [normalise_phone(n) for n in numbers]
        except IdentifierError:
            pass
    return normalise_phone(piece)  # raises the error of the piece as written


def phones_read(text: str) -> tuple[list[str], list[tuple[str, dict]]]:
    """Every phone number in a cell, in international form (+223 unless another country
    code is written), and a problem for each piece that is not a number."""
    numbers: list[str] = []
    problems: list[tuple[str, dict]] = []
    for piece in _PHONE_SPLIT.split(str(text)):
        piece = _PHONE_LABEL.sub("", piece).strip()
        if not piece or is_empty_marker(piece):
            continue
        try:
            found = _one_phone(piece)
        except IdentifierError as exc:
            code = exc.code
            if code == "phone_characters" and not re.search(r"\d{4}", piece):
                code = "phone_text"
            problems.append((code, {"value": piece}))
            continue
        numbers.extend(n for n in found if n not in numbers)
    return numbers, problems


# -- national IDs of other countries ---------------------------------------------------------

#: Countries whose citizens are trained in Mali (contingents, partners, neighbours), by ISO
#: 3166 alpha-2 code: alpha-3 code, French and English names, nationality adjectives.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "ML": ("mli", "mali", "malien", "malienne"),
    "SN": ("sen", "senegal", "senegalais", "senegalaise", "senegalese"),
    "NE": ("ner", "niger", "nigerien", "nigerienne", "nigerien ne"),
    "BF": ("bfa", "burkina", "burkina faso", "burkinabe"),
    "TD": ("tcd", "tchad", "chad", "tchadien", "tchadienne", "chadian"),
    "TG": ("tgo", "togo", "togolais", "togolaise", "togolese"),
    "BJ": ("ben", "benin", "beninois", "beninoise"),
    "CI": ("civ", "cote d ivoire", "cote divoire", "ivory coast", "ivoirien", "ivoirienne"),
    "GN": ("gin", "guinee", "guinea", "guineen", "guineenne", "guinean"),
    "MR": ("mrt", "mauritanie", "mauritania", "mauritanien", "mauritanienne"),
    "NG": ("nga", "nigeria", "nigerian", "nigeriane"),
    "GH": ("gha", "ghana", "ghaneen", "ghaneenne", "ghanaian"),
    "GM": ("gmb", "gambie", "gambia", "gambien", "gambian"),
    "SL": ("sle", "sierra leone", "sierra leonais"),
    "LR": ("lbr", "liberia", "liberien", "liberian"),
    "CM": ("cmr", "cameroun", "cameroon", "camerounais", "camerounaise"),
    "RW": ("rwa", "rwanda", "rwandais", "rwandaise", "rwandan"),
    "EG": ("egy", "egypte", "egypt", "egyptien", "egyptienne", "egyptian"),
    "ET": ("eth", "ethiopie", "ethiopia", "ethiopien", "ethiopian"),
    "KE": ("ken", "kenya", "kenyan"),
    "BD": ("bgd", "bangladesh", "bangladais", "bangladaise", "bangladeshi"),
    "PK": ("pak", "pakistan", "pakistanais", "pakistanaise", "pakistani"),
    "IN": ("ind", "inde", "india", "indien", "indienne", "indian"),
    "NP": ("npl", "nepal", "nepalais", "nepalaise", "nepali", "nepalese"),
    "LK": ("lka", "sri lanka", "sri lankais", "sri lankan"),
    "CN": ("chn", "chine", "china", "chinois", "chinoise", "chinese"),
    "KH": ("khm", "cambodge", "cambodia", "cambodgien", "cambodian"),
    "ID": ("idn", "indonesie", "indonesia", "indonesien", "indonesian"),
    "JO": ("jor", "jordanie", "jordan", "jordanien", "jordanian"),
    "DZ": ("dza", "algerie", "algeria", "algerien", "algerienne", "algerian"),
    "MA": ("mar", "maroc", "morocco", "marocain", "marocaine", "moroccan"),
    "TN": ("tun", "tunisie", "tunisia", "tunisien", "tunisienne", "tunisian"),
    "FR": ("fra", "france", "francais", "francaise", "french"),
    "DE": ("deu", "allemagne", "germany", "allemand", "allemande", "german"),
    "BE": ("bel", "belgique", "belgium", "belge", "belgian"),
    "NL": ("nld", "pays bas", "netherlands", "neerlandais", "dutch"),
    "SE": ("swe", "suede", "sweden", "suedois", "suedoise", "swedish"),
    "NO": ("nor", "norvege", "norway", "norvegien", "norwegian"),
    "DK": ("dnk", "danemark", "denmark", "danois", "danish"),
    "FI": ("fin", "finlande", "finland", "finlandais", "finnish"),
    "CH": ("che", "suisse", "switzerland", "swiss"),
    "GB": ("gbr", "royaume uni", "united kingdom", "uk", "britannique", "british"),
    "US": ("usa", "etats unis", "united states", "americain", "americaine", "american"),
    "CA": ("can", "canada", "canadien", "canadienne", "canadian"),
    "IT": ("ita", "italie", "italy", "italien", "italienne", "italian"),
    "ES": ("esp", "espagne", "spain", "espagnol", "espagnole", "spanish"),
    "PT": ("prt", "portugal", "portugais", "portuguese"),
    "MX": ("mex", "mexique", "mexico", "mexicain", "mexican"),
    "SV": ("slv", "el salvador", "salvadorien", "salvadoran"),
    "AM": ("arm", "armenie", "armenia", "armenien", "armenian"),
    "BT": ("btn", "bhoutan", "bhutan", "bhoutanais", "bhutanese"),
    "LT": ("ltu", "lituanie", "lithuania", "lituanien", "lithuanian"),
    "EE": ("est", "estonie", "estonia", "estonien", "estonian"),
    "RO": ("rou", "roumanie", "romania", "roumain", "romanian"),
    "CZ": ("cze", "tchequie", "republique tcheque", "czechia", "czech"),
    "AT": ("aut", "autriche", "austria", "autrichien", "austrian"),
    "IE": ("irl", "irlande", "ireland", "irlandais", "irish"),
}
_COUNTRY_BY_NAME: dict[str, str] = {}
for _code, _names in _COUNTRIES.items():
    _COUNTRY_BY_NAME[_code.lower()] = _code
    for _name in _names:
        _COUNTRY_BY_NAME[_name] = _code
UNKNOWN_COUNTRY = "XX"


def country_code(text: str) -> str | None:
    """ISO 3166 alpha-2 code of a country as a roster writes it ("Sénégal", "SEN",
    "sénégalaise", "Contingent du Niger"), or ``None``."""
    key = normalise_text(text)
    if not key:
        return None
    if key in _COUNTRY_BY_NAME:
        return _COUNTRY_BY_NAME[key]
    for prefix in ("contingent du ", "contingent de ", "contingent ", "republique du "):
        if key.startswith(prefix) and key[len(prefix) :] in _COUNTRY_BY_NAME:
            return _COUNTRY_BY_NAME[key[len(prefix) :]]
    return None


_CELL_COUNTRY = re.compile(r"^([A-Za-z]{2,3})\s*[:\-/ ]\s*(.*\d.*)$")


def national_id_normalise(text: str, country: str | None) -> tuple[str, str, str]:
    """``(type, value, country)`` for a cell of a generic national-ID column.

    A Malian NINA (14 digits and a letter) is a NINA whatever the column says; any other
    value is a national ID of another country, stored as ``CC:VALUE`` (letters upper-cased,
    spaces, dots and dashes dropped). The country comes from the cell ("SN 1234567"), else
    from the row's country column, else it is ``XX`` (unknown) and the caller flags it.
    """
    raw = str(text).strip()
    m = _CELL_COUNTRY.match(raw)
    if m and country_code(m.group(1)):
        country, raw = country_code(m.group(1)), m.group(2)
    compact = re.sub(r"[\s.\-/_]+", "", anyascii(raw).upper())
    if re.fullmatch(r"\d{14}[A-Z]", compact) and country in (None, "ML"):
        return "nina", compact, "ML"
    if not re.fullmatch(r"[A-Z0-9]{4,20}", compact) or not re.search(r"\d", compact):
        raise CellError("national_id_format", value=str(text).strip())
    country = country or UNKNOWN_COUNTRY
    return "national_id", f"{country}:{compact}", country
