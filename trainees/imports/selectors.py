"""Reads for roster imports: which events and imports a user may see, and whether a
confirm stalled."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.accounts.roles import Role
from lms.accounts.selectors import user_field_offices, user_has_role
from trainees.models import TrainingEvent

from .models import ImportStatus, RosterImport

IMPORT_ROLES = {Role.TRAINER, Role.LEAD_TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR}
ALL_OFFICE_ROLES = {Role.LEAD_TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR}


def user_can_import(*, user) -> bool:
    return user_has_role(user=user, roles=IMPORT_ROLES)


def importable_events(*, user) -> QuerySet[TrainingEvent]:
    """Events a user may import rosters for: those of their field offices (trainers), every
    event (lead trainers, coordinators, administrators)."""
    events = TrainingEvent.objects.select_related("programme", "field_office")
    if user_has_role(user=user, roles=ALL_OFFICE_ROLES):
        return events
    if not user_can_import(user=user):
        return events.none()
    return events.filter(field_office__in=user_field_offices(user=user))


def visible_imports(*, user) -> QuerySet[RosterImport]:
    """Imports into events the user may import for; an import still to create its event, to
    whoever uploaded it (and to the roles that see every office)."""
    events = importable_events(user=user)
    pending = Q(event__isnull=True)
    if not user_has_role(user=user, roles=ALL_OFFICE_ROLES):
        pending &= Q(created_by=user) if getattr(user, "is_authenticated", False) else Q(pk=None)
    return (
        RosterImport.objects.filter(Q(event__in=events.values("pk")) | pending)
        .select_related("event", "created_by")
        .defer("file_data")
    )


#: Why a confirm is stalled (:func:`roster_import_confirm_stall`).
STALL_TASK_ENDED = "task_ended"
STALL_NO_HEARTBEAT = "no_heartbeat"


def _task_status(task_id: str) -> str | None:
    """The task queue's status of a task (``READY``, ``RUNNING``, ``FAILED``,
    ``SUCCESSFUL``), or None when its row is not there (pruned, another backend)."""
    from django.apps import apps

    if not task_id:
        return None
    try:
        model = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return None
    try:
        return model.objects.filter(pk=task_id).values_list("status", flat=True).first()
    except (ValueError, ValidationError):  # not a task id of that queue
        return None


def roster_import_confirm_stall(*, roster_import: RosterImport, now=None) -> str | None:
    """Why an import "being imported" will never finish, or None while it may.

    * ``task_ended``: the task queue says the confirm's task failed or ended, and the import
      is still being imported (the task died between its end and its last write).
    * ``no_heartbeat``: no beat for ``heartbeat.stale_after()`` seconds (a worker killed in
      the middle, its task row left "running"; a confirm asked for before beats existed).
      A task still waiting in the queue for a worker is not stalled: confirming again would
      only queue another behind it.

    Nothing was written by a stalled confirm (one transaction), so confirming again is safe.
    """
    from .heartbeat import stale_after

    if roster_import.status != ImportStatus.CONFIRMING:
        return None
    status = _task_status(roster_import.confirm_task_id)
    if status in ("FAILED", "SUCCESSFUL"):
        return STALL_TASK_ENDED
    if status == "READY":
        return None
    now = now or timezone.now()
    beat = roster_import.heartbeat_at
    if beat is None or (now - beat).total_seconds() > stale_after():
        return STALL_NO_HEARTBEAT
    return None
