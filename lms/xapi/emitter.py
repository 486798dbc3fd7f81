"""The one service the platform uses to record a learning event as an xAPI statement
(DESIGN.md, xAPI conventions).

- The actor is a person's account on this site (their public UUID): no personal data.
- Activity ids are ``<site>/xapi/activities/<kind>/<uuid>``, with French and English names.
- The statement id is uuid5(PLATFORM_NAMESPACE, event_key): emitting the same event twice
  stores one statement, so callers may retry freely.
- Statements are stored in the caller's transaction, so they roll back with the change
  that caused them; consumers (forwarding, completion) see them through the hooks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal, TypedDict

from django.conf import settings
from django.utils import timezone

from .schemas import StatementSchema
from .services.statements import statement_store, timestamp_format
from .spec import validate_statement, validate_statements

# Fixed forever: changing it would change every emitted statement id.
PLATFORM_NAMESPACE = uuid.UUID("6f1c0a3e-7d59-4c36-9a0e-2b8f4d1e5a77")

_ADL = "http://adlnet.gov/expapi/verbs/"


def offline_sync_extension() -> str:
    """The context extension (value ``true``) on a platform statement made from learning
    done on a phone without a connection and synced later (docs/offline.md): the registry
    keeps it, so a restated report can say the learning was recorded later."""
    return f"{settings.SITE_URL}/xapi/extensions/offline-sync"


class Verb(StrEnum):
    """ADL and cmi5 verbs the platform uses (DESIGN.md)."""

    REGISTERED = _ADL + "registered"
    LAUNCHED = _ADL + "launched"
    EXPERIENCED = _ADL + "experienced"
    ATTEMPTED = _ADL + "attempted"
    ANSWERED = _ADL + "answered"
    PASSED = _ADL + "passed"
    FAILED = _ADL + "failed"
    COMPLETED = _ADL + "completed"
    ATTENDED = _ADL + "attended"
    SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
    VOIDED = _ADL + "voided"

    @property
    def display(self) -> dict[str, str]:
        return dict(VERB_DISPLAY[self])


VERB_DISPLAY: dict[Verb, dict[str, str]] = {
    Verb.REGISTERED: {"fr": "s'est inscrit", "en": "registered"},
    Verb.LAUNCHED: {"fr": "a lancé", "en": "launched"},
    Verb.EXPERIENCED: {"fr": "a consulté", "en": "experienced"},
    Verb.ATTEMPTED: {"fr": "a tenté", "en": "attempted"},
    Verb.ANSWERED: {"fr": "a répondu", "en": "answered"},
    Verb.PASSED: {"fr": "a réussi", "en": "passed"},
    Verb.FAILED: {"fr": "a échoué", "en": "failed"},
    Verb.COMPLETED: {"fr": "a terminé", "en": "completed"},
    Verb.ATTENDED: {"fr": "a participé à", "en": "attended"},
    Verb.SATISFIED: {"fr": "a satisfait", "en": "satisfied"},
    Verb.VOIDED: {"fr": "a annulé", "en": "voided"},
}

ActivityKind = Literal["course", "module", "assessment", "event", "question", "programme"]

# ADL activity types. A programme is a group of courses: the ADL vocabulary has no better
# type than "course", so a programme is typed as one (its IRI path still says programme).
ACTIVITY_TYPES: dict[str, str] = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "event": "http://adlnet.gov/expapi/activities/meeting",
    "programme": "http://adlnet.gov/expapi/activities/course",
}


@dataclass(frozen=True)
class ActivityRef:
    kind: ActivityKind
    uuid: uuid.UUID
    name: dict[str, str]
    description: dict[str, str] | None = None
    interaction: dict | None = None  # interactionType, choices, correctResponsesPattern

    @property
    def iri(self) -> str:
        return f"{settings.SITE_URL}/xapi/activities/{self.kind}/{self.uuid}"

    def as_json(self) -> dict:
        definition: dict = {"name": dict(self.name), "type": ACTIVITY_TYPES[self.kind]}
        if self.description:
            definition["description"] = dict(self.description)
        if self.interaction:
            definition.update(self.interaction)
        return {"objectType": "Activity", "id": self.iri, "definition": definition}


@dataclass(frozen=True)
class EmitResult:
    score_scaled: float | None = None
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: timedelta | None = None

    def as_json(self) -> dict:
        score = {
            key: value
            for key, value in (
                ("scaled", self.score_scaled),
                ("raw", self.score_raw),
                ("min", self.score_min),
                ("max", self.score_max),
            )
            if value is not None
        }
        result: dict = {}
        if score:
            result["score"] = {key: float(value) for key, value in score.items()}
        for key in ("success", "completion", "response"):
            if getattr(self, key) is not None:
                result[key] = getattr(self, key)
        if self.duration is not None:
            result["duration"] = duration_format(self.duration)
        return result


class EmitEvent(TypedDict, total=False):
    """The keyword arguments of :func:`statement_emit`, for :func:`statements_emit_many`."""

    event_key: str
    person_uuid: uuid.UUID
    verb: Verb
    activity: ActivityRef
    result: EmitResult | None
    registration: uuid.UUID | None
    parent: ActivityRef | None
    grouping: ActivityRef | None
    timestamp: datetime | None
    instructor_uuid: uuid.UUID | None
    offline_sync: bool


def duration_format(duration: timedelta) -> str:
    """ISO 8601 duration in seconds with at most two decimals (Data 4.6: 0.01 s)."""
    seconds = round(duration.total_seconds(), 2)
    return f"PT{seconds:g}S" if seconds != int(seconds) else f"PT{int(seconds)}S"


def platform_authority() -> dict:
    """The authority on statements the platform itself stores."""
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": "platform"},
        "name": str(getattr(settings, "WAGTAIL_SITE_NAME", "LMS")),
    }


def person_agent(person_uuid: uuid.UUID) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(person_uuid)},
    }


def statement_id_for(event_key: str) -> uuid.UUID:
    return uuid.uuid5(PLATFORM_NAMESPACE, event_key)


def statement_build(
    *,
    event_key: str,
    person_uuid: uuid.UUID,
    verb: Verb,
    activity: ActivityRef,
    result: EmitResult | None = None,
    registration: uuid.UUID | None = None,
    parent: ActivityRef | None = None,
    grouping: ActivityRef | None = None,
    timestamp: datetime | None = None,
    instructor_uuid: uuid.UUID | None = None,
    offline_sync: bool = False,
) -> dict:
    """The statement JSON for one platform event, checked by the strict model."""
    context: dict = {}
    if offline_sync:
        context["extensions"] = {offline_sync_extension(): True}
    if registration is not None:
        context["registration"] = str(registration)
    if instructor_uuid is not None:
        context["instructor"] = person_agent(instructor_uuid)
    context_activities = {}
    if parent is not None:
        context_activities["parent"] = [parent.as_json()]
    if grouping is not None:
        context_activities["grouping"] = [grouping.as_json()]
    if context_activities:
        context["contextActivities"] = context_activities
    data = {
        "id": str(statement_id_for(event_key)),
        "actor": person_agent(person_uuid),
        "verb": {"id": str(verb), "display": Verb(verb).display},
        "object": activity.as_json(),
        "timestamp": timestamp_format(timestamp or timezone.now()),
    }
    result_json = result.as_json() if result is not None else {}
    if result_json:
        data["result"] = result_json
    if context:
        context["platform"] = str(getattr(settings, "WAGTAIL_SITE_NAME", "LMS"))
        data["context"] = context
    statement = StatementSchema.model_validate(data).to_json()
    validate_statement(statement)
    return statement


def statement_emit(
    *,
    event_key: str,
    person_uuid: uuid.UUID,
    verb: Verb,
    activity: ActivityRef,
    result: EmitResult | None = None,
    registration: uuid.UUID | None = None,
    parent: ActivityRef | None = None,
    grouping: ActivityRef | None = None,
    timestamp: datetime | None = None,
    instructor_uuid: uuid.UUID | None = None,
    offline_sync: bool = False,
) -> uuid.UUID:
    """Record one platform event; re-emitting the same ``event_key`` is a no-op that
    returns the same id."""
    statement = statement_build(
        event_key=event_key,
        person_uuid=person_uuid,
        verb=verb,
        activity=activity,
        result=result,
        registration=registration,
        parent=parent,
        grouping=grouping,
        timestamp=timestamp,
        instructor_uuid=instructor_uuid,
        offline_sync=offline_sync,
    )
    statement_store(
        statements=[statement],
        authority=platform_authority(),
        define=True,
        on_conflict="ignore",
        validated=True,
    )
    return uuid.UUID(statement["id"])


def statements_emit_many(events: list[EmitEvent]) -> list[uuid.UUID]:
    """Record many events (imports) with one bulk insert; each event is the keyword
    arguments of :func:`statement_emit`. Events already recorded are skipped."""
    statements = [statement_build(**event) for event in events]
    unique: dict[str, dict] = {}
    for statement in statements:
        unique.setdefault(statement["id"], statement)
    batch = list(unique.values())
    validate_statements(batch)
    if batch:
        statement_store(
            statements=batch,
            authority=platform_authority(),
            define=True,
            on_conflict="ignore",
            validated=True,
        )
    return [uuid.UUID(statement["id"]) for statement in statements]


def statement_void(*, event_key: str, target_id: uuid.UUID, person_uuid: uuid.UUID) -> uuid.UUID:
    """Void a statement the platform stored (Data 2.3.2): corrections are made by voiding
    and re-stating, never by editing."""
    statement = {
        "id": str(statement_id_for(event_key)),
        "actor": person_agent(person_uuid),
        "verb": {"id": str(Verb.VOIDED), "display": Verb.VOIDED.display},
        "object": {"objectType": "StatementRef", "id": str(target_id)},
        "timestamp": timestamp_format(timezone.now()),
    }
    statement = StatementSchema.model_validate(statement).to_json()
    validate_statement(statement)
    statement_store(
        statements=[statement],
        authority=platform_authority(),
        on_conflict="ignore",
        validated=True,
    )
    return uuid.UUID(statement["id"])
