"""Checks for the value types xAPI 1.0.3 uses everywhere (Data 2.2 and Data 4).

Each ``check_*`` function takes a value and the path it came from, raises
:class:`XAPIValidationError` when the value breaks the rule, and otherwise returns the
value (or its parsed form). They know nothing about where the value sits in a Statement;
the statement, agent and activity modules call them.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, NoReturn

from .errors import XAPIValidationError


def fail(path: str, message: str) -> NoReturn:
    raise XAPIValidationError(message, path)


def describe(value: Any) -> str:
    """Name a JSON value's type the way a client author would."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def key_path(path: str, key: str) -> str:
    """Path of a map entry whose key is data, not a property name (language tags, IRIs)."""
    return f"{path}[{key!r}]"


# -- Data 2.2 Formatting Requirements -------------------------------------------------


def check_object(value: Any, path: str) -> dict:
    """Data 2.2.s4.b1: the LRS rejects values of the wrong type."""
    if not isinstance(value, dict):
        fail(path, f"must be an object, not {describe(value)}")
    return value


def check_array(value: Any, path: str) -> list:
    """Data 2.2.s4.b1: the LRS rejects values of the wrong type."""
    if not isinstance(value, list):
        fail(path, f"must be an array, not {describe(value)}")
    return value


def check_keys(
    obj: dict,
    path: str,
    *,
    allowed: frozenset[str] | set[str],
    required: tuple[str, ...] = (),
) -> None:
    """Data 2.2.s4.b1.b1/b5/b7 and 2.2.s4.b8: no null values, no keys the spec does not
    define for this object (key case must match exactly), and every required key present.
    """
    for key, value in obj.items():
        if key not in allowed:
            hint = next((name for name in allowed if name.lower() == str(key).lower()), None)
            if hint:
                fail(
                    f"{path}.{key}",
                    f"unknown property; property names are case-sensitive, use '{hint}'",
                )
            fail(f"{path}.{key}", "is not a property the xAPI specification allows here")
        if value is None:
            fail(f"{path}.{key}", "must not be null")
    for key in required:
        if key not in obj:
            fail(f"{path}.{key}", "is required")


def check_string(value: Any, path: str) -> str:
    """Data 2.2.s4.b1: strings are strings, not numbers, objects or null."""
    if not isinstance(value, str):
        fail(path, f"must be a string, not {describe(value)}")
    return value


def check_boolean(value: Any, path: str) -> bool:
    """Data 2.2.s4.b1.b3: booleans are JSON true/false, not strings such as "true"."""
    if not isinstance(value, bool):
        fail(path, f"must be a boolean (true or false), not {describe(value)}")
    return value


def check_number(value: Any, path: str) -> float:
    """Data 2.2.s4.b1.b2: numbers are JSON numbers, not strings such as "100"."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(path, f"must be a number, not {describe(value)}")
    if not math.isfinite(value):
        fail(path, "must be a finite number")
    return value


def check_integer(value: Any, path: str) -> int:
    """Data 2.4.11 Attachments: "length" is an Integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail(path, f"must be an integer, not {describe(value)}")
    return value


# -- Data 3.1 / 4.3 IRIs ----------------------------------------------------------------

