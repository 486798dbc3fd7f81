"""Canonical Activity definitions (Communication 2.5 Activities resource; Data 2.4.4.1.s2:
the LRS keeps a canonical definition from the statements it receives).

Any client makes an Activity known with the definition it first sends. Only clients
holding the ``define`` scope (and the platform's own emitter) change a known definition,
so a stray tool cannot rename the platform's courses.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from ..models import Activity

MERGED_MAPS = frozenset({"name", "description", "extensions"})


def definition_merge(current: dict, incoming: dict) -> dict:
    """Language maps and extensions are merged entry by entry (a new language adds to
    the map); every other property is replaced by the incoming one. Returns a new dict;
    neither argument is changed (values are shared, never mutated)."""
    merged = dict(current)
    for key, value in incoming.items():
        old = merged.get(key)
        if key in MERGED_MAPS and isinstance(old, dict) and isinstance(value, dict):
            merged[key] = {**old, **value}
        else:
            merged[key] = value
    return merged


def _activities_in(statement: dict) -> Iterable[dict]:
    """Every Activity object of a statement: object, context activities, and those of a
    SubStatement."""
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") == "Activity":
        yield target
    elif target.get("objectType") == "SubStatement":
        yield from _activities_in(target)
    groups = (statement.get("context") or {}).get("contextActivities") or {}
    for value in groups.values():
        yield from value if isinstance(value, list) else [value]


def activities_merge(*, statements: Iterable[dict], define: bool) -> None:
    """Create unknown Activities and, with ``define``, merge new definitions: one read, at
    most one bulk insert, and, only when a definition is new or changes, one locked read
    and one bulk update per batch."""
    incoming: dict[str, dict] = {}
    for statement in statements:
        for activity in _activities_in(statement):
            definition = activity.get("definition") or {}
            known = incoming.get(activity["id"])
            if known is None:
                incoming[activity["id"]] = definition
            elif definition and definition != known:
                # A batch usually repeats the same definition: merge only what differs.
                incoming[activity["id"]] = definition_merge(known, definition)
    if not incoming:
        return
    # This runs before the LRS's write lock (services.statements), so concurrent batches
    # meet here: new rows are inserted in activity id order (no deadlock between two
    # batches), and only definitions this batch changes are re-read under a row lock, so two
    # merges never lose one's entries while unchanged ones (the usual case) lock nothing.
    if define:
        known = {
            item.activity_id: item.definition
            for item in Activity.objects.filter(activity_id__in=incoming)
        }
    else:
        # Only which ids exist matters: no model instances, no definitions parsed.
        known = dict.fromkeys(
            Activity.objects.filter(activity_id__in=incoming).values_list("activity_id", flat=True)
        )
    Activity.objects.bulk_create(
        [
            Activity(activity_id=activity_id, definition=definition)
            for activity_id, definition in sorted(incoming.items())
            if activity_id not in known
        ],
        ignore_conflicts=True,
    )
    if not define:
        return
    # New ids are in the list too: the row may be another batch's, inserted while this
    # insert waited on it; its definition then gets this one merged in, as if the batches
    # had come one after the other.
    to_merge = sorted(
        activity_id
        for activity_id, definition in incoming.items()
        if definition
        and (
            activity_id not in known
            or definition_merge(known[activity_id], definition) != known[activity_id]
        )
    )
    if not to_merge:
        return
    changed = []
    for item in (
        Activity.objects.filter(activity_id__in=to_merge)
        .order_by("activity_id")
        .select_for_update()
    ):
        merged = definition_merge(item.definition, incoming[item.activity_id])
        if merged != item.definition:
            item.definition = merged
            item.updated_at = timezone.now()
            changed.append(item)
    if changed:
        Activity.objects.bulk_update(changed, ["definition", "updated_at"])
