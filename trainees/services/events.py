"""Creating and correcting training events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trainees.models import EventKind, Participation, Place, Programme, TrainingEvent


def _check(kind: str, start_date: date, end_date: date) -> None:
    if kind not in EventKind.values or kind == EventKind.ONLINE:
        raise ValidationError({"kind": _("Unknown kind of event: %(value)s.") % {"value": kind}})
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


def training_event_create(
    *,
    title: str,
    programme: Programme,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    place: Place | None = None,
    field_office=None,
    course_public_id: UUID | None = None,
    course_title: str = "",
    funding_source: str = "",
    notes: str = "",
    trainers: Iterable = (),
    created_by=None,
) -> TrainingEvent:
    """Create an in-person training event. The field office defaults to the place's."""
    end_date = end_date or start_date
    _check(kind, start_date, end_date)
    if field_office is None and place is not None:
        field_office = place.field_office
    with transaction.atomic():
        event = TrainingEvent.objects.create(
            title=title.strip()[:200],
            programme=programme,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            place=place,
            field_office=field_office,
            course_public_id=course_public_id,
            course_title=course_title[:200],
            funding_source=funding_source[:200],
            notes=notes,
            created_by=created_by,
        )
        trainers = list(trainers)
        if trainers:
            event.trainers.set(trainers)
    return event


#: Event fields copied onto its participations (see ``Participation``'s docstring).
_COPIED = {
    "programme": "programme_id",
    "kind": "kind",
    "place": "place_id",
    "field_office": "field_office_id",
    "course_public_id": "course_public_id",
    "course_title": "course_title",
}


def training_event_update(*, event: TrainingEvent, **changes) -> TrainingEvent:
    """Correct an event and keep its participations' copies of its fields in step, so the
    counts follow (a wrong programme or place restates every figure)."""
    allowed = {
        "title",
        "programme",
        "kind",
        "start_date",
        "end_date",
        "place",
        "field_office",
        "course_public_id",
        "course_title",
        "funding_source",
        "notes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    # Checked before the event is touched: a refused correction leaves it as it was.
    _check(
        changes.get("kind", event.kind),
        changes.get("start_date", event.start_date),
        changes.get("end_date", event.end_date),
    )
    with transaction.atomic():
        for name, value in changes.items():
            setattr(event, name, value)
        event.save()
        copied = {
            column: getattr(event, column if column != "kind" else "kind")
            for name, column in _COPIED.items()
            if name in changes
        }
        if copied:
            from trainees.reports.cache import report_cache_rewarm_schedule

            report_cache_rewarm_schedule()  # keeps the dashboards warm
            Participation.objects.filter(event=event).update(**copied)
    return event
