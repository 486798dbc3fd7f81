"""Splitting a "Prénom(s) et Nom" cell into given and family names, and telling a name from
a sentence.

Field offices often keep one column for the whole name, in either order: "Prénom(s) et Nom"
(Awa Traoré), "Nom et prénom(s)" (TRAORE Awa), "Nom complet" (either). The matching engine
compares names whatever their order, but a person must be recorded with a family name, so
the cell is split:

1. every word is normalised and spelled as in the variant table
   (:mod:`trainees.matching.variants`), so Keïta/Keita and Mohamed/Mouhamed are found;
2. the first and the last word are the candidate family names; each side scores +1 when it
   is a known family name (the variant table's family names and :data:`FAMILY_NAMES`), -1
   when it is a known given name; a word carrying a particle ("Ag Attaher", "Ould Sidi",
   "Walet Mohamed") counts as a family name;
3. a word written in capitals beside words that are not ("TRAORE Awa") is the family name,
   as French administrative writing has it; so is the order the header states;
4. the better side wins. The split is *sure* when the names themselves decide it (one side
   known as a family name and the other not), otherwise it follows the header, the capitals
   or, failing all, "family name first", and the row is flagged for the trainer to check.
"""

from __future__ import annotations

import re

from trainees.matching import canonical_token, name_tokens, normalise_text
from trainees.matching.variants import VARIANT_GROUPS, known_spellings

__all__ = ["FAMILY_NAMES", "looks_like_sentence", "name_split"]

#: Common Malian and Sahelian family names besides those of the variant table (normalised).
FAMILY_NAMES = frozenset(
    {
        "goita",
        "kampo",
        "cissoko",
        "coulibali",
        "tall",
        "sow",
        "barry",
        "bah",
        "diop",
        "fall",
        "ndiaye",
        "sy",
        "kane",
        "wague",
        "soumare",
        "soumaoro",
        "simpara",
        "diawara",
        "drame",
        "sidibe",
        "sangare",
        "kone",
        "kante",
        "ballo",
        "bore",
        "boire",
        "dakouo",
        "dara",
        "dembele",
        "diabate",
        "diakite",
        "diane",
        "dolo",
        "guindo",
        "kamissoko",
        "karembe",
        "keita",
        "konare",
        "konate",
        "kouma",
        "koumare",
        "mariko",
        "maiga",
        "sanogo",
        "sissoko",
        "tangara",
        "tapo",
        "telly",
        "timbine",
        "toure",
        "traore",
        "yalcouye",
        "yattara",
        "haidara",
        "dicko",
        "cisse",
        "diallo",
        "diarra",
        "coulibaly",
        "samake",
        "bagayoko",
        "doumbia",
        "camara",
        "fofana",
        "sacko",
        "sylla",
        "berthe",
        "thiam",
        "niang",
        "dao",
        "togo",
        "tembely",
        "kassogue",
        "poudiougo",
        "djire",
        "magassa",
        "kouyate",
        "ouattara",
        "doucoure",
        "kanoute",
        "sangho",
    }
)

_FIRST_FAMILY_KEY = "coulibaly"  # the variant table lists given names, then family names


def _table_sides() -> tuple[frozenset[str], frozenset[str]]:
    given, family, in_family = set(), set(), False
    for key in VARIANT_GROUPS:
        in_family = in_family or key == _FIRST_FAMILY_KEY
        (family if in_family else given).add(key)
    return frozenset(given), frozenset(family)


_GIVEN, _TABLE_FAMILY = _table_sides()
_FAMILY = frozenset({canonical_token(n) for n in FAMILY_NAMES} | _TABLE_FAMILY)


def _side(token: str) -> int:
    """+1 a family name, -1 a given name, 0 unknown (``token`` canonical)."""
    if "+" in token:
        head = token.split("+")[0]
        if head in ("ag", "ould", "walet", "mint", "ben"):
            return 1
    if token in _FAMILY:
        return 1
    if token in _GIVEN:
        return -1
    return 0


def _words(text: str) -> list[str]:
    """The cell's words, a particle kept with the word it qualifies ("Ag Attaher")."""
    words: list[str] = []
    pending: list[str] = []
    for word in str(text).split():
        if normalise_text(word) in ("ag", "agg", "ould", "walet", "welet", "mint", "ben", "bin"):
            pending.append(word)
            continue
        words.append(" ".join([*pending, word]))
        pending = []
    if pending:
        if words:
            words[-1] = " ".join([words[-1], *pending])
        else:
            words = pending
    return words


def name_split(text: str, *, order: str | None = None) -> tuple[str, str, bool]:
    """``(given names, family name, sure)`` for a whole-name cell.

    ``order`` is what the header says: ``"given_first"``, ``"family_first"`` or ``None``.
    A cell of one word returns it as the family name, unless it is a known given name.
    """
    words = _words(" ".join(str(text).split()))
    if not words:
        return "", "", False
    known = known_spellings()
    canon = [
        canonical_token("+".join(name_tokens(w, known=known)) or normalise_text(w)) for w in words
    ]
    if len(words) == 1:
        return ("", words[0], True) if _side(canon[0]) >= 0 else (words[0], "", True)
    first, last = _side(canon[0]), _side(canon[-1])
    middle = sum(_side(c) for c in canon[1:-1])
    family_first = first - last
    caps = [w.isupper() and len(re.sub(r"\W", "", w)) > 1 for w in words]
    if caps[0] and not any(caps[1:]):
        caps_hint = "family_first"
    elif caps[-1] and not any(caps[:-1]):
        caps_hint = "given_first"
    else:
        caps_hint = None
    if family_first > 0:
        choice, sure = "family_first", first > 0 and last <= 0
    elif family_first < 0:
        choice, sure = "given_first", last > 0 and first <= 0
    else:
        choice, sure = (caps_hint or order or "family_first"), False
    if sure and middle > 0:  # a family name in the middle too: "Awa Traoré Keïta"
        sure = False
    if choice == "family_first":
        return " ".join(words[1:]), words[0], sure
    return " ".join(words[:-1]), words[-1], sure


_STOPWORDS = frozenset(
    {
        "le",
        "la",
        "les",
        "des",
        "du",
        "un",
        "une",
        "est",
        "pour",
        "par",
        "avec",
        "sans",
        "sur",
        "dans",
        "au",
        "aux",
        "qui",
        "que",
        "pas",
        "son",
        "sa",
        "ses",
        "il",
        "elle",
        "a",
        "the",
        "of",
        "for",
        "was",
        "is",
        "not",
        "with",
    }
)


def looks_like_sentence(text: str) -> bool:
    """Whether a name cell holds a sentence ("Absent pour cause de maladie, remplacé par
    son adjoint") rather than a name: a number, or several words of French or English prose,
    or too many words for a name."""
    words = normalise_text(text).split()
    if len(re.findall(r"\d", str(text))) >= 4:  # a phone or a date typed in the name column
        return True
    if len(words) > 8:
        return True
    prose = sum(1 for w in words if w in _STOPWORDS)
    return len(words) >= 4 and prose >= 2
