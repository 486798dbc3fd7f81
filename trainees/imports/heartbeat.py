"""The heartbeat of a running confirm, so a confirm whose worker died is seen and run again.

A confirm writes everything in one transaction; a worker killed in the middle (out of
memory, a restart, a machine lost) leaves nothing written, but its import would stay
"being imported" for ever: the task queue never hears of it again (``django_tasks_db``
leaves its row "running"). So the confirm beats: ``RosterImport.heartbeat_at`` is set when
the confirm is asked for and when the task starts, then every :data:`BEAT_SECONDS` by a
thread of the worker, through its own connection (the write's transaction stays closed
until the commit). A confirm is *stalled* when its task row says it ended (failed or
succeeded) while the import is still being imported, or when no beat came for
:func:`stale_after` seconds (:func:`trainees.imports.selectors.roster_import_confirm_stall`);
the trainer is told and can confirm again, which is safe: the new attempt writes everything
once, and the old task, should it ever wake, is refused by its attempt id.
"""

from __future__ import annotations

import logging
import threading
import uuid

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

#: How often a running confirm says it is alive.
BEAT_SECONDS = 10
#: Without a beat for this long (PostgreSQL), the confirm's worker is taken for dead: twelve
#: missed beats, far above a pause of the machine, and a confirm waiting for another one's
#: registry lock keeps beating.
STALE_SECONDS = 120
#: On SQLite the beats cannot be written while the confirm holds the one write lock, so the
#: last beat is the start: the bound is then longer than any confirm (a 10,000-row roster is
#: written in well under a minute, docs/matching.md).
STALE_SECONDS_SQLITE = 1800


def stale_after() -> int:
    """Seconds without a beat after which a confirm counts as stalled (setting
    ``ROSTER_CONFIRM_STALE_SECONDS`` to change it)."""
    configured = getattr(settings, "ROSTER_CONFIRM_STALE_SECONDS", None)
    if configured is not None:
        return int(configured)
    return STALE_SECONDS if connection.vendor == "postgresql" else STALE_SECONDS_SQLITE


def beat(import_id: int, attempt: uuid.UUID | str | None) -> int:
    """Say the confirm ``attempt`` of an import is alive; returns 1 if the row was told.

    Never waits for a row lock (the confirm's own commit takes it at the end) and never
    fails: a missed beat is what the bound is for."""
    from .models import ImportStatus, RosterImport

    try:
        if connection.vendor == "postgresql":
            # SKIP LOCKED: the confirm's commit holds the row at its very end; never wait.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE trainees_rosterimport SET heartbeat_at = now() WHERE id IN ("
                    "SELECT id FROM trainees_rosterimport WHERE id = %s AND status = %s "
                    "AND (%s::text IS NULL OR confirm_attempt = %s::uuid) "
                    "FOR NO KEY UPDATE SKIP LOCKED)",
                    [
                        import_id,
                        ImportStatus.CONFIRMING,
                        attempt and str(attempt),
                        attempt and str(attempt),
                    ],
                )
                return cursor.rowcount
        rows = RosterImport.objects.filter(pk=import_id, status=ImportStatus.CONFIRMING)
        if attempt is not None:
            rows = rows.filter(confirm_attempt=attempt)
        return rows.update(heartbeat_at=timezone.now())
    except Exception:  # a heartbeat never fails an import
        logger.debug("Heartbeat of import %s missed", import_id, exc_info=True)
        return 0


class Heartbeat:
    """``with Heartbeat(import_id, attempt):`` around a confirm in the worker."""

    def __init__(self, import_id: int, attempt: uuid.UUID | str | None) -> None:
        self.import_id, self.attempt = import_id, attempt
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        beat(self.import_id, self.attempt)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._run, name=f"roster-confirm-{self.import_id}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=BEAT_SECONDS + 5)

    def _run(self) -> None:
        from django.db import connection as own  # this thread's own connection

        try:
            while not self._stop.wait(BEAT_SECONDS):
                beat(self.import_id, self.attempt)
        except Exception:
            logger.debug("Heartbeat thread of import %s stopped", self.import_id, exc_info=True)
        finally:
            own.close()
