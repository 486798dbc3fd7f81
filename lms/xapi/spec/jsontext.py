"""Reading JSON a client sent, within limits the rest of the LRS can rely on.

xAPI puts no bound on nesting or on the characters of a string, but JSON text may carry two
things that break everything downstream: nesting deep enough to exhaust Python's recursion
(the parser, the validator and the serialiser all recurse), and ``\\ud800``-style escapes of
lone surrogates, which decode to a Python string that can never be encoded as UTF-8 again
(Data 2.2.s4.b1: statements are JSON, and JSON text exchanged between systems is UTF-8,
RFC 8259 section 8.1). Both are refused with a 400 that names the property.
"""

from __future__ import annotations

from typing import Any

from .primitives import fail, key_path

# Real statements nest about ten levels (context.contextActivities.grouping[0].definition
# .extensions...); extensions may go further. Thirty-two is far beyond any real document and
# far below Python's recursion limit.
MAX_DEPTH = 32


def json_check(value: Any, path: str = "body") -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` and strings (keys included) that are not valid
    Unicode. Walks without recursion, so any parsed value can be checked."""
    stack = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item, where)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            fail(where, f"is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            for key, child in item.items():
                _check_text(key, key_path(where, key))
                stack.append((child, key_path(where, key), depth + 1))
        else:
            stack.extend(
                (child, f"{where}[{index}]", depth + 1) for index, child in enumerate(item)
            )


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        fail(path, "is not valid Unicode: it holds a lone surrogate such as \\ud800")
