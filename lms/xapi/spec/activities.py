"""Activities and Activity Definitions, interactions included (Data 2.4.4.1)."""

from __future__ import annotations

from typing import Any

from .primitives import (
    check_array,
    check_extensions,
    check_iri,
    check_irl,
    check_keys,
    check_language_map,
    check_object,
    check_string,
    fail,
)

ACTIVITY_PROPERTIES = frozenset({"objectType", "id", "definition"})

# Data 2.4.4.1.s9 Interaction Types, matched case-sensitively (Data 2.2.s4.b1.b6).
INTERACTION_TYPES = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
)
# Data 2.4.4.1.s15 table 2: which interaction component lists each type supports.
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
COMPONENT_LISTS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "choice": ("choices",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "matching": ("source", "target"),
    "performance": ("steps",),
}
INTERACTION_PROPERTIES = ("interactionType", "correctResponsesPattern", *COMPONENT_LISTS)
DEFINITION_PROPERTIES = frozenset(
    {"name", "description", "type", "moreInfo", "extensions", *INTERACTION_PROPERTIES}
)
COMPONENT_PROPERTIES = frozenset({"id", "description"})


def validate_activity(value: Any, path: str) -> None:
    """Data 2.4.4.1: an Activity has an IRI id; objectType MUST be ``Activity`` when
    present; the definition is optional."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=ACTIVITY_PROPERTIES, required=("id",))
    if "objectType" in obj and obj["objectType"] != "Activity":
        fail(f"{path}.objectType", f"must be 'Activity', got {obj['objectType']!r}")
    check_iri(obj["id"], f"{path}.id")
    if "definition" in obj:
        validate_activity_definition(obj["definition"], f"{path}.definition")


def validate_activity_definition(value: Any, path: str) -> None:
    """Data 2.4.4.1.s2 Activity Definition: name/description are language maps, type an
    IRI, moreInfo an IRL, extensions keyed by IRIs; then the interaction properties."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=DEFINITION_PROPERTIES)
    for key in ("name", "description"):
        if key in obj:
            check_language_map(obj[key], f"{path}.{key}")
    if "type" in obj:
        check_iri(obj["type"], f"{path}.type")
    if "moreInfo" in obj:
        check_irl(obj["moreInfo"], f"{path}.moreInfo")
    if "extensions" in obj:
        check_extensions(obj["extensions"], f"{path}.extensions")
    _validate_interaction(obj, path)


def _validate_interaction(definition: dict, path: str) -> None:
    """Data 2.4.4.1.s8-s16 Interaction Activities: a valid interactionType (s13.b1) is
    required once any interaction property is used; correctResponsesPattern is an array
    of strings; component lists appear only for the types that support them."""
    used = [key for key in INTERACTION_PROPERTIES[1:] if key in definition]
    if "interactionType" not in definition:
        if used:
            fail(f"{path}.interactionType", f"is required when '{used[0]}' is given")
        return
    interaction_type = check_string(definition["interactionType"], f"{path}.interactionType")
    if interaction_type not in INTERACTION_TYPES:
        fail(
            f"{path}.interactionType",
            f"must be one of {', '.join(INTERACTION_TYPES)} (exact case), got {interaction_type!r}",
        )
    if "correctResponsesPattern" in definition:
        patterns = check_array(
            definition["correctResponsesPattern"], f"{path}.correctResponsesPattern"
        )
        for index, pattern in enumerate(patterns):
            check_string(pattern, f"{path}.correctResponsesPattern[{index}]")
    supported = COMPONENT_LISTS_BY_TYPE.get(interaction_type, ())
    for key in COMPONENT_LISTS:
        if key not in definition:
            continue
        if key not in supported:
            allowed = ", ".join(f"'{name}'" for name in supported) or "no component lists"
            fail(
                f"{path}.{key}",
                f"is not allowed for interactionType '{interaction_type}' (it supports {allowed})",
            )
        _validate_components(definition[key], f"{path}.{key}")


def _validate_components(value: Any, path: str) -> None:
    """Data 2.4.4.1.s15-s16 Interaction Components: each has a string id and an optional
    description language map; ids within one list MUST be distinct."""
    seen: dict[str, int] = {}
    for index, component in enumerate(check_array(value, path)):
        item_path = f"{path}[{index}]"
        obj = check_object(component, item_path)
        check_keys(obj, item_path, allowed=COMPONENT_PROPERTIES, required=("id",))
        component_id = check_string(obj["id"], f"{item_path}.id")
        if component_id in seen:
            fail(
                f"{item_path}.id",
                f"duplicates the id {component_id!r} of {path}[{seen[component_id]}]; "
                "ids within a list must be distinct",
            )
        seen[component_id] = index
        if "description" in obj:
            check_language_map(obj["description"], f"{item_path}.description")
