"""Forwarding statements to external LRSs through a durable outbox (at least once).

1. ``outbox_write`` runs inside the transaction that stores a batch of statements
   (lms.xapi.hooks, phase "in_transaction"): one delivery row per active target whose
   filters the statement passes, bulk-inserted. If the batch rolls back, so do the rows.
2. After the commit a background task runs ``deliveries_send``; so does the
   ``xapi_forward`` management command (e.g. from cron, or to drain a backlog).
3. ``deliveries_send`` claims due rows, posts them to each target in batches and marks
   them delivered only when the target answered 2xx, or 409 (it already holds the
   statement). Anything else is a failure, retried later with exponential backoff,
   for ever: an administrator sees the failures in the admin and can retry at once.
4. Each target's xAPI versions come from its About resource, read again every hour
   (``target_versions_refresh``): a statement goes out in the latest version the target
   lists, converted to 1.0.3 for a 1.0.x target (``statement_for_target``), or held back,
   with the reason shown in the admin, when 1.0.3 cannot carry all of it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from lms.xapi.hooks import StoredStatement
from lms.xapi.spec.v2 import raw_needs_conversion, statement_for_version
from lms.xapi.spec.versions import is_v2

from .client import ForwardingLRS
from .models import ForwardingDelivery, ForwardingTarget

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)
# A claimed delivery is hidden from other senders this long; if its sender dies, another
# one sends it again after that (at least once, never lost).
CLAIM_LEASE = timedelta(minutes=10)
ERROR_LENGTH = 1000
# How long a target's About answer is trusted before it is read again.
ABOUT_MAX_AGE = timedelta(hours=1)

State = ForwardingDelivery.State


# -- filters and the outbox --------------------------------------------------------------


def statement_forwardable(
    *,
    verb_ids: frozenset[str],
    activity_types: frozenset[str],
    verb_id: str,
    activity_type: str | None,
) -> bool:
    """A target's filters: the verb must be listed (when any are), and the object must be
    an Activity of a listed type (when any are). Both filters apply together."""
    if verb_ids and verb_id not in verb_ids:
        return False
    return not activity_types or activity_type in activity_types


def statement_activity_type(raw: dict) -> str | None:
    """The type of the statement's object when it is an Activity with a definition."""
    target = raw.get("object")
    if not isinstance(target, dict) or target.get("objectType", "Activity") != "Activity":
        return None
    definition = target.get("definition")
    kind = definition.get("type") if isinstance(definition, dict) else None
    return kind if isinstance(kind, str) else None


def outbox_write(stored: list[StoredStatement]) -> None:
    """Statement consumer (in the storing transaction): queue a delivery to each active
    target for each statement its filters let through. An Activity sent without its type
    is matched by the canonical definition this LRS holds for it."""
    targets = list(ForwardingTarget.objects.filter(active=True))
    if not targets:
        return
    types = {item.id: statement_activity_type(item.raw) for item in stored}
    if any(target.activity_type_set for target in targets):
        types.update(_canonical_types(item for item in stored if types[item.id] is None))
    now = timezone.now()
    rows = [
        ForwardingDelivery(target=target, statement_id=item.id, next_attempt_at=now)
        for target in targets
        for item in stored
        if statement_forwardable(
            verb_ids=target.verb_id_set,
            activity_types=target.activity_type_set,
            verb_id=item.verb_id,
            activity_type=types[item.id],
        )
    ]
    if rows:
        ForwardingDelivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        transaction.on_commit(forwarding_schedule)


def _canonical_types(stored: Iterable[StoredStatement]) -> dict:
    from lms.xapi.models import Activity

    by_activity: dict[str, list] = defaultdict(list)
    for item in stored:
        if item.object_activity_id:
            by_activity[item.object_activity_id].append(item.id)
    if not by_activity:
        return {}
    found = {}
    definitions = Activity.objects.filter(activity_id__in=list(by_activity)).values_list(
        "activity_id", "definition"
    )
    for activity_id, definition in definitions:
        kind = definition.get("type") if isinstance(definition, dict) else None
        for statement_id in by_activity[activity_id]:
            found[statement_id] = kind
    return found


def forwarding_schedule() -> None:
    """Ask a background worker to send what is due. Never raises: the statements are
    stored and their deliveries queued; the command or the next task sends them."""
    from .tasks import forwarding_send_task

    try:
        forwarding_send_task.enqueue()
    except Exception:
        logger.exception("xAPI forwarding: could not enqueue the sending task")


# -- versions ----------------------------------------------------------------------------


