"""Drill-down into one row of a breakdown (added for the reports, issue 6)."""

from __future__ import annotations

from django.db.models import Min, Q, QuerySet

from trainees.models import Participation, Person

from .people import _dimension, _period_sql
from .queries import PERSON_KEY, _participations
from .scope import BREAKDOWN_DIMENSIONS, CountScope, CountScopeError

#: Dimensions whose "not recorded" row holds an empty string as well as NULL.
_TEXT_DIMENSIONS = frozenset({"sex", "organisation_category", "reporting_category"})


def participations_in_row(*, scope: CountScope, by: str, key) -> QuerySet[Participation]:
    """The participations behind one row of :func:`people_breakdown` (``key`` as in its
    :class:`Row`; ``None`` for "not recorded").

    The row is selected on the very column the breakdown groups by, so the people behind a
    cell are exactly as many as its count (a scope filter would not do: organisations and
    places include their descendants there, and outcome tokens are a union).
    ``by="new_year"`` / ``"new_month"`` select the rows of :func:`people_new_breakdown`.
    """
    if by in ("new_year", "new_month"):
        return _participations_new_in_period(scope, by.removeprefix("new_"), key)
    if by not in BREAKDOWN_DIMENSIONS:
        raise CountScopeError("by", f"Unknown breakdown: {by}.")
    qs, column = _dimension(_participations(scope), by, scope)
    if key is None:
        empty = Q(**{f"{column}__isnull": True})
        if by in _TEXT_DIMENSIONS:
            empty |= Q(**{column: ""})
        return qs.filter(empty).annotate(counted_person_id=PERSON_KEY)
    if by == "month":
        year, month = str(key).split("-")
        key = int(year) * 100 + int(month)
    return qs.filter(**{column: key}).annotate(counted_person_id=PERSON_KEY)


def _participations_new_in_period(scope: CountScope, period: str, key) -> QuerySet:
    _period_sql(period, "date")  # validates ``period``
    firsts = (
        _participations(scope.replace(date_from=None))
        .annotate(_key=PERSON_KEY)
        .order_by()
        .values("_key")
        .annotate(_first=Min("date"))
    )
    if period == "year":
        firsts = firsts.filter(_first__year=int(key))
    else:
        year, month = str(key).split("-")
        firsts = firsts.filter(_first__year=int(year), _first__month=int(month))
    if scope.date_from:
        firsts = firsts.filter(_first__gte=scope.date_from)
    if scope.date_to:
        firsts = firsts.filter(_first__lte=scope.date_to)
    keys = firsts.values("_key")
    return (
        _participations(scope)
        .annotate(counted_person_id=PERSON_KEY)
        .filter(counted_person_id__in=keys)
    )


def people_in_row(*, scope: CountScope, by: str, key) -> QuerySet[Person]:
    """The people behind one row of a breakdown: exactly as many as its count, by name."""
    keys = participations_in_row(scope=scope, by=by, key=key).values("counted_person_id")
    return Person.objects.filter(pk__in=keys).order_by(
        "family_normalised", "given_normalised", "pk"
    )
