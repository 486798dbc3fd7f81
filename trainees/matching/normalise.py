"""Normalisation of names and identifiers before matching.

Rosters reach us typed by many hands: upper case, accents dropped or kept (Traoré/Traore,
Keïta/Keita), hyphens or spaces (Ag-Attaher/Ag Attaher), apostrophes (N'Diaye), civility
prefixes (M., Mme), given and family names swapped. Matching must not depend on any of that,
so every name goes through :func:`normalise_text` and :func:`name_tokens` first.

Particles. Sahelian names carry particles that mean "son of" / "daughter of" (Tamasheq *ag*,
*walet*/*welet*; Hassaniya *ould*, *mint*; Arabic *ben*/*bin*/*ibn*) or the Arabic article
(*el*/*al*), and compound heads such as *Abdoul*/*Abdel* (servant of). A particle on its own is
not a name: "Ag" matches half the Tuareg men of Kidal. So a particle is attached to the token
that follows it and the pair becomes one token, ``"ag attaher"`` -> ``"ag+attaher"``. Spelling
variants of a particle share one form (*el*/*al* -> ``al``; *walet*/*welet*/*oualet* ->
``walet``; *abdoul*/*abdel*/*abdul*/*abd* -> ``abd``), while particles of different meaning stay
apart (*ag* "son of" is never *walet* "daughter of"). A glued form such as ``Agattaher`` or
``Abdoulkarim`` is split again when the remainder is a name in the variant table, so it meets
``Ag Attaher`` / ``Abdoul Karim``. A particle at the end of a name (nothing follows) is kept as a
plain token.

Identifiers. Each type has one canonical form so that "223 76 12 34 56", "+223.76.12.34.56"
and "76123456" are one phone, and one validation message that says what was expected.
"""

from __future__ import annotations

import re

from anyascii import anyascii

__all__ = [
    "CIVILITIES",
    "COMPARED_IDENTIFIER_TYPES",
    "EVIDENCE_IDENTIFIER_TYPES",
    "IDENTIFIER_TYPES",
    "PARTICLES",
    "STRONG_IDENTIFIER_TYPES",
    "WEAK_IDENTIFIER_TYPES",
    "IdentifierError",
    "identifier_error",
    "name_tokens",
    "normalise_identifier",
    "normalise_phone",
    "normalise_text",
]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")


def normalise_text(value: str | None) -> str:
    """Return ``value`` transliterated to ASCII, case-folded, with punctuation as single spaces.

    Apostrophes are dropped without a space (``N'Diaye`` -> ``ndiaye``) because the same names
    are just as often written without one; hyphens, dots and other punctuation separate words.
    The function is idempotent: ``normalise_text(normalise_text(x)) == normalise_text(x)``.
    """
    if not value:
        return ""
    text = anyascii(str(value)).casefold()
    # anyascii may turn a character into an apostrophe-like mark; drop them after it runs.
    text = _APOSTROPHES.sub("", text)
    text = _NON_ALNUM.sub(" ", text)
    return " ".join(text.split())


# Particle spelling -> canonical particle. Particles of different meaning keep different forms.
PARTICLES: dict[str, str] = {
    # Tamasheq "son of" / "daughter of"
    "ag": "ag",
    "agg": "ag",
    "walet": "walet",
    "welet": "walet",
    "oualet": "walet",
    "wallet": "walet",
    "ouelet": "walet",
    # Hassaniya "son of" / "daughter of"
    "ould": "ould",
    "old": "ould",
    "wuld": "ould",
    "mint": "mint",
    "ment": "mint",
    # Arabic "son of"
    "ben": "ben",
    "bin": "ben",
    "ibn": "ben",
    # Arabic article
    "el": "al",
    "al": "al",
    # "servant of" heads of compound names (Abdoul Karim, Abdel Kader, Abd Allah)
    "abdoul": "abd",
    "abdul": "abd",
    "abdel": "abd",
    "abd": "abd",
    "abdal": "abd",
}

# Glued prefixes we try to split off when the remainder is a known name (longest first).
_GLUED_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((p, c) for p, c in PARTICLES.items() if p.isalpha() and len(p) >= 2),
        key=lambda pc: -len(pc[0]),
    )
)

# Civility words that are not part of anyone's name. Ranks belong in their own column and are
# not stripped: "Adjudant" could be a mistyped name, and stripping guesses is worse than keeping.
CIVILITIES = frozenset({"m", "mr", "mme", "mlle", "mrs", "ms", "dr", "monsieur", "madame"})


