"""Who may see which part of the registry.

Trainers see and act for their field offices only; lead trainers, coordinators and
administrators see everything (``lms.accounts.selectors.user_field_offices``). A trainer sees
a person when the person (or someone merged into them) has a participation at an event of one
of the trainer's offices. Trainees never see the registry's screens.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lms.accounts.roles import STAFF_ROLES, Role
from lms.accounts.selectors import user_field_offices, user_has_role
from trainees.models import AggregateSession, Participation, Person, TrainingEvent

_SEE_ALL = frozenset({Role.LEAD_TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR})


def user_can_use_registry(*, user) -> bool:
    return user_has_role(user=user, roles=STAFF_ROLES)


def user_sees_all_offices(*, user) -> bool:
    return user_has_role(user=user, roles=_SEE_ALL)


def user_can_correct_records(*, user) -> bool:
    """Who corrects the registry's records (names, events, participations recorded in
    error): lead trainers, coordinators and administrators, the roles that see every office."""
    return user_sees_all_offices(user=user)


def events_visible(*, user) -> QuerySet[TrainingEvent]:
    events = TrainingEvent.objects.all()
    if not user_can_use_registry(user=user):
        return events.none()
    if user_sees_all_offices(user=user):
        return events
    return events.filter(field_office__in=user_field_offices(user=user))


def people_visible(*, user) -> QuerySet[Person]:
    """Surviving people the user may see (merged people are reached through their survivor)."""
    people = Person.objects.filter(merged_into__isnull=True)
    if not user_can_use_registry(user=user):
        return people.none()
    if user_sees_all_offices(user=user):
        return people
    offices = user_field_offices(user=user)
    participants = Participation.objects.filter(field_office__in=offices)
    return people.filter(
        Q(pk__in=participants.values("person_id"))
        | Q(
            pk__in=participants.filter(person__merged_into__isnull=False).values(
                "person__merged_into_id"
            )
        )
    )


def person_visible(*, user, person: Person) -> bool:
    """May ``user`` open this person's record (a merged person: their survivor's rules)."""
    survivor = person.merged_into or person
    return people_visible(user=user).filter(pk=survivor.pk).exists()


def aggregate_sessions_visible(*, user) -> QuerySet[AggregateSession]:
    sessions = AggregateSession.objects.all()
    if not user_can_use_registry(user=user):
        return sessions.none()
    if user_sees_all_offices(user=user):
        return sessions
    return sessions.filter(field_office__in=user_field_offices(user=user))
