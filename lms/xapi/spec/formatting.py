"""How the LRS returns Statements: the GET ``format`` parameter (Communication 2.1.3) and
Accept-Language handling for canonical language maps (Communication 2.1.3.s4).

The agent and activity keys used by GET filters live in :mod:`.identity` and are
re-exported here.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from .agents import IFI_PROPERTIES
from .errors import XAPIValidationError
from .identity import (
    agent_ifi_key,
    statement_activity_id,
    statement_agent_keys,
    statement_related_activities,
    statement_related_agents,
)
from .primitives import is_language_tag

__all__ = [
    "FORMATS",
    "agent_ifi_key",
    "language_choose",
    "parse_accept_language",
    "statement_activity_id",
    "statement_agent_keys",
    "statement_format",
    "statement_related_activities",
    "statement_related_agents",
]

FORMATS = ("exact", "ids", "canonical")
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def statement_format(
    statement: dict,
    *,
    format: str = "exact",  # the spec's parameter name
    languages: Sequence[str] = (),
    activity_definitions: Mapping[str, dict] | None = None,
    verb_displays: Mapping[str, dict] | None = None,
) -> dict:
    """Return a copy of ``statement`` shaped for GET Statements ``format``.

    - ``exact``: as received (Data 2.4.3.s6.b1).
    - ``ids``: Agents, Groups, Activities and Verbs reduced to what identifies them; an
      Anonymous Group keeps its members, each reduced (Communication 2.1.3 ``format``).
    - ``canonical``: Activity definitions and Verb displays as the LRS knows them
      (``activity_definitions`` / ``verb_displays`` by id, else the statement's own), with
      each language map reduced to the one language ``languages`` prefers
      (Communication 2.1.3.s4); Agents and Groups as in ``exact``.

    In every format contextActivities values are arrays (Data 2.4.6.2.s4.b3, b4).
    """
    if format not in FORMATS:
        raise XAPIValidationError(f"must be one of {', '.join(FORMATS)}, got {format!r}", "format")
    result = copy.deepcopy(statement)
    if format == "ids":
        _to_ids(result)
    elif format == "canonical":
        _to_canonical(result, list(languages), activity_definitions or {}, verb_displays or {})
    else:
        _context_activities_everywhere(result)
    return result


# -- ids ----------------------------------------------------------------------------------


def _ids_agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    reduced = {key: agent[key] for key in ("objectType",) if key in agent}
    ifi = next((name for name in IFI_PROPERTIES if name in agent), None)
    if ifi:
        reduced[ifi] = agent[ifi]
    elif "member" in agent:  # Anonymous Group: identified by its members
        reduced["member"] = [_ids_agent(member) for member in agent["member"]]
    return reduced


def _ids_activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    # Communication 2.1.3 format=ids: an Activity keeps only its id (as the ADL reference
    # LRS answers; objectType defaults to Activity).
    return {"id": activity.get("id")}


def _ids_object(target: Any) -> Any:
    object_type = target.get("objectType", "Activity") if isinstance(target, dict) else None
    if object_type == "Activity":
        return _ids_activity(target)
    if object_type in ("Agent", "Group"):
        return _ids_agent(target)
    if object_type == "SubStatement":
        _to_ids(target)
    return target


def _to_ids(statement: dict) -> None:
    for key in ("actor", "authority"):
        if key in statement:
            statement[key] = _ids_agent(statement[key])
    if isinstance(statement.get("verb"), dict):
        statement["verb"] = {"id": statement["verb"].get("id")}
    if "object" in statement:
        statement["object"] = _ids_object(statement["object"])
    context = statement.get("context")
    if isinstance(context, dict):
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_agent(context[key])
        for activities in _context_activities_as_arrays(context):
            activities[:] = [_ids_activity(activity) for activity in activities]


def context_activities_normalised(statement: dict) -> dict:
    """Data 2.4.6.2.s4.b3: the LRS returns a single context Activity as an array of one,
    in every format, ``exact`` included. Applied when a statement is stored, so the stored
    text is already what every format returns. Returns a copy where anything changes (the
    caller's dicts are never modified), else the statement itself."""
    changed = _context_normalised(statement.get("context"))
    target = statement.get("object")
    changed_target = None
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        sub_context = _context_normalised(target.get("context"))
        if sub_context is not None:
            changed_target = dict(target, context=sub_context)
    if changed is None and changed_target is None:
        return statement
    result = dict(statement)
    if changed is not None:
        result["context"] = changed
    if changed_target is not None:
        result["object"] = changed_target
    return result


def _context_normalised(context: Any) -> dict | None:
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    if not isinstance(groups, dict) or all(isinstance(v, list) for v in groups.values()):
        return None
    arrays = {key: value if isinstance(value, list) else [value] for key, value in groups.items()}
    return dict(context, contextActivities=arrays)


def _context_activities_everywhere(statement: dict) -> None:
    _context_activities_as_arrays(statement.get("context"))
    target = statement.get("object")
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        _context_activities_as_arrays(target.get("context"))


def _context_activities_as_arrays(context: Any) -> list[list]:
    """Data 2.4.6.2.s4.b3: return every contextActivities value as an array."""
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    if not isinstance(groups, dict):
        return []
    for key, value in groups.items():
        if not isinstance(value, list):
            groups[key] = [value]
    return list(groups.values())


# -- canonical ----------------------------------------------------------------------------


def _to_canonical(
    statement: dict,
    languages: list[str],
    definitions: Mapping[str, dict],
    displays: Mapping[str, dict],
) -> None:
    verb = statement.get("verb")
    if isinstance(verb, dict):
        display = displays.get(verb.get("id"), verb.get("display"))
        if display:
            verb["display"] = _reduce(display, languages)
    target = statement.get("object")
    object_type = target.get("objectType", "Activity") if isinstance(target, dict) else None
    if object_type == "Activity":
        _canonical_activity(target, languages, definitions)
    elif object_type == "SubStatement":
        _to_canonical(target, languages, definitions, displays)
    for activities in _context_activities_as_arrays(statement.get("context")):
        for activity in activities:
            _canonical_activity(activity, languages, definitions)


def _canonical_activity(activity: Any, languages: list[str], definitions: Mapping) -> None:
    """Communication 2.1.3.s4.b1: one language in name, description and every interaction
    component's description."""
    if not isinstance(activity, dict):
        return
    definition = definitions.get(activity.get("id"), activity.get("definition"))
    if not isinstance(definition, dict):
        return
    definition = copy.deepcopy(definition)
    for key in ("name", "description"):
        if isinstance(definition.get(key), dict) and definition[key]:
            definition[key] = _reduce(definition[key], languages)
    for key in _COMPONENT_LISTS:
        for component in definition.get(key) or ():
            if isinstance(component, dict) and isinstance(component.get("description"), dict):
                component["description"] = _reduce(component["description"], languages)
    activity["definition"] = definition


def _reduce(language_map: dict, languages: list[str]) -> dict:
    if not language_map:
        return language_map
    chosen = language_choose(language_map, languages)
    return {chosen: language_map[chosen]}


# -- Accept-Language ----------------------------------------------------------------------


def parse_accept_language(header: str | None) -> list[str]:
    """Language ranges of an Accept-Language header (RFC 2616 14.4), most preferred first.

    Ranges with q=0 ("not acceptable") and malformed entries are dropped; equal q values
    keep the header's order.
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, *params = [piece.strip() for piece in part.split(";")]
        if not tag or (tag != "*" and not is_language_tag(tag)):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0 < quality <= 1:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def language_choose(language_map: Mapping[str, str], languages: Sequence[str]) -> str:
    """The key of ``language_map`` best matching the ordered ``languages`` ranges.

    RFC 2616 14.4 matching applied to one map (Communication 2.1.3.s4.b5): a range
    matches a tag equal to it or starting with it followed by "-"; "*" matches any.
    When no range matches, a tag with the same primary language is taken, then the
    map's first entry, since a language map is never returned empty.
    """
    keys = list(language_map)
    lowered = [key.lower() for key in keys]
    for wanted in languages:
        wanted_lower = wanted.lower()
        if wanted_lower == "*":
            return keys[0]
        if wanted_lower in lowered:
            return keys[lowered.index(wanted_lower)]
        for key, key_lower in zip(keys, lowered, strict=True):
            if key_lower.startswith(wanted_lower + "-"):
                return key
    for wanted in languages:
        primary = wanted.lower().split("-")[0]
        for key, key_lower in zip(keys, lowered, strict=True):
            if key_lower.split("-")[0] == primary:
                return key
    return keys[0]
