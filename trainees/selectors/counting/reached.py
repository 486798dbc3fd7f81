"""People reached: headcounts of aggregate sessions, never inside unique counts."""

from __future__ import annotations

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from trainees.models import AGE_BAND_SCHEMES, AggregateCount, AggregateKind, Place
from trainees.models.choices import AGE_UNKNOWN

from .people import _labels, _row_order
from .queries import YearOf, _descendants, _programmes
from .scope import REACHED_DIMENSIONS, Breakdown, CountScope, CountScopeError, Row


def _band_map(source_scheme: str, target_scheme: str) -> dict[str, str]:
    """Map each band of ``source_scheme`` to the band of ``target_scheme`` containing it;
    bands that straddle a target boundary map to ``unknown``."""
    mapping = {AGE_UNKNOWN: AGE_UNKNOWN}
    targets = AGE_BAND_SCHEMES.get(target_scheme, ())
    for band in AGE_BAND_SCHEMES.get(source_scheme, ()):
        low = band.lower if band.lower is not None else -1
        high = band.upper if band.upper is not None else 10**6
        found = AGE_UNKNOWN
        for target in targets:
            t_low = target.lower if target.lower is not None else -1
            t_high = target.upper if target.upper is not None else 10**6
            if t_low <= low and high <= t_high:
                found = target.code
                break
        mapping[band.code] = found
    return mapping


def _reached(scope: CountScope) -> QuerySet[AggregateCount] | None:
    # Sessions carry no names, organisations, courses or outcomes: a scope restricted to
    # those reaches nobody through them.
    if scope.organisations or scope.organisation_categories or scope.reporting_categories:
        return None
    if scope.courses:
        return None
    qs = AggregateCount.objects.all()
    if scope.programmes:
        qs = qs.filter(session__programme__code__in=scope.programmes)
    if scope.event_kinds:
        kinds = set(scope.event_kinds) & set(AggregateKind.values)
        if not kinds:
            return None
        qs = qs.filter(session__kind__in=kinds)
    if scope.places:
        qs = qs.filter(session__place_id__in=_descendants(Place, set(scope.places)))
    if scope.field_offices:
        qs = qs.filter(session__field_office__code__in=scope.field_offices)
    if scope.date_from:
        qs = qs.filter(session__date__gte=scope.date_from)
    if scope.date_to:
        qs = qs.filter(session__date__lte=scope.date_to)
    if scope.sexes:
        qs = qs.filter(sex__in=scope.sexes)
    return qs


def people_reached_breakdown(*, scope: CountScope, by: str) -> Breakdown:
    """Headcounts of aggregate sessions per row of ``by`` (one of :data:`REACHED_DIMENSIONS`).

    Headcounts are not people: the same person at two sessions is counted twice, and a
    table of them never adds to unique counts. Age bands recorded in another scheme are
    mapped to the scope's scheme when they fit inside one of its bands, else "unknown".
    """
    if by not in REACHED_DIMENSIONS:
        raise CountScopeError("by", f"Unknown breakdown: {by}.")
    qs = _reached(scope)
    if qs is None:
        return Breakdown([], by=by, overlapping=False)
    columns = {
        "programme": "session__programme_id",
        "kind": "session__kind",
        "sex": "sex",
        "field_office": "session__field_office_id",
        "place": "session__place_id",
        "year": "_year",
    }
    if by == "year":
        qs = qs.annotate(_year=YearOf("session__date"))
    group = ["session__age_scheme", "age_band"] if (by == "age_band" or scope.age_bands) else []
    if by != "age_band":
        group.append(columns[by])
    totals: dict = {}
    for item in qs.order_by().values(*group).annotate(n=Sum("count")):
        if group[:2] == ["session__age_scheme", "age_band"]:
            band = _band_map(item["session__age_scheme"], scope.age_scheme).get(
                item["age_band"], AGE_UNKNOWN
            )
            if scope.age_bands and band not in scope.age_bands:
                continue
        key = band if by == "age_band" else item[columns[by]]
        totals[key] = totals.get(key, 0) + (item["n"] or 0)
    programmes = _programmes() if by == "programme" else {}
    if by == "kind":
        labels = dict(AggregateKind.choices)
    else:
        labels = _labels(by, list(totals), scope, programmes, {})
    not_recorded = str(_("Not recorded"))
    rows = [
        Row(key=k if k != "" else None, label=str(labels.get(k) or "") or not_recorded, count=n)
        for k, n in totals.items()
    ]
    rows.sort(key=lambda r: _row_order(r, by, scope, list(programmes)))
    return Breakdown(rows, by=by, overlapping=False)


def people_reached(*, scope: CountScope) -> int:
    """Total headcount of aggregate sessions in the scope ("people reached")."""
    qs = _reached(scope)
    if qs is None:
        return 0
    if scope.age_bands:
        return sum(row.count for row in people_reached_breakdown(scope=scope, by="sex"))
    return qs.aggregate(n=Sum("count"))["n"] or 0
