"""Reference data: organisations and places, found by natural key or created."""

from __future__ import annotations

from django.utils.text import slugify

from trainees.matching import normalise_text
from trainees.models import Organisation, Place
from trainees.models.choices import DEFAULT_REPORTING_CATEGORY, OrganisationCategory


def organisation_ensure(
    *,
    name_fr: str,
    category: str,
    name_en: str = "",
    code: str = "",
    parent: Organisation | None = None,
    reporting_category: str = "",
) -> Organisation:
    """The organisation with this code (default: the slug of its French name), created when
    missing. The reporting category defaults to the category's (every MDSF branch is MDSF)."""
    code = code or slugify(name_fr)[:64]
    reporting_category = (
        reporting_category or DEFAULT_REPORTING_CATEGORY[OrganisationCategory(category)]
    )
    organisation, _created = Organisation.objects.get_or_create(
        code=code,
        defaults={
            "name_fr": name_fr,
            "name_en": name_en,
            "name_normalised": normalise_text(name_fr)[:200],
            "category": category,
            "reporting_category": reporting_category,
            "parent": parent,
        },
    )
    return organisation


def place_ensure(
    *,
    name: str,
    kind: str,
    parent: Place | None = None,
    field_office=None,
    latitude=None,
    longitude=None,
) -> Place:
    """The place of this name and kind within ``parent``, created when missing."""
    place, _created = Place.objects.get_or_create(
        name=name,
        kind=kind,
        parent=parent,
        defaults={
            "field_office": field_office or (parent.field_office if parent else None),
            "latitude": latitude,
            "longitude": longitude,
        },
    )
    return place
