"""Every URL the platform routes, as a concrete path a client can request.

The resolver is walked pattern by pattern (Wagtail's admin, allauth, the LRS, our own apps);
each parameter is filled with a value its converter or regular expression accepts, so that
every pattern, even one that needs an object that does not exist, is requested. ``fill`` lets
a test put real identifiers in (objects of another office, of another trainee).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern, URLResolver

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_SAMPLES = ("1", "x", "csv", "live", "latest", str(uuid.UUID(int=1)), "x/")
_CONVERTER_SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": str(uuid.UUID(int=1)),
}


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``route`` as written (joined), ``path`` a request path for it."""

    route: str
    path: str
    name: str | None
    view: object

    @property
    def view_class(self):
        view = self.view
        while hasattr(view, "func"):  # functools.partial
            view = view.func
        return getattr(view, "view_class", None) or getattr(view, "cls", None) or view


def _sample(name: str, matches: Callable[[str], bool], fill: dict[str, str]) -> str:
    if name in fill and matches(fill[name]):
        return fill[name]
    for candidate in _SAMPLES:
        if matches(candidate):
            return candidate
    raise ValueError(f"no sample value for parameter {name!r}")


def _top_groups(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of each outermost group of a regular expression."""
    depth, start, escaped = 0, 0, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                yield start, index + 1


def _regex_path(regex: str, fill: dict[str, str]) -> str:
    text = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    pieces, last = [], 0
    for start, end in _top_groups(text):
        group = text[start:end]
        named = re.match(r"\(\?P<(\w+)>", group)
        pattern = re.compile(group)
        value = _sample(named[1] if named else "", lambda v, p=pattern: bool(p.fullmatch(v)), fill)
        pieces += [text[last:start], value]
        last = end
    pieces.append(text[last:])
    literal = "".join(
        re.sub(r"\\(.)", r"\1", piece.replace(".*", "x").replace(".+", "x"))
        if i % 2 == 0
        else piece
        for i, piece in enumerate(pieces)
    )
    return literal


def _route_path(route: str, fill: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match["name"]
        converter = match["converter"] or "str"
        if name in fill:
            return fill[name]
        return _CONVERTER_SAMPLES.get(converter, "x")

    return _ROUTE_PARAM.sub(replace, route)


def _part(pattern, fill: dict[str, str]) -> tuple[str, str]:
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix, pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        return str(pattern), _route_path(str(pattern), fill)
    if isinstance(pattern, RegexPattern):
        return str(pattern), _regex_path(pattern._regex, fill)
    raise TypeError(f"unknown URL pattern type {type(pattern).__name__}")


def routes(fill: dict[str, str] | None = None, languages=("fr",)) -> Iterator[Route]:
    """Every URL pattern once (language-prefixed ones in each of ``languages``)."""
    from django.utils import translation

    fill = fill or {}
    seen: set[tuple[str, str, object]] = set()
    for language in languages:
        with translation.override(language):
            for parts, pattern in _walk(get_resolver().url_patterns, ()):
                written, path = zip(*(_part(p, fill) for p in parts), strict=True)
                route, request_path = "".join(written), "/" + "".join(path)
                key = (route, request_path, pattern.callback)
                if key in seen:
                    continue
                seen.add(key)
                yield Route(route, request_path, pattern.name, pattern.callback)


def _walk(patterns, prefix):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, (*prefix, pattern.pattern))
        else:
            yield (*prefix, pattern.pattern), pattern
