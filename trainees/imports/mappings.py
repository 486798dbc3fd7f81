"""Column mappings remembered per field office.

A trainer who says once that "Service" holds the unit, or that "Mat. Gie" is the service
number, should not have to say it again for the next roster from the same office. The
mapping is stored by normalised header (:func:`.columns.header_key`) and office; what the
platform recognised on its own is not stored (the table already knows it), only where the
trainer chose something else or filled a gap.
"""

from __future__ import annotations

from .columns import FIELDS, IGNORE, header_key, recognise
from .models import RosterColumnMapping, RosterImport

__all__ = ["mapping_remember", "remembered_mappings", "roster_import_office"]


def roster_import_office(roster_import: RosterImport) -> int | None:
    """The field office of the import's event (or of the event it will create)."""
    event = roster_import.event
    if event is not None:
        if event.field_office_id is None and event.place_id is not None:
            return event.place.field_office_id
        return event.field_office_id
    return (roster_import.new_event or {}).get("field_office")


def remembered_mappings(*, office_id: int | None) -> dict[str, str]:
    """Header key -> field, as trainers of ``office_id`` mapped them."""
    if office_id is None:
        return {}
    return dict(
        RosterColumnMapping.objects.filter(field_office_id=office_id).values_list(
            "header_key", "field"
        )
    )


def mapping_remember(
    *, office_id: int | None, headers: list[str], mapping: dict[int, str], user=None
) -> int:
    """Remember, for ``office_id``, each column the trainer mapped differently from what the
    header table says on its own. Returns how many headers were stored."""
    if office_id is None:
        return 0
    own = recognise(headers)
    stored = 0
    for i, field in mapping.items():
        i = int(i)
        if i >= len(headers) or field not in (*FIELDS, IGNORE):
            continue
        key = header_key(headers[i])
        if not key or own.get(i) == field:
            continue
        RosterColumnMapping.objects.update_or_create(
            field_office_id=office_id,
            header_key=key[:200],
            defaults={
                "field": field,
                "updated_by": user if getattr(user, "is_authenticated", False) else None,
            },
        )
        stored += 1
    return stored
