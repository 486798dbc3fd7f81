"""Built reports cached per (figure, scope, language) and keyed by the registry's data version.

Why: a full dashboard at a million participations takes seconds to count cold
(docs/benchmarks/reports.md), coordinators open the same few scopes again and again, and the
numbers only change when the registry does. A cached report is valid while
``RegistryVersion.version`` has not moved; database triggers move it on every write to what
counts (see ``trainees.models.counting_cache``), as part of the writing transaction (at its
commit on PostgreSQL, so concurrent writers do not queue on the version row), so a merge, a
voided statement or a corrected birth date restates the very next read; nothing has to
remember to invalidate. Certificates are not registry data: their headline is recounted on
every read (one small query) rather than cached.

After writes, :func:`report_cache_rewarm_schedule` queues :func:`report_cache_warm_task`
(debounced) to rebuild the default dashboard scopes, so coordinators nearly always hit a warm
cache.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django_tasks import task

from trainees.models import CountsCacheEntry, RegistryVersion
from trainees.selectors.counting import CountScope

logger = logging.getLogger(__name__)

#: How long writes are gathered before one re-warm runs.
REWARM_DELAY = timedelta(seconds=30)
_REWARM_PENDING = "reports:rewarm-pending"


def registry_version() -> int:
    """The current data version (0 when the row is missing, e.g. after a flush).

    On PostgreSQL the version is bumped when a writing transaction commits (migration
    ``trainees/0007_registry_version_bump_at_commit``); ``trainees_registry_version()`` first
    applies the pending bump of the current transaction, if it has written counted data, so a
    transaction always sees its own changes as a new version. One query either way.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT trainees_registry_version()")
            return cursor.fetchone()[0] or 0
    value = RegistryVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return value or 0


def _normalised(scope: CountScope) -> CountScope:
    """The scope with every filter sorted and de-duplicated: filters are sets (OR inside one
    filter), so ``("gao", "kidal")`` and ``("kidal", "gao")`` share one cache entry."""
    changes = {}
    for name, value in vars(scope).items():
        if isinstance(value, tuple):
            changes[name] = tuple(sorted(set(value), key=str))
    return scope.replace(**changes)


def report_cache_key(
    *, scope: CountScope, figure: str, with_breakdowns: bool, deferred: tuple[str, ...] = ()
) -> str:
    parts = (
        "report-v3",  # v3: month rows labelled in the language
        figure,
        with_breakdowns,
        translation.get_language(),
        sorted(vars(_normalised(scope)).items()),
    )
    if deferred:  # a report without some breakdowns (the whole report's key is unchanged)
        parts += (("deferred", deferred),)
    parts = repr(parts)
    return hashlib.sha256(parts.encode()).hexdigest()


def report_cache_get(*, key: str, version: int):
    """The cached report for ``key`` built at ``version``, or ``None``."""
    return report_cache_get_any(keys=[key], version=version)


def report_cache_get_any(*, keys: list[str], version: int):
    """The report of the first of ``keys`` (in their order) cached at ``version`` (one query),
    or ``None``."""
    stored = dict(
        CountsCacheEntry.objects.filter(key__in=keys, version=version).values_list("key", "payload")
    )
    for key in keys:
        if key not in stored:
            continue
        try:
            # Our own pickles, written by report_cache_set below, never user input.
            return pickle.loads(bytes(stored[key]))  # noqa: S301
        except Exception:  # a payload from an older code version: rebuild it
            logger.warning("Unreadable report cache entry %s; rebuilding", key)
    return None


def report_cache_set(*, key: str, version: int, report, seconds: float) -> None:
    """Store ``report`` as built at ``version`` and drop entries of older versions.

    Older entries can never be hit again (the version only grows), so the table holds at most
    the scopes read since the last write.
    """
    payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with transaction.atomic():  # a savepoint: a failed store never breaks the read
            CountsCacheEntry.objects.filter(version__lt=version).delete()
            CountsCacheEntry.objects.update_or_create(
                key=key,
                defaults={"version": version, "payload": payload, "build_seconds": seconds},
            )
    except DatabaseError:
        logger.warning("Could not store report cache entry %s", key, exc_info=True)


def default_scopes(today: date | None = None) -> list[CountScope]:
    """What coordinators open first: all time, this year and last year."""
    today = today or timezone.localdate()
    scopes = [CountScope()]
    for year in (today.year, today.year - 1):
        scopes.append(CountScope(date_from=date(year, 1, 1), date_to=date(year, 12, 31)))
    return scopes


def report_cache_warm(*, scopes: list[CountScope] | None = None) -> int:
    """Build (or find) the cached dashboard of each default scope in every language.

    Returns how many reports were built cold.
    """
    from trainees.reports.selectors import report_build

    built = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for scope in scopes or default_scopes():
                before = registry_version()
                key = report_cache_key(scope=scope, figure="trained", with_breakdowns=True)
                if report_cache_get(key=key, version=before) is None:
                    report_build(scope=scope, figure="trained")
                    built += 1
    return built


@task()
def report_cache_warm_task() -> int:
    """Background re-warm after registry writes (see :func:`report_cache_rewarm_schedule`)."""
    cache.delete(_REWARM_PENDING)
    return report_cache_warm()


def report_cache_rewarm_schedule() -> None:
    """Queue one re-warm of the default dashboards, a little after the current writes commit.

    Debounced: while a re-warm is pending, further writes queue nothing (it will read the
    newest version when it runs). Called by the services that change what counts; the cache
    stays exact without it (triggers invalidate), it only keeps it warm.
    """

    def enqueue() -> None:
        if not report_cache_warm_task.get_backend().supports_defer:
            # An immediate backend (the tests) would rebuild every dashboard inside each
            # write; reads still build on demand.
            return
        if cache.add(_REWARM_PENDING, True, timeout=int(REWARM_DELAY.total_seconds()) * 4):
            report_cache_warm_task.using(run_after=timezone.now() + REWARM_DELAY).enqueue()

    transaction.on_commit(enqueue)


def report_cached(
    *, build, scope: CountScope, figure: str, with_breakdowns: bool, deferred: tuple = ()
):
    """``build()`` through the cache: the stored report when the registry has not changed
    since it was built, else a fresh build stored for the next reader.

    A report with ``deferred`` breakdowns is also served by the whole report of the same
    scope and version, if stored (what the background re-warm builds): it has every figure
    the lighter one has, and the same."""
    version = registry_version()
    key = report_cache_key(
        scope=scope, figure=figure, with_breakdowns=with_breakdowns, deferred=deferred
    )
    keys = [key]
    if deferred:  # the whole report first: it has the same figures and more
        keys.insert(
            0, report_cache_key(scope=scope, figure=figure, with_breakdowns=with_breakdowns)
        )
    found = report_cache_get_any(keys=keys, version=version)
    if found is not None:
        return found
    started = time.perf_counter()
    report = build()
    seconds = time.perf_counter() - started
    # Only store what was built from exactly ``version``: a write that committed meanwhile
    # moved the version, and the entry is simply not stored.
    if registry_version() == version:
        report_cache_set(key=key, version=version, report=report, seconds=seconds)
    return report