# Not an xAPI limit: the longest IRI this LRS indexes (the column of verb and activity ids).
# A longer one is refused with 400 rather than failing at the database.
IRI_MAX_LENGTH = 2048
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# Characters RFC 3987 never allows unescaped: controls, space and  < > " { } | \ ^ `
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`]')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HTTP_AUTHORITY = re.compile(r"https?://[^/?#@\s]*@?[^/?#]+", re.IGNORECASE)


def check_iri(value: Any, path: str, *, kind: str = "IRI") -> str:
    """Data 2.2.s4.b1.b4/b8 and 3.1: an IRI (or IRL) is absolute: it has a scheme.

    Best-effort as Data 2.2.s4.b6 allows: scheme, no characters RFC 3987 forbids, valid
    percent-escapes, and a host for http(s). Relative references are rejected (the note
    under Data 2.4.4.1: "IRI fragments ... are not valid IRIs").
    """
    text = check_string(value, path)
    if not text:
        fail(path, f"must be an {kind}, not an empty string")
    if len(text) > IRI_MAX_LENGTH:
        fail(
            path,
            f"is {len(text):,} characters long; this LRS stores {kind}s of at most "
            f"{IRI_MAX_LENGTH:,}",
        )
    if not _SCHEME.match(text):
        fail(path, f"must be an absolute {kind} with a scheme (such as 'https:'), got {text!r}")
    if len(text) == text.index(":") + 1:
        fail(path, f"must be an {kind} with something after the scheme, got {text!r}")
    bad = _IRI_FORBIDDEN.search(text)
    if bad:
        fail(path, f"is not a valid {kind}: it contains the character {bad.group()!r}")
    if _BAD_PERCENT.search(text):
        fail(path, f"is not a valid {kind}: '%' must be followed by two hexadecimal digits")
    scheme = text.split(":", 1)[0].lower()
    if scheme in ("http", "https") and not _HTTP_AUTHORITY.match(text):
        fail(path, f"is not a valid {kind}: an {scheme} IRI needs a host, got {text!r}")
    return text


def check_irl(value: Any, path: str) -> str:
    """Data 2.2.s4.b1.b8: IRLs (homePage, moreInfo, fileUrl) must have a scheme too."""
    return check_iri(value, path, kind="IRL")


# -- Data 4.4 UUIDs ---------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def check_uuid(value: Any, path: str) -> str:
    """Data 2.4.1 and 4.4: UUIDs MUST be in the standard string form (8-4-4-4-12 hex).

    Any version or variant is accepted: the spec's own examples use ids such as
    ``12345678-1234-5678-1234-567812345678`` whose variant bits are not RFC 4122's.
    """
    text = check_string(value, path)
    if not _UUID.fullmatch(text):
        fail(path, f"must be a UUID in standard form (8-4-4-4-12 hexadecimal), got {text!r}")
    return text


# -- Data 4.5 ISO 8601 Timestamps -------------------------------------------------------

_TS_EXTENDED = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[Tt](?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_TS_BASIC = re.compile(
    r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})[Tt](?P<h>\d{2})(?P<mi>\d{2})"
    r"(?:(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}(?:\d{2})?)?"
)


def parse_timestamp(value: Any, path: str) -> datetime:
    """Data 4.5.s1.b1: a Timestamp MUST be ISO 8601 (extended or basic combined format).

    Returns an aware datetime, so callers compare instants rather than strings
    (Data 2.3.1.b4). Rejected, as the ADL conformance suite expects: a negative zero
    offset (``-00``, ``-0000``, ``-00:00``), which ISO 8601 does not allow; and, as this
    platform decided, a timestamp without a time zone (Data 4.5.s1.b4 SHOULD*), because
    a local time is no instant.
    """
    text = check_string(value, path)
    match = _TS_EXTENDED.fullmatch(text) or _TS_BASIC.fullmatch(text)
    if not match:
        fail(
            path,
            f"must be an ISO 8601 timestamp such as '2024-05-18T05:32:34.804Z', got {text!r}",
        )
    tz = match["tz"]
    if not tz:
        fail(path, "must include a time zone, e.g. 'Z' or '+01:00'")
    if tz in ("Z", "z"):
        offset = timedelta(0)
    else:
        digits = tz[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            fail(path, f"has an impossible time-zone offset {tz!r}")
        if tz[0] == "-" and hours == 0 and minutes == 0:
            fail(path, "must not use a negative zero offset ('-00:00'); use 'Z' or '+00:00'")
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if tz[0] == "-" else 1)
    fraction = match["f"] or ""
    microsecond = int((fraction + "000000")[:6])
    hour, second = int(match["h"]), int(match["s"] or 0)
    end_of_day = hour == 24 and int(match["mi"]) == 0 and second == 0 and not fraction.strip("0")
    try:
        moment = datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            0 if end_of_day else hour,
            int(match["mi"]),
            second,
            microsecond,
            tzinfo=timezone(offset),
        )
    except ValueError:
        fail(path, f"is not a real date and time: {text!r}")
    try:
        moment = moment + timedelta(days=1) if end_of_day else moment
        moment.astimezone(UTC)  # stored in UTC: it must exist there too
    except OverflowError:
        fail(path, f"is outside the years 1 to 9999 once in UTC: {text!r}")
    return moment


# -- Data 4.6 ISO 8601 Durations --------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"P(?:(?P<W>{_NUM})W|(?:(?P<Y>{_NUM})Y)?(?:(?P<Mo>{_NUM})M)?(?:(?P<D>{_NUM})D)?"
    rf"(?P<T>T(?:(?P<H>{_NUM})H)?(?:(?P<Mi>{_NUM})M)?(?:(?P<S>{_NUM})S)?)?)"
)
_DURATION_PARTS = ("W", "Y", "Mo", "D", "H", "Mi", "S")


def check_duration(value: Any, path: str) -> str:
    """Data 4.6.s1.b1: a Duration MUST use ISO 8601:2004 4.4.3.2 (``PnYnMnDTnHnMnS`` or
    ``PnW``); the alternative format (``P0003-01-29T04:35:59``) MUST NOT be used.

    ISO 8601 allows a decimal fraction only on the smallest component given.
    """
    text = check_string(value, path)
    match = _DURATION.fullmatch(text)
    parts = [name for name in _DURATION_PARTS if match and match[name] is not None]
    example = "such as 'PT1H30M' or 'PT4.5S'"
    if not match or not parts:
        fail(path, f"must be an ISO 8601 duration {example}, got {text!r}")
    if match["T"] and not any(match[name] for name in ("H", "Mi", "S")):
        fail(path, f"has a 'T' with no hours, minutes or seconds after it: {text!r}")
    for name in parts[:-1]:
        if not match[name].isdigit():
            fail(path, f"may only have a decimal fraction on its last component: {text!r}")
    return text


# -- Data 4.2 Language Maps / RFC 5646 --------------------------------------------------

_GRANDFATHERED = (
    "en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|"
    "i-pwn|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE|art-lojban|cel-gaulish|no-bok|"
    "no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE_TAG = re.compile(
    r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})  # language, extlang
    (?:-[a-z]{4})?                                         # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                            # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*               # variants
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*                    # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                             # private use
    |x(?:-[a-z0-9]{1,8})+                                  # private use only
    |"""
    + _GRANDFATHERED,
    re.IGNORECASE | re.VERBOSE,
)


def is_language_tag(text: str) -> bool:
    """RFC 5646 ``Language-Tag`` syntax (token sequence and lengths, Data 2.2.s4.b2)."""
    return bool(_LANGUAGE_TAG.fullmatch(text))


def check_language_tag(value: Any, path: str) -> str:
    """Data 2.2.s4.b2 and Data 2.4.6 "language": an RFC 5646 language tag."""
    text = check_string(value, path)
    if not is_language_tag(text):
        fail(path, f"must be an RFC 5646 language tag such as 'en' or 'fr-ML', got {text!r}")
    return text


def check_language_map(value: Any, path: str) -> dict:
    """Data 4.2 Language Maps: keys are RFC 5646 tags (Data 2.2.s3.b2, 2.2.s4.b2), values
    are strings. An empty map is rejected, as the ADL conformance suite requires (a map
    "has at least 1 entry"; Data 2.2.s2.b1 discourages empty objects).
    """
    obj = check_object(value, path)
    if not obj:
        fail(path, "must be a language map with at least one entry, e.g. {'en': '...'}")
    for tag, text in obj.items():
        if not is_language_tag(tag):
            fail(key_path(path, tag), "is not an RFC 5646 language tag (e.g. 'en', 'fr-ML')")
        check_string(text, key_path(path, tag))
    return obj


# -- Data 4.1 Extensions ----------------------------------------------------------------


def check_extensions(value: Any, path: str) -> dict:
    """Data 4.1.s3.b1/b2: extension keys MUST be IRIs; values are never rejected (null
    included, Data 2.2.s4.b1.b1)."""
    obj = check_object(value, path)
    for key in obj:
        check_iri(key, key_path(path, key))
    return obj


# -- Data 2.4.2.3 mailto IRIs and sha1 sums ---------------------------------------------

_MAILTO = re.compile(r"mailto:[^@\s<>\"]+@[^@\s<>\"/?#]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")


def check_mailto(value: Any, path: str) -> str:
    """Data 2.4.2.3 mbox: the required format is "mailto:email address"."""
    text = check_string(value, path)
    if len(text) > IRI_MAX_LENGTH:
        fail(path, f"is {len(text):,} characters long; this LRS stores at most {IRI_MAX_LENGTH:,}")
    if not _MAILTO.fullmatch(text):
        fail(path, f"must be a mailto IRI such as 'mailto:someone@example.org', got {text!r}")
    return text


def check_sha1sum(value: Any, path: str) -> str:
    """Data 2.4.2.3 mbox_sha1sum: the hex-encoded SHA1 hash of a mailto IRI."""
    text = check_string(value, path)
    if not _SHA1.fullmatch(text):
        fail(path, f"must be a SHA1 hash written as 40 hexadecimal digits, got {text!r}")
    return text
