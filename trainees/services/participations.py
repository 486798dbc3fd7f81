"""Recording participations, each with its xAPI statement, and voiding them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime, time
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.xapi.emitter import ActivityRef, EmitResult, Verb, statement_emit, statement_void
from trainees.models import (
    EventKind,
    Organisation,
    Outcome,
    Participation,
    Person,
    Programme,
    Source,
    TrainingEvent,
)
from trainees.reports.cache import report_cache_rewarm_schedule

VERB_FOR_OUTCOME = {
    Outcome.ATTENDED: Verb.ATTENDED,
    Outcome.COMPLETED: Verb.COMPLETED,
    Outcome.PASSED: Verb.PASSED,
    Outcome.FAILED: Verb.FAILED,
}


@dataclass(frozen=True)
class Provenance:
    """Where a participation was recorded from: an import (its public id), a file, a row."""

    import_public_id: UUID | None = None
    source_file: str = ""
    source_row: int | None = None


def _event_activity(event: TrainingEvent) -> ActivityRef:
    name = {"fr": event.title, "en": event.title}
    return ActivityRef(kind="event", uuid=event.public_id, name=name)


def _programme_activity(programme: Programme | None) -> ActivityRef | None:
    if programme is None:
        return None
    return ActivityRef(
        kind="programme",
        uuid=programme.public_id,
        name={"fr": programme.name_fr, "en": programme.name_en or programme.name_fr},
    )


def _course_activity(course_public_id: UUID | None, title: str) -> ActivityRef | None:
    if course_public_id is None:
        return None
    title = title or str(course_public_id)
    return ActivityRef(kind="course", uuid=course_public_id, name={"fr": title, "en": title})


def _result(outcome: str, score: float | None) -> EmitResult | None:
    success = {Outcome.PASSED: True, Outcome.FAILED: False}.get(Outcome(outcome))
    completion = True if outcome in (Outcome.COMPLETED, Outcome.PASSED) else None
    if score is None and success is None and completion is None:
        return None
    return EmitResult(
        score_scaled=None if score is None else round(score / 100, 4),
        score_raw=score,
        score_min=None if score is None else 0.0,
        score_max=None if score is None else 100.0,
        success=success,
        completion=completion,
    )


def _event_key(participation: Participation) -> str:
    key = f"participation:{participation.public_id}:{participation.outcome}"
    return key if participation.revision == 0 else f"{key}:{participation.revision}"


def _timestamp(day: date_type) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def participation_statement(participation: Participation) -> dict:
    """The emitter's keyword arguments for a participation's current statement.

    Public so bulk writers (imports, demo data) can emit many with
    ``lms.xapi.emitter.statements_emit_many`` and one insert.
    """
    event = participation.event
    return {
        "event_key": _event_key(participation),
        "person_uuid": participation.person.public_id,
        "verb": VERB_FOR_OUTCOME[Outcome(participation.outcome)],
        "activity": _event_activity(event),
        "result": _result(participation.outcome, participation.score),
        "parent": _course_activity(event.course_public_id, event.course_title),
        "grouping": _programme_activity(event.programme),
        "timestamp": _timestamp(participation.date),
    }


def _state(participation: Participation) -> None:
    """Emit the participation's statement (in the current transaction) and remember its id."""
    participation.statement_id = statement_emit(**participation_statement(participation))


def _validate(outcome: str, score: float | None) -> None:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome: %(value)s.") % {"value": outcome}})
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("The score must be between 0 and 100.")})


def participation_record(
    *,
    person: Person,
    event: TrainingEvent,
    outcome: str,
    date: date_type | None = None,
    score: float | None = None,
    organisation: Organisation | None = None,
    unit: str = "",
    rank: str = "",
    source: str = Source.MANUAL,
    provenance: Provenance | None = None,
    recorded_by=None,
) -> Participation:
    """Record that ``person`` took part in ``event`` with ``outcome``; idempotent per
    (person, event).

    The first record emits an xAPI statement (attended/completed/passed/failed) about the
    event, grouped under its programme, in the same transaction. Recording again with the same
    outcome and score changes only the as-recorded details (organisation, unit, rank) and
    emits nothing. A changed outcome or score voids the earlier statement and states the new
    one (statements are immutable), so the LRS and every count follow the correction. A
    voided participation recorded again comes back to life with a new statement.

    A merged person is recorded on its survivor.
    """
    _validate(outcome, score)
    person = person.merged_into if person.merged_into_id else person
    date = date or event.end_date
    provenance = provenance or Provenance()
    with transaction.atomic():
        report_cache_rewarm_schedule()  # keeps the dashboards warm
        participation = (
            Participation.objects.select_for_update()
            .select_related("person")
            .filter(person=person, event=event)
            .first()
        )
        if participation is None:
            participation = Participation(
                person=person,
                event=event,
                outcome=outcome,
                score=score,
                date=date,
                source=source,
                import_public_id=provenance.import_public_id,
                source_file=provenance.source_file[:255],
                source_row=provenance.source_row,
                recorded_by=recorded_by,
                **_copied_from_event(event),
            )
            _details_set(participation, organisation, unit, rank)
            _state(participation)
            try:
                with transaction.atomic():
                    participation.save()
            except IntegrityError:
                # A concurrent request recorded the same (person, event): use theirs.
                return participation_record(
                    person=person,
                    event=event,
                    outcome=outcome,
                    date=date,
                    score=score,
                    organisation=organisation,
                    unit=unit,
                    rank=rank,
                    source=source,
                    provenance=provenance,
                    recorded_by=recorded_by,
                )
            return participation
        restate = (
            participation.voided
            or participation.outcome != outcome
            or participation.score != score
            or participation.date != date
        )
        _details_set(participation, organisation, unit, rank)
        if restate:
            if participation.statement_id and not participation.voided:
                statement_void(
                    event_key=f"void:{participation.statement_id}",
                    target_id=participation.statement_id,
                    person_uuid=person.public_id,
                )
            participation.outcome, participation.score, participation.date = outcome, score, date
            participation.revision += 1
            participation.voided, participation.voided_at, participation.void_reason = (
                False,
                None,
                "",
            )
            _state(participation)
        participation.save()
        return participation


