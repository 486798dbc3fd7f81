"""Counting people and participations, and breaking them down (one aggregate query each)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, F, Max, Min, QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import FieldOffice
from trainees.models import (
    AGE_BAND_SCHEMES,
    EventKind,
    OnlineOutcome,
    Organisation,
    OrganisationCategory,
    Outcome,
    Participation,
    Person,
    Place,
    ReportingCategory,
    Sex,
)
from trainees.models.choices import AGE_UNKNOWN

from .queries import (
    PERSON_KEY,
    YearMonthOf,
    YearOf,
    _counted,
    _participations,
    _programmes,
    _with_age,
    copied_column,
)
from .scope import _PARTITIONS, BREAKDOWN_DIMENSIONS, Breakdown, CountScope, CountScopeError, Row


def people_count(*, scope: CountScope) -> int:
    """How many distinct people the scope covers (one query, plus small reference lookups)."""
    from .summary import summary_people_count, summary_serves

    if scope.date_from is None and summary_serves(scope, dates=True):
        return summary_people_count(scope)
    return _counted(scope).aggregate(n=Count(PERSON_KEY, distinct=True))["n"] or 0


def people_in_scope(*, scope: CountScope) -> QuerySet[Person]:
    """The people behind :func:`people_count`: exactly as many, ordered by name.

    Each is the surviving person (never a merged one). Use
    :func:`participations_in_scope` for the participations that qualify them.
    """
    keys = _participations(scope).annotate(_key=PERSON_KEY).values("_key")
    return Person.objects.filter(pk__in=keys).order_by(
        "family_normalised", "given_normalised", "pk"
    )


def participations_in_scope(*, scope: CountScope) -> QuerySet[Participation]:
    """The live participations that qualify people for the scope (rows, not people)."""
    return _participations(scope).annotate(counted_person_id=PERSON_KEY)


def participations_changed(*, scope: CountScope, since) -> dict[str, int]:
    """What moved the participations of ``scope`` since ``since`` (a publication): rows
    recorded after it (of which ``offline_sync``: learning done on a phone without a
    connection and synced later), rows that were recorded before it and voided after it, and
    rows recorded before it and corrected after it (still in the scope now)."""
    live = _participations(scope).filter(created_at__lte=since)
    recorded = _participations(scope).filter(created_at__gt=since)
    synced = OnlineOutcome.objects.filter(offline_sync=True).values("statement_id")
    return {
        "recorded": recorded.count(),
        "offline_sync": recorded.filter(statement_id__in=synced).count(),
        "voided": _participations(scope, voided=True)
        .filter(voided=True, voided_at__gt=since, created_at__lte=since)
        .count(),
        "corrected": live.filter(updated_at__gt=since).count(),
    }


def participations_count(*, scope: CountScope) -> int:
    """Rows, not people: how many qualifying participations the scope holds."""
    return _counted(scope).count()


def _month_key(value: int | None) -> str | None:
    return None if value is None else f"{value // 100:04d}-{value % 100:02d}"


def _month_label(key: str) -> str:
    """A month's row label in the active language ("avril 2024"; the key stays "2024-04")."""
    return formats.date_format(datetime.date(int(key[:4]), int(key[5:7]), 1), "YEAR_MONTH_FORMAT")


def _dimension(qs: QuerySet, by: str, scope: CountScope) -> tuple[QuerySet, str]:
    if by == "programme":
        return qs, "programme_id"
    if by == "course":
        return qs, "course_public_id"
    if by in ("kind", "outcome"):
        return qs, by
    if by == "sex":
        return qs.annotate(_row=F(copied_column(qs, "sex"))), "_row"
    if by == "age_band":
        return _with_age(qs, scope.age_scheme), "_age_band"
    if by in ("organisation_category", "reporting_category"):
        return qs, copied_column(qs, by)
    if by in ("organisation", "field_office", "place"):
        return qs, f"{by}_id"
    if by == "year":
        return qs.annotate(_row=YearOf("date")), "_row"
    if by == "month":
        return qs.annotate(_row=YearMonthOf("date")), "_row"
    raise CountScopeError("by", f"Unknown breakdown: {by}.")


def _labels(by: str, keys: list, scope: CountScope, programmes, extra: dict) -> dict:
    present = [k for k in keys if k is not None]
    if by == "programme":
        return {pk: programmes[pk][1] for pk in present if pk in programmes}
    if by == "course":
        return {k: extra.get(k) or str(k) for k in present}
    if by == "kind":
        return dict(EventKind.choices)
    if by == "outcome":
        return dict(Outcome.choices)
    if by == "sex":
        return {k: str(v) for k, v in Sex.choices}
    if by == "age_band":
        labels = {band.code: band.label for band in AGE_BAND_SCHEMES[scope.age_scheme]}
        labels[AGE_UNKNOWN] = str(_("Unknown"))
        return labels
    if by == "organisation_category":
        return dict(OrganisationCategory.choices)
    if by == "reporting_category":
        return dict(ReportingCategory.choices)
    if by == "organisation":
        return {o.pk: o.name for o in Organisation.objects.filter(pk__in=present)}
    if by == "field_office":
        return dict(FieldOffice.objects.filter(pk__in=present).values_list("pk", "name"))
    if by == "place":
        return dict(Place.objects.filter(pk__in=present).values_list("pk", "name"))
    if by == "year":
        return {k: str(k) for k in present}
    if by == "month":
        return {k: _month_label(k) for k in present}
    return {}


