"""A matching index of the whole registry, kept warm in the process between imports.

Building the index is most of an import's preview (docs/benchmarks/registry.md): ~5 s for
the people a 1,000-row roster can meet in a registry of 100,000. The registry changes little
between two imports, so the worker keeps one index of every surviving person and, before each
use, brings it up to date with what changed since, read from the database (so a change made
by another process - the web server, an admin edit, another worker - is seen as well):

* people created or edited since (``pk`` above the last seen, ``updated_at`` at or after the
  last seen) are re-read and replaced in the index; identifiers added since (``pk`` above the
  last seen) re-read their person;
* any merge or unmerge since (the ``Merge`` table's count, last id and last undo) throws the
  index away: a merge moves identifiers and people with ``QuerySet.update``, which the marks
  above cannot see, and it is rare;
* after the update, the index must hold exactly the surviving people (count and sum of ids)
  and as many identifiers as the database (merged people hold none); anything else (a
  deletion, a rolled-back transaction whose rows the index had read) rebuilds it.

The full index decides exactly as the partial one an import would otherwise build
(:func:`.registry.registry_index_for`, tested against the full registry), so decisions do not
depend on whether the index was warm.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q, Sum

from trainees.matching import RegistryIndex
from trainees.models import Identifier, MatchDecision, Person

from .registry import _linked_rows, person_alias_rows, person_record_rows, registry_index_build

__all__ = [
    "registry_index_prewarm",
    "registry_index_warm",
    "registry_index_warm_clear",
    "warm_index_stats",
]

logger = logging.getLogger(__name__)

#: Rebuild rather than update when more than this share of the index's slots are stale.
_STALE_SHARE = 0.2


@dataclass(frozen=True)
class _Marks:
    people: int  # surviving people
    people_sum: int  # sum of their ids: which people, not only how many
    people_top: int
    changed: object  # latest updated_at among surviving people
    identifiers: int
    identifiers_top: int
    rows: int  # roster rows that became people (each one another record of its person)
    decisions_top: int  # last match decision: the people a confirmed import touched
    merges: tuple  # (count, last id, last undo) of the Merge table


@dataclass
class _Warm:
    database: tuple
    marks: _Marks
    index: RegistryIndex
    identifiers: dict  # person id -> how many identifiers the index holds for them
    rows: dict  # person id -> how many of their roster rows the index has read
    stale: int = 0


_lock = threading.RLock()
_warm: _Warm | None = None
#: What the last use did, for tests and benchmarks: "built", "updated" or "reused".
warm_index_stats: dict = {"last": None, "builds": 0, "updates": 0}


def registry_index_warm_clear() -> None:
    """Forget the warm index (the next import builds it again)."""
    global _warm
    with _lock:
        _warm = None


def _database() -> tuple:
    settings = connection.settings_dict
    return (connection.alias, connection.vendor, settings.get("NAME"), settings.get("HOST"))


def _marks() -> _Marks:
    from trainees.review.models import Merge

    people = Person.objects.filter(merged_into__isnull=True).aggregate(
        n=Count("pk"), total=Sum("pk"), top=Max("pk"), changed=Max("updated_at")
    )
    ids = Identifier.objects.aggregate(n=Count("pk"), top=Max("pk"))
    merges = Merge.objects.aggregate(n=Count("pk"), top=Max("pk"), undone=Max("undone_at"))
    decisions = MatchDecision.objects.aggregate(top=Max("pk"))
    return _Marks(
        people=people["n"],
        people_sum=people["total"] or 0,
        people_top=people["top"] or 0,
        changed=people["changed"],
        identifiers=ids["n"],
        identifiers_top=ids["top"] or 0,
        rows=_linked_rows().count(),
        decisions_top=decisions["top"] or 0,
        merges=(merges["n"], merges["top"], str(merges["undone"])),
    )


def _rows_read(aliases) -> dict:
    counts: dict = {}
    for alias in aliases:
        counts[alias.key] = counts.get(alias.key, 0) + 1
    return counts


def _build(marks: _Marks) -> _Warm:
    records = person_record_rows()
    aliases = person_alias_rows()
    index = registry_index_build(records, aliases)
    index.shared_keys = frozenset()  # nobody is left out of a full index
    warm_index_stats["builds"] += 1
    warm_index_stats["last"] = "built"
    return _Warm(
        _database(),
        marks,
        index,
        {r.key: len(r.identifiers) for r in records},
        _rows_read(aliases),
    )


def _update(warm: _Warm, marks: _Marks) -> bool:
    """Bring ``warm`` up to ``marks``; False when it cannot be trusted and must be rebuilt."""
    old = warm.marks
    changed = Q(pk__gt=old.people_top)
    if old.changed is not None:
        changed |= Q(updated_at__gte=old.changed)
    touched = set(Person.objects.filter(changed).values_list("pk", flat=True))
    touched.update(
        Identifier.objects.filter(pk__gt=old.identifiers_top).values_list("person_id", flat=True)
    )
    # A confirmed import writes a decision for each of its rows, naming the row's person.
    touched.update(
        MatchDecision.objects.filter(pk__gt=old.decisions_top, person__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
    )
    index = warm.index
    for pk in touched:
        if pk in index:
            index.discard(pk)
            warm.stale += 1
        warm.identifiers.pop(pk, None)
        warm.rows.pop(pk, None)
    if touched:
        records = person_record_rows(touched)
        aliases = person_alias_rows(touched)
        by_person: dict = {}
        for alias in aliases:
            by_person.setdefault(alias.key, []).append(alias)
        for record in records:
            index.add(record)
            warm.identifiers[record.key] = len(record.identifiers)
            for alias in by_person.get(record.key, ()):
                index.add_alias(alias)
            warm.rows[record.key] = len(by_person.get(record.key, ()))
    warm.marks = marks
    warm_index_stats["updates"] += 1
    warm_index_stats["last"] = "updated"
    return (
        len(index) == marks.people
        and sum(index._by_key) == marks.people_sum
        and sum(warm.identifiers.values()) == marks.identifiers
        and sum(warm.rows.values()) == marks.rows
        and warm.stale <= _STALE_SHARE * max(len(index), 1)
    )


@contextmanager
def registry_index_warm(*, build: bool = True) -> Iterator[RegistryIndex | None]:
    """The whole registry's matching index, up to date, for the duration of the block.

    The block gets ``None`` when ``settings.REGISTRY_WARM_INDEX`` is false (the caller then
    builds the partial index of the people its rows can meet, as before the warm index, and
    the process keeps no index in memory). With ``build=False`` it also gets ``None`` when
    this process has no index yet (a web process confirming an import whose preview ran in
    the worker: building the whole index there would cost more than the partial one).

    The block holds the process lock: the index is shared by every thread and is only read
    inside it, so one import's update never changes it under another's matching.
    """
    global _warm
    if not getattr(settings, "REGISTRY_WARM_INDEX", True):
        yield None  # switched off (memory-tight deployments, benchmarks): partial indexes
        return
    if not build and (_warm is None or _warm.database != _database()):
        yield None  # outside the lock: the caller builds its own partial index meanwhile
        return
    with _lock:
        warm = _warm
        marks = _marks()
        stale = warm is None or warm.database != _database() or warm.marks.merges != marks.merges
        if not stale and warm.marks == marks:
            warm_index_stats["last"] = "reused"
        elif not stale and _update(warm, marks):
            pass
        else:
            warm = None  # nothing may hold the old index while it is let go
            warm = _rebuilt(marks)
        _warm = warm
        yield warm.index


def _rebuilt(marks: _Marks) -> _Warm:
    """A new warm index, the old one let go. The index is a few million long-lived objects:
    once built they are moved out of the garbage collector's sight (``gc.freeze``), so its
    full collections, which would walk them all again and again during a match, skip them.
    They are handed back first, so the index they replace can be freed."""
    global _warm
    gc.unfreeze()
    _warm = None
    warm = _build(marks)
    gc.collect()
    gc.freeze()
    return warm


def registry_index_prewarm() -> threading.Thread | None:
    """Build the warm index in a background thread (the task worker calls this as it starts),
    so that the first import after a restart finds it ready instead of building it.

    An import arriving meanwhile waits for the build (the index's lock) and then uses it.
    Returns the thread (``None`` when the warm index is switched off)."""
    if not getattr(settings, "REGISTRY_WARM_INDEX", True):
        return None

    def build() -> None:
        from django.apps import apps
        from django.db import connections

        while not apps.ready:  # started from AppConfig.ready: let start-up finish first
            time.sleep(0.05)
        started = time.perf_counter()
        try:
            with registry_index_warm(build=True):
                pass
            logger.info("Registry matching index ready in %.1f s.", time.perf_counter() - started)
        except Exception:  # the first import builds it then; the worker must not die
            logger.exception("Building the registry matching index at start-up failed.")
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=build, name="registry-index-prewarm", daemon=True)
    thread.start()
    return thread
