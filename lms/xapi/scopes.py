"""The scopes an LRS client can hold (xAPI 1.0.3 Communication 4.1, OAuth scope list).

Stored as plain strings on :class:`lms.xapi.models.LRSClient`; every resource names the
scopes it needs and asks :func:`scopes_allow`.
"""

from __future__ import annotations

from collections.abc import Iterable

STATEMENTS_WRITE = "statements/write"
STATEMENTS_READ = "statements/read"
STATEMENTS_READ_MINE = "statements/read/mine"
STATE = "state"
DEFINE = "define"
PROFILE = "profile"
ALL = "all"

ALL_SCOPES: tuple[str, ...] = (
    STATEMENTS_WRITE,
    STATEMENTS_READ,
    STATEMENTS_READ_MINE,
    STATE,
    DEFINE,
    PROFILE,
    ALL,
)

# Communication 4.1 scope table: "all" covers everything; "statements/read" covers
# "statements/read/mine" (reading every statement includes reading one's own).
_IMPLIED: dict[str, frozenset[str]] = {
    STATEMENTS_READ: frozenset({STATEMENTS_READ_MINE}),
}


def scopes_allow(granted: Iterable[str], needed: str) -> bool:
    """Whether the ``granted`` scopes give access to ``needed``."""
    granted = set(granted)
    if ALL in granted or needed in granted:
        return True
    return any(needed in _IMPLIED.get(scope, ()) for scope in granted)
