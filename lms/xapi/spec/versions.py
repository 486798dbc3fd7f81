"""The one place that knows which xAPI versions this LRS speaks (Communication 3.3).

Versions are grouped by ``major.minor`` line: 1.0 (xAPI 1.0.0-1.0.3) and 2.0 (xAPI 2.0,
IEEE 9274.1.1). A request in a supported line is answered with that line's latest patch
version, chosen per request by the ``X-Experience-API-Version`` header; the rules that
differ between the lines ask :func:`is_v2`.
"""

from __future__ import annotations

import re

from .errors import XAPIValidationError

SUPPORTED: tuple[str, ...] = ("2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0")
LATEST = SUPPORTED[0]
LATEST_1_0 = "1.0.3"
HEADER = "X-Experience-API-Version"
# Data 2.4.10.s3.b3: a stored Statement lacking a version is returned with "1.0.0"; a
# statement sent in a 2.0 request without one is a 2.0.0 statement.
DEFAULT_STATEMENT_VERSION = "1.0.0"
DEFAULT_STATEMENT_VERSION_2 = "2.0.0"


def is_v2(version: str | None) -> bool:
    """Whether a negotiated version is in the xAPI 2.0 line (IEEE 9274.1.1)."""
    return bool(version) and version.startswith("2.")


def default_statement_version(version: str | None) -> str:
    return DEFAULT_STATEMENT_VERSION_2 if is_v2(version) else DEFAULT_STATEMENT_VERSION


# Semantic Versioning 1.0.0: MAJOR.MINOR.PATCH with an optional pre-release suffix.
# Communication 3.3.s3.b3 also admits a bare "1.0" in the header.
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(-[0-9A-Za-z-]+)?)?")


def _line(version: str) -> str:
    return ".".join(version.split(".")[:2])


# The latest patch version of each supported major.minor line, e.g. {"1.0": "1.0.3"}.
LATEST_BY_LINE: dict[str, str] = {}
for _version in SUPPORTED:
    LATEST_BY_LINE.setdefault(_line(_version), _version)


def version_negotiate(header_value: str | None) -> str:
    """Communication 3.3.s3: the version this LRS answers a request with.

    Accepts "1.0" as "1.0.0" (b3) and any "1.0.x" (b5), answering with the latest patch
    of that line, which the response header carries (b2); likewise "2.0" and "2.0.x"
    (xAPI 2.0), answered "2.0.0". Rejects a missing header (3.3.s4.b1), versions before
    1.0.0 (b4) and lines this LRS does not implement, such as 1.1.0 or 3.0.0 (b6); the
    caller answers 400 with the message (b7).
    """
    path = HEADER
    if header_value is None or not header_value.strip():
        raise XAPIValidationError(
            f"is missing; send it with every request, e.g. '{HEADER}: {LATEST}'", path
        )
    value = header_value.strip()
    match = _SEMVER.fullmatch(value)
    if not match:
        raise XAPIValidationError(f"must be a version such as '{LATEST}', got {value!r}", path)
    line = f"{match[1]}.{match[2]}"
    if line not in LATEST_BY_LINE:
        supported = ", ".join(SUPPORTED)
        raise XAPIValidationError(
            f"version {value!r} is not supported; this LRS supports {supported}", path
        )
    return LATEST_BY_LINE[line]


_STATEMENT_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+)?")


def statement_version_supported(version: str, request_version: str | None = None) -> bool:
    """Data 2.4.10: a Statement's "version" is a semantic version (s2.b1) in a supported
    line: for 1.0.x every version starting with "1.0." (s3.b1, s3.b2). A bare "1.0" is
    accepted too, as the ADL reference LRS reads the rule (the header admits it,
    Communication 3.3.s3.b3, and clients copy the header into the statement).

    xAPI 2.0 (9274.1.1, Data 2.4.10): a 2.0 request carries statements of "1.0.x" or
    "2.0.x"; a 1.0.x request only 1.0.x statements, since its client speaks 1.0.3."""
    lines = {"1.0", "2.0"} if is_v2(request_version) else {"1.0"}
    if version == "1.0":
        return True
    match = _STATEMENT_VERSION.fullmatch(version)
    return bool(match) and f"{match[1]}.{match[2]}" in lines


def version_answered(header_value: str | None) -> str:
    """The version an answer carries when the request may not have been negotiated yet
    (an early error, CORS preflight, About): the negotiated one when the header is good,
    else the latest this LRS speaks."""
    try:
        return version_negotiate(header_value)
    except XAPIValidationError:
        return LATEST
