"""Comparison features of a prepared record: the flat columns the linkage model compares.

The same features feed two consumers, and must mean the same to both:

* the model's training (:mod:`.model`), where splink compares them in SQL on DuckDB, and
* the engine's scorer (:func:`.model.LinkageModel.score`), which compares them in Python for
  the few candidate pairs a blocking index finds.

Domain knowledge lives here, as features, not as weights: the weights are learned.

* ``name_exact``: the normalised tokens, sorted (order-free: swapped given/family names agree).
* ``name_key``: the canonical tokens (variant table: Mohamed/Mouhamed, Coulibaly/Kulibali).
* ``name_bases``: canonical tokens with particles stripped (Ag, Ould, Mint, Walet, Ben, Al),
  so a particle that moved to the other cell (``AG ALHASSANE`` / ``Ag`` in the given names)
  still agrees.
* ``name_phonetic``: a phonetic key suited to French transcriptions of Bambara, Songhai,
  Tamasheq, Fulfulde and Arabic names (:func:`phonetic`), on the bases, sorted.
* ``name_initials``: first letters, for "M. Traoré" against "Moussa Traoré".
* ``name_compact``: the name written without its spaces (:func:`name_compact`), for a space
  typed inside a name or left out between two ("Soph Ie" / "Sophie", "Maha Madou" /
  "Mahamadou").
* birth date as ISO text (``None`` when only a year is known: 1 January / 31 December are
  the clerks' placeholders for "born about", see :func:`.block.prepare`), and birth year.
* one column per strong identifier type (canonical value) and its loose form (leading zeros
  stripped), phones in international form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .block import Prepared
from .normalise import COMPARED_IDENTIFIER_TYPES, PARTICLES, STRONG_IDENTIFIER_TYPES

__all__ = [
    "ID_TYPES",
    "VETO_TYPES",
    "Features",
    "features",
    "identifier_number",
    "loose_identifier",
    "name_bases",
    "name_compact",
    "phonetic",
]

#: Identifier types the model compares, in a fixed order.
ID_TYPES: tuple[str, ...] = tuple(sorted(COMPARED_IDENTIFIER_TYPES))
#: Those of them whose two different values are two people (the linkage constraints).
VETO_TYPES: tuple[str, ...] = tuple(sorted(STRONG_IDENTIFIER_TYPES))
_PARTICLE_FORMS = frozenset(PARTICLES.values())

# Order matters: digraphs before single letters.
_PHONETIC_RULES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"[^a-z]", ""),
        (r"dj", "j"),
        (r"di(?=[aeiou])", "j"),  # Diarra / Jara, Diallo / Jallo
        (r"tch", "c"),
        (r"kh", "k"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"sh|ch", "s"),  # Cheick / Sheikh, Chérif / Sharif
        (r"ck|qu|q", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"ou|w|o", "u"),  # Oumar / Umar / Omar, Walet / Oualet
        (r"y", "i"),  # Coulibaly / Kulibali
        (r"ei|ai|e", "e"),
        (r"(?<=[a-z])h", ""),  # Mohamed / Moamed, Ahmadou / Amadou
        (r"^h", ""),
        (r"(.)\1+", r"\1"),  # double letters: Moussa / Mousa, Dicko / Diko
        (r"(?<=..)e$", ""),  # final e: Alhassane / Alhassan, Traore / Traor
    )
)


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A phonetic key of one name part (no particle). Idempotent enough for equality tests:
    two spellings a French clerk would produce for one spoken name share it; it is used as
    evidence only through the learned weight of its own comparison level."""
    text = token.rpartition("+")[2]
    for pattern, repl in _PHONETIC_RULES:
        text = pattern.sub(repl, text)
    return text or token[:2]


@lru_cache(maxsize=200_000)
def _base(token: str) -> str:
    return token.rpartition("+")[2]