def target_versions_refresh(*, target: ForwardingTarget, lrs: ForwardingLRS) -> None:
    """Read the target's About (Communication 2.7; 2.8 in 2.0) when it was never read or
    is older than ``ABOUT_MAX_AGE``; keep what was known when it does not answer. When the
    target now speaks 2.0, the deliveries held back for lack of it are due again."""
    now = timezone.now()
    if target.about_read_at is not None and now - target.about_read_at < ABOUT_MAX_AGE:
        return
    try:
        versions = lrs.about_versions()
    except (OSError, http.client.HTTPException):
        versions = None
    if versions is None:
        return
    spoke_2_0 = any(is_v2(version) for version in target.about_versions or ())
    target.about_versions = versions
    target.about_read_at = now
    ForwardingTarget.objects.filter(pk=target.pk).update(about_versions=versions, about_read_at=now)
    if not spoke_2_0 and any(is_v2(version) for version in versions):
        ForwardingDelivery.objects.filter(target=target, state=State.HELD).update(
            state=State.PENDING, next_attempt_at=now, last_error=""
        )


def target_version_choose(target: ForwardingTarget) -> str:
    """The version to speak to a target: 2.0.0 when its About lists a 2.0 version, else
    the latest 1.0.x it lists, else the version configured for it."""
    versions = [version for version in target.about_versions or () if isinstance(version, str)]
    if any(is_v2(version) for version in versions):
        return "2.0.0"
    patches = []
    for version in versions:
        parts = version.split(".")
        if len(parts) == 3 and parts[:2] == ["1", "0"] and parts[2].isdigit():
            patches.append((int(parts[2]), version))
    return max(patches)[1] if patches else target.version


def statement_for_target(raw: str, version: str) -> tuple[str | None, str]:
    """The statement text to send to a target speaking ``version``, or None and why it is
    held back. A 2.0 target gets the statement as stored (2.0 accepts 1.0.x statements).
    A 1.0.x target gets it as a 1.0.3 client reads it (lms/xapi/spec/v2.py), unless that
    would leave out something it holds (contextAgents, contextGroups): sending less than
    the statement says would store a different statement there."""
    if is_v2(version) or not raw_needs_conversion(raw):
        return raw, ""
    shaped, lost = statement_for_version(json.loads(raw), version)
    if lost:
        return None, (
            f"held back: the target speaks xAPI {version}, which cannot carry "
            f"{', '.join(lost)}; it is sent once the target lists xAPI 2.0 in its About"
        )
    return json.dumps(shaped, separators=(",", ":"), ensure_ascii=False), ""


# -- sending -----------------------------------------------------------------------------


@dataclass
class SendReport:
    delivered: int = 0
    failed: int = 0
    held: int = 0


def backoff_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling each time, at most 6 hours."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def deliveries_send(
    *, batch_size: int = BATCH_SIZE, max_batches: int | None = None, timeout: float = 30.0
) -> SendReport:
    """Send every due delivery, ``batch_size`` statements per request, until none is due
    (or ``max_batches`` were sent)."""
    report = SendReport()
    _held_targets_refresh(timeout=timeout)
    batches = 0
    while max_batches is None or batches < max_batches:
        claimed = _deliveries_claim(limit=batch_size)
        if not claimed:
            break
        by_target: dict[int, list[ForwardingDelivery]] = defaultdict(list)
        for delivery in claimed:
            by_target[delivery.target_id].append(delivery)
        for deliveries in by_target.values():
            _target_send(deliveries[0].target, deliveries, report=report, timeout=timeout)
        batches += 1
    return report


def _held_targets_refresh(*, timeout: float) -> None:
    """Targets with held-back deliveries get their About read again once it is stale, so
    that a target upgraded to 2.0 receives them (``target_versions_refresh``)."""
    stale = timezone.now() - ABOUT_MAX_AGE
    targets = ForwardingTarget.objects.filter(deliveries__state=State.HELD).distinct()
    for target in targets.exclude(about_read_at__gt=stale):
        target_versions_refresh(target=target, lrs=_client(target, timeout=timeout))


def _client(target: ForwardingTarget, *, timeout: float) -> ForwardingLRS:
    return ForwardingLRS(
        endpoint=target.endpoint,
        version=target.version,
        username=target.username or None,
        password=target.password if target.username else None,
        timeout=timeout,
    )


def deliveries_retry(*, deliveries: Iterable[ForwardingDelivery] | None = None, target=None) -> int:
    """Administrator's "retry now": make failed, waiting and held-back deliveries due at
    once and wake the sender (a held-back one is held again if the target still cannot
    take it). Returns how many were made due."""
    queryset = ForwardingDelivery.objects.exclude(state=State.DELIVERED)
    if deliveries is not None:
        queryset = queryset.filter(pk__in=[delivery.pk for delivery in deliveries])
    if target is not None:
        queryset = queryset.filter(target=target)
    queryset.filter(state=State.HELD).update(state=State.PENDING)
    count = queryset.update(next_attempt_at=timezone.now())
    if target is not None:
        # An administrator retrying a target may have upgraded it: read its About again.
        ForwardingTarget.objects.filter(pk=target.pk).update(about_read_at=None)
    if count:
        transaction.on_commit(forwarding_schedule)
    return count