def _split_glued(token: str, known: frozenset[str] | None) -> tuple[str, str] | None:
    if not known:
        return None
    for prefix, canonical in _GLUED_PREFIXES:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and len(rest) >= 3 and rest in known:
            return canonical, rest
    return None


def name_tokens(*parts: str | None, known: frozenset[str] | None = None) -> tuple[str, ...]:
    """Split name parts into normalised tokens with particles attached to the next token.

    ``known`` is the set of names (variant spellings) for which a glued particle may be split
    off (``agattaher`` -> ``ag+attaher``); the variant table passes its own set. Civility words
    are dropped when other tokens remain.
    """
    raw: list[str] = []
    for part in parts:
        raw.extend(normalise_text(part).split())
    words = [w for w in raw if w not in CIVILITIES] or raw
    tokens: list[str] = []
    pending: list[str] = []
    for word in words:
        if word in PARTICLES:
            pending.append(PARTICLES[word])
            continue
        split = _split_glued(word, known) if word not in (known or ()) else None
        if split is not None:
            pending.append(split[0])
            word = split[1]
        tokens.append("+".join([*pending, word]))
        pending = []
    # A trailing particle ("Mohamed Ag") has nothing to attach to: keep it as it is.
    tokens.extend(pending)
    return tuple(tokens)


# --------------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------------

#: Identifiers issued once to one person in a known format: two different values of one type
#: are two people, unless a person decides otherwise (the linkage constraints).
STRONG_IDENTIFIER_TYPES = frozenset({"service_number", "nina", "passport", "un_index"})
#: Shared within families and passed on: evidence, never a constraint.
WEAK_IDENTIFIER_TYPES = frozenset({"phone"})
#: A national ID of another country (``CC:VALUE``, ``XX`` when the roster does not say which
#: country) arrives in no format the registry can check, typed from cards it has never seen:
#: the same value is strong evidence and a different value strong evidence against, both
#: weighed by the model like any other comparison, but a different value is not a constraint.
EVIDENCE_IDENTIFIER_TYPES = frozenset({"national_id"})
#: Every type the engine compares as an identifier (looked up, scored), phones aside.
COMPARED_IDENTIFIER_TYPES = STRONG_IDENTIFIER_TYPES | EVIDENCE_IDENTIFIER_TYPES
IDENTIFIER_TYPES = COMPARED_IDENTIFIER_TYPES | WEAK_IDENTIFIER_TYPES


class IdentifierError(ValueError):
    """A wrong identifier. ``code`` and ``params`` let the UI translate ``message``."""

    def __init__(self, code: str, message: str, params: dict) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def __repr__(self) -> str:
        return f"IdentifierError({self.code!r}, {self.message!r})"


_SEPARATORS = re.compile(r"[\s.\-/_]+")
_MALI_CC = "223"


def normalise_phone(value: str) -> str:
    """Return a phone number in E.164 form (``+22376123456``) or raise :class:`IdentifierError`.

    Malian numbers have eight digits since 2008 (mobile 5x-9x, fixed 2x/4x) and are accepted
    with or without ``+223`` / ``00223`` and any spaces, dots, dashes or brackets. Foreign
    numbers must carry their ``+``/``00`` country code (E.164: at most 15 digits).
    """
    text = str(value).strip()
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if re.search(r"[^\d\s.\-/()+]", text):
        raise IdentifierError(
            "phone_characters",
            f"Phone number {value!r} contains characters other than digits, spaces, dots, "
            "dashes and a leading +.",
            {"value": str(value)},
        )
    if not plus and digits.startswith("00"):
        digits, plus = digits[2:], True
    if plus or (len(digits) == 11 and digits.startswith(_MALI_CC)):
        if digits.startswith(_MALI_CC):
            national = digits[len(_MALI_CC) :]
        elif 8 <= len(digits) <= 15:
            return "+" + digits
        else:
            raise IdentifierError(
                "phone_length",
                f"Phone number {value!r} has {len(digits)} digits; an international number "
                "has 8 to 15 digits including the country code.",
                {"value": str(value), "digits": len(digits)},
            )
    else:
        national = digits
    if len(national) != 8:
        raise IdentifierError(
            "phone_length",
            f"Phone number {value!r} is not a Malian number: expected 8 digits after the "
            f"optional +223, got {len(national)}.",
            {"value": str(value), "digits": len(national)},
        )
    if national[0] not in "2456789":
        raise IdentifierError(
            "phone_prefix",
            f"Phone number {value!r} is not a Malian number: a Malian number starts with "
            "2, 4, 5, 6, 7, 8 or 9.",
            {"value": str(value)},
        )
    return "+" + _MALI_CC + national