def _details_set(participation: Participation, organisation, unit: str, rank: str) -> None:
    if organisation is not None:
        participation.organisation = organisation
    if unit:
        participation.unit = unit[:200]
    if rank:
        participation.rank = rank[:100]


def _copied_from_event(event: TrainingEvent) -> dict:
    return {
        "programme_id": event.programme_id,
        "kind": event.kind,
        "place_id": event.place_id,
        "field_office_id": event.field_office_id,
        "course_public_id": event.course_public_id,
        "course_title": event.course_title,
    }


def participation_void(*, participation: Participation, reason: str) -> None:
    """Withdraw a participation recorded in error: its statement is voided in the LRS and
    it leaves every count. The row stays, so the record page and restated reports can show
    what changed and why."""
    with transaction.atomic():
        report_cache_rewarm_schedule()  # keeps the dashboards warm
        participation = (
            Participation.objects.select_for_update()
            .select_related("person")
            .get(pk=participation.pk)
        )
        if participation.voided:
            return
        if participation.statement_id:
            statement_void(
                event_key=f"void:{participation.statement_id}",
                target_id=participation.statement_id,
                person_uuid=participation.person.public_id,
            )
        participation.voided = True
        participation.voided_at = timezone.now()
        participation.void_reason = reason
        participation.save(update_fields=["voided", "voided_at", "void_reason", "updated_at"])


def participations_void_for_statements(*, statement_ids: Iterable[UUID]) -> int:
    """Void the participations whose statements were voided in the LRS (by anyone).

    Called by the registry's statement consumer: a voided statement voids its participation,
    so every count follows. Returns how many participations changed.
    """
    ids = list(statement_ids)
    if not ids:
        return 0
    report_cache_rewarm_schedule()  # keeps the dashboards warm
    return Participation.objects.filter(statement_id__in=ids, voided=False).update(
        voided=True,
        voided_at=timezone.now(),
        void_reason="Statement voided in the LRS.",
        updated_at=timezone.now(),
    )


def participation_online_record(
    *,
    person: Person,
    course_public_id: UUID,
    course_title: str,
    enrolment_public_id: UUID,
    outcome: str,
    date: date_type,
    score: float | None = None,
    programme: Programme | None = None,
    statement_id: UUID | None = None,
) -> Participation:
    """Record (or update) the registry's view of an online course delivery.

    Called by the registry's statement consumer (``trainees.services.online``) with the
    delivery's strongest live outcome statement: the LRS already holds that statement, so
    this emits nothing; it lets the counting selector count online learners with in-person
    ones. Idempotent per (person, enrolment); a voided delivery stated again comes back.
    """
    _validate(outcome, score)
    person = person.merged_into if person.merged_into_id else person
    fields = {
        "course_public_id": course_public_id,
        "course_title": course_title[:200],
        "programme": programme,
        "kind": EventKind.ONLINE,
        "outcome": outcome,
        "score": score,
        "date": date,
        "source": Source.ONLINE,
        "statement_id": statement_id,
        "voided": False,
        "voided_at": None,
        "void_reason": "",
    }
    # No savepoint of its own: the consumer calls this once per delivery of a batch, inside
    # its transaction; only the insert that may race needs one.
    with transaction.atomic(savepoint=False):
        report_cache_rewarm_schedule()  # keeps the dashboards warm
        mine = Participation.objects.select_for_update().filter(
            person=person, enrolment_public_id=enrolment_public_id
        )
        participation = mine.first()
        if participation is None:
            try:
                with transaction.atomic():
                    return Participation.objects.create(
                        person=person, enrolment_public_id=enrolment_public_id, **fields
                    )
            except IntegrityError:  # a concurrent consumer recorded the same delivery
                participation = mine.get()
        for name, value in fields.items():
            setattr(participation, name, value)
        participation.save()
    return participation