def _deliveries_claim(*, limit: int) -> list[ForwardingDelivery]:
    """Take up to ``limit`` due deliveries and push their next attempt past the lease, so
    concurrent senders (several workers, the command) do not send the same rows. On
    PostgreSQL rows another sender has locked are skipped; SQLite serialises writers."""
    now = timezone.now()
    with transaction.atomic():
        due = ForwardingDelivery.objects.filter(
            state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due.select_related("target")[:limit])
        if claimed:
            ForwardingDelivery.objects.filter(pk__in=[item.pk for item in claimed]).update(
                next_attempt_at=now + CLAIM_LEASE
            )
    return claimed


def _target_send(
    target: ForwardingTarget,
    deliveries: list[ForwardingDelivery],
    *,
    report: SendReport,
    timeout: float,
) -> None:
    from lms.xapi.models import Statement

    raw_by_id = dict(
        Statement.objects.filter(
            statement_id__in=[item.statement_id for item in deliveries]
        ).values_list("statement_id", "raw")
    )
    missing = [item for item in deliveries if item.statement_id not in raw_by_id]
    if missing:
        _deliveries_failed(missing, "the statement is not stored in this LRS", report=report)
    present = [item for item in deliveries if item.statement_id in raw_by_id]
    if not present:
        return
    lrs = _client(target, timeout=timeout)
    target_versions_refresh(target=target, lrs=lrs)
    lrs.version = target_version_choose(target)
    held: dict[str, list[ForwardingDelivery]] = defaultdict(list)
    sendable = []
    for item in present:
        text, reason = statement_for_target(raw_by_id[item.statement_id], lrs.version)
        if text is None:
            held[reason].append(item)
        else:
            raw_by_id[item.statement_id] = text
            sendable.append(item)
    for reason, items in held.items():
        _deliveries_held(items, reason, report=report)
    present = sendable
    if not present:
        return
    outcome = _post(lrs, [raw_by_id[item.statement_id] for item in present])
    if outcome is None:
        _deliveries_delivered(present, report=report)
        return
    status, error = outcome
    if len(present) > 1 and status in (400, 409, 413):
        # One statement can make the target refuse the whole batch (a conflict, one it
        # finds invalid, the size): send one by one, so the others are not held back.
        for item in present:
            single = _post(lrs, [raw_by_id[item.statement_id]])
            if single is None:
                _deliveries_delivered([item], report=report)
            else:
                _deliveries_failed([item], single[1], report=report)
        return
    _deliveries_failed(present, error, report=report)


def _post(lrs: ForwardingLRS, raws: list[str]) -> tuple[int | None, str] | None:
    """POST statements; None when the target has them (2xx, or 409 for one statement),
    else (HTTP status or None, error message)."""
    try:
        response = lrs.save_statements_raw("[" + ",".join(raws) + "]")
    except (OSError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"
    status = response.response.status
    if response.success or (status == 409 and len(raws) == 1):
        return None
    data = response.data or ""
    body = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    with contextlib.suppress(ValueError, AttributeError):
        body = json.loads(body).get("error", {}).get("message", body)
    return status, f"HTTP {status}: {body}".strip()


def _deliveries_delivered(deliveries: list[ForwardingDelivery], *, report: SendReport) -> None:
    now = timezone.now()
    ForwardingDelivery.objects.filter(pk__in=[item.pk for item in deliveries]).update(
        state=State.DELIVERED, delivered_at=now, last_error="", attempts=F("attempts") + 1
    )
    report.delivered += len(deliveries)


def _deliveries_held(
    deliveries: list[ForwardingDelivery], reason: str, *, report: SendReport
) -> None:
    """Not sent, and not retried on a timer: the target cannot take the statement as it
    is. ``target_versions_refresh`` makes them due again when the target gains 2.0."""
    ForwardingDelivery.objects.filter(pk__in=[item.pk for item in deliveries]).update(
        state=State.HELD, last_error=reason[:ERROR_LENGTH]
    )
    report.held += len(deliveries)


def _deliveries_failed(
    deliveries: list[ForwardingDelivery], error: str, *, report: SendReport
) -> None:
    now = timezone.now()
    for item in deliveries:
        attempts = item.attempts + 1
        ForwardingDelivery.objects.filter(pk=item.pk).update(
            state=State.FAILED,
            attempts=attempts,
            next_attempt_at=now + backoff_delay(attempts),
            last_error=error[:ERROR_LENGTH],
        )
    report.failed += len(deliveries)
    logger.warning("xAPI forwarding: %d deliveries failed: %s", len(deliveries), error[:200])