def _compact_upper(value: str) -> str:
    return _SEPARATORS.sub("", anyascii(str(value)).upper())


def _normalise_nina(value: str) -> str:
    # Loi 06-040 / CTDEC: 14 digits (nationality, sex, birth year, birth place, sequence)
    # followed by one check letter; printed with spaces in groups.
    text = _compact_upper(value)
    if not re.fullmatch(r"\d{14}[A-Z]", text):
        raise IdentifierError(
            "nina_format",
            f"NINA {value!r} is not valid: a NINA has 14 digits followed by one letter "
            "(for example 1 1 85 1234567 001 K).",
            {"value": str(value)},
        )
    return text


def _normalise_passport(value: str) -> str:
    text = _compact_upper(value)
    if not re.fullmatch(r"[A-Z0-9]{6,9}", text) or not re.search(r"\d", text):
        raise IdentifierError(
            "passport_format",
            f"Passport number {value!r} is not valid: expected 6 to 9 letters and digits, "
            "with at least one digit.",
            {"value": str(value)},
        )
    return text


def _normalise_service_number(value: str) -> str:
    text = _compact_upper(value)
    if not re.fullmatch(r"[A-Z0-9]{3,20}", text) or not re.search(r"\d", text):
        raise IdentifierError(
            "service_number_format",
            f"Service number {value!r} is not valid: expected 3 to 20 letters and digits, "
            "with at least one digit.",
            {"value": str(value)},
        )
    # Leading zeros are significant on some registers (0123 vs 123): keep them.
    return text


def _normalise_un_index(value: str) -> str:
    text = _compact_upper(value)
    if not re.fullmatch(r"\d{5,10}", text):
        raise IdentifierError(
            "un_index_format",
            f"UN index number {value!r} is not valid: expected 5 to 10 digits.",
            {"value": str(value)},
        )
    return text


_NATIONAL_ID = re.compile(r"^(?:([A-Z]{2,3}):)?([A-Z0-9]{4,20})$")


def _normalise_national_id(value: str) -> str:
    # ``CC:VALUE`` as the roster import writes it (trainees.imports.cells.national_id_normalise);
    # a bare value is of an unknown country, ``XX``.
    text = str(value).strip()
    country, _sep, rest = text.rpartition(":")
    compact = _compact_upper(rest)
    country = _compact_upper(country) or "XX"
    match = _NATIONAL_ID.match(f"{country}:{compact}")
    if match is None or not re.search(r"\d", compact):
        raise IdentifierError(
            "national_id_format",
            f"National ID {value!r} is not valid: expected 4 to 20 letters and digits, with "
            "at least one digit, after an optional country code (SN:1234567).",
            {"value": str(value)},
        )
    return f"{country}:{compact}"


_NORMALISERS = {
    "national_id": _normalise_national_id,
    "phone": normalise_phone,
    "nina": _normalise_nina,
    "passport": _normalise_passport,
    "service_number": _normalise_service_number,
    "un_index": _normalise_un_index,
}


def normalise_identifier(id_type: str, value: str) -> str:
    """Return the canonical form of an identifier or raise :class:`IdentifierError`.

    The canonical form is what the registry stores and what (type, value) uniqueness applies
    to. Normalising a canonical value returns it unchanged.
    """
    if id_type not in _NORMALISERS:
        raise IdentifierError(
            "identifier_type",
            f"Unknown identifier type {id_type!r}; expected one of "
            f"{', '.join(sorted(IDENTIFIER_TYPES))}.",
            {"type": str(id_type)},
        )
    if value is None or not str(value).strip():
        raise IdentifierError(
            "identifier_empty", f"The {id_type} is empty.", {"type": id_type, "value": ""}
        )
    return _NORMALISERS[id_type](value)


def identifier_error(id_type: str, value: str) -> IdentifierError | None:
    """Return the validation error for an identifier, or ``None`` when it is valid."""
    try:
        normalise_identifier(id_type, value)
    except IdentifierError as exc:
        return exc
    return None
