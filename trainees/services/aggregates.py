"""Recording aggregate sessions: headcounts by sex and age band, without names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trainees.models import (
    AGE_BAND_SCHEMES,
    AggregateCount,
    AggregateKind,
    AggregateSession,
    Place,
    Programme,
    Sex,
)
from trainees.models.choices import AGE_UNKNOWN
from trainees.reports.cache import report_cache_rewarm_schedule


def aggregate_session_record(
    *,
    title: str,
    programme: Programme,
    kind: str,
    date: date,
    counts: Mapping[tuple[str, str], int],
    age_scheme: str = "fine",
    place: Place | None = None,
    field_office=None,
    notes: str = "",
    recorded_by=None,
) -> AggregateSession:
    """Record a session with ``counts[(sex, age_band)] = headcount``.

    Sex is "F", "M" or "" (not recorded); age bands are codes of ``age_scheme`` or
    "unknown". Zero counts are not stored.
    """
    if kind not in AggregateKind.values:
        raise ValidationError({"kind": _("Unknown kind of session: %(value)s.") % {"value": kind}})
    if age_scheme not in AGE_BAND_SCHEMES:
        raise ValidationError({"age_scheme": _("Unknown age band scheme.")})
    bands = {band.code for band in AGE_BAND_SCHEMES[age_scheme]} | {AGE_UNKNOWN}
    for (sex, band), count in counts.items():
        if sex not in Sex.values or band not in bands:
            raise ValidationError({"counts": _("Unknown sex or age band.")})
        if count is None or count < 0:
            raise ValidationError({"counts": _("Headcounts cannot be negative.")})
    if not any(counts.values()):
        raise ValidationError({"counts": _("Enter at least one headcount.")})
    if field_office is None and place is not None:
        field_office = place.field_office
    with transaction.atomic():
        report_cache_rewarm_schedule()  # keeps the dashboards warm
        session = AggregateSession.objects.create(
            title=title.strip()[:200],
            programme=programme,
            kind=kind,
            date=date,
            age_scheme=age_scheme,
            place=place,
            field_office=field_office,
            notes=notes,
            recorded_by=recorded_by,
        )
        AggregateCount.objects.bulk_create(
            AggregateCount(session=session, sex=sex, age_band=band, count=count)
            for (sex, band), count in counts.items()
            if count
        )
    return session