def name_bases(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Canonical tokens without their particles; a particle alone is dropped."""
    return tuple(sorted({_base(t) for t in tokens if t not in _PARTICLE_FORMS} or set(tokens)))


def loose_identifier(value: str) -> str:
    """An identifier with leading zeros dropped (80226 / 080226 are one number typed twice);
    a national ID's country prefix (``SN:``) is kept."""
    country, sep, number = value.rpartition(":")
    return f"{country}{sep}{number.lstrip('0') or number}"


def identifier_number(value: str) -> str:
    """The number of an identifier without a national ID's country prefix."""
    return value.rpartition(":")[2]


def name_compact(p: Prepared) -> tuple[str, ...]:
    """The name written without its spaces: the given names then the family name, and the
    other way round; for a whole name in one cell, its words joined as written and with the
    first or the last moved to the other end (the family name may come first or last).
    "Soph Ie / Nicolle" and "Sophie / Nicolle", "Maha Madou" and "Mahamadou", "Mac
    Kinder" and "Mackinder" meet."""
    raw = p.raw
    if not raw:
        return ()
    if p.n_given >= 0:
        given, family = "".join(raw[: p.n_given]), "".join(raw[p.n_given :])
        forms = {given + family, family + given}
    else:
        forms = {"".join(raw), "".join(raw[1:] + raw[:1]), "".join(raw[-1:] + raw[:-1])}
    return tuple(sorted(forms))


class Features:
    """The flat columns of one record (see the module docstring)."""

    __slots__ = (
        "birth_date",
        "birth_year",
        "ids",
        "ids_loose",
        "name_bases",
        "name_compact",
        "name_exact",
        "name_initials",
        "name_key",
        "name_phonetic",
        "name_tokens",
        "organisation",
        "phones",
        "residence",
        "residence_tokens",
        "sex",
    )

    def __init__(self, p: Prepared) -> None:
        self.name_tokens = tuple(sorted(set(p.tokens)))
        self.name_exact = " ".join(sorted(p.raw)) or None
        self.name_key = " ".join(self.name_tokens) or None
        bases = name_bases(p.tokens) if p.tokens else ()
        self.name_bases = " ".join(bases) or None
        self.name_phonetic = " ".join(sorted(phonetic(b) for b in bases)) or None
        self.name_initials = "".join(sorted(b[0] for b in bases)) or None
        self.name_compact = name_compact(p)
        self.birth_date = p.birth_date.isoformat() if p.birth_date else None
        self.birth_year = p.birth_year
        self.sex = p.sex
        self.organisation = p.organisation or None
        self.residence = p.residence or None
        self.residence_tokens = frozenset(p.residence.split()) if p.residence else frozenset()
        self.ids = {t: tuple(sorted(v)) for t, v in p.strong.items() if v}
        self.ids_loose = {
            t: tuple(sorted({loose_identifier(x) for x in v})) for t, v in p.strong.items()
        }
        self.phones = tuple(sorted(p.phones))

    def row(self, unique_id) -> dict:
        """The record as one row of the training table (splink's input)."""
        out = {
            "unique_id": unique_id,
            "name_exact": self.name_exact,
            "name_key": self.name_key,
            "name_bases": self.name_bases,
            "name_phonetic": self.name_phonetic,
            "name_initials": self.name_initials,
            "name_tokens": list(self.name_tokens) or None,
            "name_compact": list(self.name_compact) or None,
            "birth_date": self.birth_date,
            "birth_year": self.birth_year,
            "sex": self.sex,
            "organisation": self.organisation,
            "residence": self.residence,
            "residence_tokens": sorted(self.residence_tokens) or None,
            "phones": list(self.phones) or None,
        }
        for id_type in ID_TYPES:
            values = self.ids.get(id_type)
            # Training compares numbers (a national ID's country prefix left out).
            number = identifier_number(values[0]) if values else None
            out[id_type] = number
            out[f"{id_type}_loose"] = (number.lstrip("0") or number) if number else None
        return out


def features(p: Prepared) -> Features:
    """The features of ``p``, computed once and kept on the prepared record."""
    f = p.feats
    if f is None:
        f = p.feats = Features(p)
    return f
