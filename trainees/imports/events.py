"""The training event an import creates when the trainer has not recorded it yet.

The upload screen (like ``manage.py import_roster --programme ...``) can describe a new event
instead of choosing one. The description is checked at upload, stored on the import, and the
event is created by the confirm, in the same transaction as the roster: a preview that is
never confirmed leaves no event behind, and a failed confirm leaves neither event nor rows.
Confirming the same file for the same new event again finds the event the first confirm
created and changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lms.accounts.models import FieldOffice
from lms.accounts.selectors import user_field_offices, user_has_role
from trainees.models import EventKind, Place, Programme, TrainingEvent

from .selectors import ALL_OFFICE_ROLES

__all__ = ["new_event_check", "new_event_create", "new_event_existing"]

#: What a stored description holds (ids and ISO dates: it is kept as JSON on the import).
SPEC_KEYS = ("title", "programme", "kind", "start_date", "end_date", "place", "field_office")


def new_event_check(
    *,
    user,
    title: str,
    programme: Programme | None,
    kind: str,
    start_date: date | None,
    end_date: date | None,
    place: Place | None = None,
    field_office: FieldOffice | None = None,
) -> dict:
    """Check a new event's description for ``user``; return it as stored on the import.

    Every problem is reported at once, by field. A trainer may only create events of their own
    field offices (the office defaults to the place's); lead trainers, coordinators and
    administrators, of any office.
    """
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Give the event a title."))
    if programme is None:
        errors.setdefault("programme", []).append(_("Choose the event's programme."))
    if kind not in EventKind.values or kind == EventKind.ONLINE:
        errors.setdefault("kind", []).append(
            _("Unknown kind of event: %(value)s.") % {"value": kind}
        )
    if start_date is None:
        errors.setdefault("start_date", []).append(_("Give the event's start date."))
    end_date = end_date or start_date
    if start_date and end_date and end_date < start_date:
        errors.setdefault("end_date", []).append(_("The end date cannot be before the start date."))
    if place is not None and place.field_office_id is not None:
        if field_office is None:
            field_office = place.field_office
        elif field_office.pk != place.field_office_id:
            errors.setdefault("place", []).append(
                _("%(place)s belongs to the %(office)s field office, not to %(chosen)s.")
                % {"place": place, "office": place.field_office, "chosen": field_office}
            )
    allowed = set(user_field_offices(user=user).values_list("pk", flat=True))
    if field_office is None:
        if not user_has_role(user=user, roles=ALL_OFFICE_ROLES):
            errors.setdefault("field_office", []).append(
                _("Choose the field office the event belongs to.")
            )
    elif field_office.pk not in allowed:
        errors.setdefault("field_office", []).append(
            _("You cannot record events for the %(office)s field office.")
            % {"office": field_office}
        )
    if errors:
        raise ValidationError(errors)
    return {
        "title": title[:200],
        "programme": programme.pk,
        "kind": kind,
        "start_date": start_date.isoformat(),
        "end_date": end_date.isoformat(),
        "place": place.pk if place is not None else None,
        "field_office": field_office.pk if field_office is not None else None,
    }


def _fields(spec: dict) -> dict:
    return {
        "title": spec["title"],
        "programme_id": spec["programme"],
        "kind": spec["kind"],
        "start_date": date.fromisoformat(spec["start_date"]),
        "end_date": date.fromisoformat(spec["end_date"]),
        "place_id": spec.get("place"),
        "field_office_id": spec.get("field_office"),
    }


def new_event_existing(*, spec: dict, file_hash: str) -> TrainingEvent | None:
    """The event an earlier import created from the same description with the same file."""
    return (
        TrainingEvent.objects.filter(
            **_fields(spec),
            roster_imports__file_hash=file_hash,
            roster_imports__status="confirmed",
        )
        .order_by("pk")
        .first()
    )


def new_event_create(*, spec: dict, user) -> TrainingEvent:
    """Create the described event (inside the confirm's transaction)."""
    from trainees.services import training_event_create

    fields = _fields(spec)
    place = Place.objects.filter(pk=fields["place_id"]).first() if fields["place_id"] else None
    office = (
        FieldOffice.objects.filter(pk=fields["field_office_id"]).first()
        if fields["field_office_id"]
        else None
    )
    return training_event_create(
        title=fields["title"],
        programme=Programme.objects.get(pk=fields["programme_id"]),
        kind=fields["kind"],
        start_date=fields["start_date"],
        end_date=fields["end_date"],
        place=place,
        field_office=office,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
