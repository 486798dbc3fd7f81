"""What a count covers: :class:`CountScope`, its definitions, and the shape of results."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from trainees.models import (
    AGE_BAND_SCHEMES,
    EventKind,
    OrganisationCategory,
    ReportingCategory,
    Sex,
)
from trainees.models.choices import AGE_UNKNOWN

#: Outcome tokens a scope accepts, with the definition shown on the methodology page.
OUTCOME_DEFINITIONS = {
    "trained": _(
        "Completed or passed a course or an in-person training event, as each programme "
        "defines it (awareness programmes also count attendance). Attended-but-failed is "
        "not trained."
    ),
    "briefed": _("Attended a briefing, whatever the outcome."),
    "attended": _("Took part in any activity, whatever the outcome."),
    "completed": _("Recorded as completed."),
    "passed": _("Recorded as passed."),
    "failed": _("Recorded as failed."),
}

#: Dimensions :func:`people_breakdown` accepts, with their display names.
BREAKDOWN_DIMENSIONS = {
    "programme": _("Programme"),
    "course": _("Course"),
    "kind": _("Type of activity"),
    "outcome": _("Outcome"),
    "sex": _("Sex"),
    "age_band": _("Age band"),
    "organisation_category": _("Organisation category"),
    "reporting_category": _("Reporting category"),
    "organisation": _("Organisation"),
    "field_office": _("Field office"),
    "place": _("Place"),
    "year": _("Year"),
    "month": _("Month"),
}

#: Dimensions of "people reached" (aggregate sessions have no names, organisations or courses).
REACHED_DIMENSIONS = ("programme", "kind", "sex", "age_band", "field_office", "place", "year")

#: Dimensions in which each person falls in exactly one row.
_PARTITIONS = frozenset({"sex"})


class CountScopeError(ValueError):
    """A scope that cannot be counted. ``field`` names the offending filter."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class CountScope:
    """What to count. Empty filters do not filter. See the module docstring for meanings.

    ``programmes``, ``organisations`` and ``field_offices`` take codes; ``places`` takes
    place ids; ``courses`` the course public ids (UUIDs); ``organisation_categories`` and
    ``reporting_categories`` their choice values; ``sexes`` "F", "M" or "" (not recorded);
    ``age_bands`` band codes of ``age_scheme`` (and "unknown").
    """

    outcomes: tuple[str, ...] = ("trained",)
    programmes: tuple[str, ...] = ()
    courses: tuple[UUID, ...] = ()
    event_kinds: tuple[str, ...] = ()
    organisation_categories: tuple[str, ...] = ()
    reporting_categories: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[int, ...] = ()
    field_offices: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sexes: tuple[str, ...] = ()
    age_scheme: str = "default"
    age_bands: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in (
            "outcomes",
            "programmes",
            "courses",
            "event_kinds",
            "organisation_categories",
            "reporting_categories",
            "organisations",
            "places",
            "field_offices",
            "sexes",
            "age_bands",
        ):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, tuple):
                object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        self._check()

    def _check(self) -> None:
        def unknown(name: str, values: Iterable, allowed: Iterable) -> None:
            bad = sorted(str(v) for v in set(values) - set(allowed))
            if bad:
                raise CountScopeError(name, f"Unknown {name}: {', '.join(bad)}.")

        if not self.outcomes:
            raise CountScopeError("outcomes", "Choose at least one outcome.")
        unknown("outcomes", self.outcomes, OUTCOME_DEFINITIONS)
        unknown("event_kinds", self.event_kinds, EventKind.values)
        unknown("organisation_categories", self.organisation_categories, OrganisationCategory)
        unknown("reporting_categories", self.reporting_categories, ReportingCategory)
        unknown("sexes", self.sexes, Sex.values)
        if self.age_scheme not in AGE_BAND_SCHEMES:
            raise CountScopeError("age_scheme", f"Unknown age_scheme: {self.age_scheme}.")
        codes = [band.code for band in AGE_BAND_SCHEMES[self.age_scheme]] + [AGE_UNKNOWN]
        unknown("age_bands", self.age_bands, codes)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise CountScopeError("date_to", "The end of the period is before its start.")

    def replace(self, **changes) -> CountScope:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Row:
    """One row of a breakdown: ``key`` is stable (an id, code, year or "YYYY-MM"; ``None``
    for "not recorded"), ``label`` is for display, ``count`` distinct people.

    ``lowest``, ``expected`` and ``pairs`` are the row's range while pairs wait in the review
    queue (``uncertainty.people_ranges``); ``None`` when not computed (then the count is all).
    """

    key: object
    label: str
    count: int
    lowest: int | None = None
    expected: float | None = None
    pairs: int = 0

    @property
    def uncertain(self) -> bool:
        return bool(self.pairs) and self.lowest is not None and self.lowest < self.count


class Breakdown(list):
    """The rows of a breakdown (a list of :class:`Row`), with what the table must say.

    ``overlapping`` is true when a person can be in several rows, so the rows can sum to
    more than the total.
    """

    def __init__(self, rows: Iterable[Row], *, by: str, overlapping: bool) -> None:
        super().__init__(rows)
        self.by = by
        self.overlapping = overlapping
