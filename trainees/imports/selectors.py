"""Reads for roster imports: which events and imports a user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lms.accounts.roles import Role
from lms.accounts.selectors import user_field_offices, user_has_role
from trainees.models import TrainingEvent

from .models import RosterImport

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