def people_breakdown(*, scope: CountScope, by: str) -> Breakdown:
    """Distinct people per row of ``by`` (one of :data:`BREAKDOWN_DIMENSIONS`).

    One aggregate query, plus at most one query for the rows' labels. Rows are in key order
    (programmes in their order); the "not recorded" row (key ``None``) comes last.
    """
    if by not in BREAKDOWN_DIMENSIONS:
        raise CountScopeError("by", f"Unknown breakdown: {by}.")
    programmes = _programmes()
    qs, column = _dimension(_counted(scope, programmes), by, scope)
    aggregates = {"n": Count(PERSON_KEY, distinct=True)}
    if by == "course":
        aggregates["title"] = Max("course_title")
    results = list(qs.order_by().values(column).annotate(**aggregates))
    return _breakdown_from(results, column, by=by, scope=scope, programmes=programmes)


def _breakdown_from(results: list[dict], column: str, *, by: str, scope, programmes) -> Breakdown:
    """The rows of a breakdown from ``results`` (``{column: key, "n": people}`` per group;
    ``"title"`` for courses), labelled and ordered: shared by every way of counting them."""
    if by == "month":
        for item in results:
            item[column] = _month_key(item[column])
    extra = {item[column]: item.get("title") for item in results}
    labels = _labels(by, [item[column] for item in results], scope, programmes, extra)
    not_recorded = str(_("Not recorded"))
    rows = [
        Row(
            key=item[column] if item[column] != "" else None,
            label=str(labels.get(item[column]) or (item[column] if item[column] else "") or "")
            or not_recorded,
            count=item["n"],
        )
        for item in results
    ]
    order = list(programmes) if by == "programme" else None
    rows.sort(key=lambda r: _row_order(r, by, scope, order))
    return Breakdown(rows, by=by, overlapping=by not in _PARTITIONS)


def _row_order(row: Row, by: str, scope: CountScope, programme_order) -> tuple:
    if row.key is None:
        return (1, 0, "")
    if by == "programme":
        return (0, programme_order.index(row.key), "")
    if by == "age_band":
        codes = [b.code for b in AGE_BAND_SCHEMES[scope.age_scheme]] + [AGE_UNKNOWN]
        return (0, codes.index(row.key), "")
    if by in ("year", "month"):
        return (0, 0, str(row.key))
    return (0, 0, row.label.casefold())


def _period_sql(period: str, column: str) -> str:
    if period not in ("year", "month"):
        raise CountScopeError("period", f"Unknown period: {period}.")
    if connection.vendor == "postgresql":
        if period == "year":
            return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
        return f"CAST(EXTRACT(YEAR FROM {column}) * 100 + EXTRACT(MONTH FROM {column}) AS integer)"
    fmt = "%%Y" if period == "year" else "%%Y%%m"  # % doubled: the query has parameters
    return f"CAST(strftime('{fmt}', {column}) AS integer)"


def people_new_breakdown(*, scope: CountScope, period: str = "year") -> Breakdown:
    """People whose first qualifying participation ever falls in each period of the scope.

    "Ever" means within the scope's other filters but without ``date_from``: someone trained
    in 2019 and again in 2022 is new in 2019 only. One query.
    """
    return people_new_and_cumulative(scope=scope, period=period)[0]


def people_new_and_cumulative(*, scope: CountScope, period: str = "year") -> tuple[Breakdown, int]:
    """:func:`people_new_breakdown` and the cumulative figure "since the start" (the
    :func:`people_count` of the scope without ``date_from``) from one query: both group the
    same qualifying participations by person (their first date); everyone grouped is in the
    cumulative figure, and new in the scope's period if that first date is in it.
    """
    from .summary import summary_firsts_sql, summary_serves

    if summary_serves(scope, dates=True):
        sql, params = summary_firsts_sql(scope)
    else:
        inner = (
            _counted(scope.replace(date_from=None))
            .annotate(_key=PERSON_KEY)
            .order_by()
            .values("_key")
            .annotate(_first=Min("date"))
            .values("_key", "_first")
        )
        sql, params = inner.query.sql_with_params()
    where, extra = [], []
    if scope.date_from:
        where.append("firsts._first >= %s")
        extra.append(scope.date_from)
    if scope.date_to:
        where.append("firsts._first <= %s")
        extra.append(scope.date_to)
    period_sql = _period_sql(period, "firsts._first")
    if where:  # people first qualified outside the period: in the cumulative figure only
        period_sql = f"CASE WHEN {' AND '.join(where)} THEN {period_sql} END"
    query = (
        f"SELECT {period_sql} AS period, COUNT(*) FROM ({sql}) firsts"  # noqa: S608
        " GROUP BY 1 ORDER BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*extra, *params])
        results = cursor.fetchall()
    rows, cumulative = [], 0
    for key, n in results:
        cumulative += n
        if key is None:
            continue
        key = int(key)
        if period == "year":
            rows.append(Row(key=key, label=str(key), count=n))
        else:
            key = _month_key(key)
            rows.append(Row(key=key, label=_month_label(key), count=n))
    # Each person is new exactly once: the rows partition the new people.
    return Breakdown(rows, by=f"new_{period}", overlapping=False), cumulative
