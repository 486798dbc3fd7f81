"""French typography, in one place: a narrow no-break space (U+202F) before : ; ! ? and
inside « ». Applied to the French catalogue when it is built (scripts/translations.sh) and,
through the ``typography`` template filter and ``colon`` tag, to text assembled in templates.

Not touched: times and ratios (08:17), URLs (https://, ?next=), a colon inside a word.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"

_SPACED = re.compile(r"[ \u00a0\u202f]+([:;!?])(?=\s|$|<|\")")
_UNSPACED = re.compile(r"(?<=[^\s\d\u202f:;!?/(])([:;!?])(?=\s|$|<)")
# Any run of spaces already there (narrow ones included) becomes one: typesetting twice
# changes nothing.
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_REPEATED = re.compile("\u202f{2,}")


def french_typography(text: str) -> str:
    """``text`` with French spacing around high punctuation and guillemets. Idempotent: the
    catalogue is typeset again each time it is built."""
    if not text:
        return text
    text = _SPACED.sub(NNBSP + r"\1", text)
    text = _UNSPACED.sub(NNBSP + r"\1", text)
    text = _OPEN_QUOTE.sub("«" + NNBSP, text)
    text = _CLOSE_QUOTE.sub(NNBSP + "»", text)
    return _REPEATED.sub(NNBSP, text)


def typography(text: str, language: str | None) -> str:
    """``french_typography`` when ``language`` is French, ``text`` unchanged otherwise."""
    if language and language.split("-")[0] == "fr":
        return french_typography(text)
    return text
