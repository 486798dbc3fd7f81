"""The read-only report API (django-ninja): figures and breakdowns, no personal data.

Other information systems authenticate with a token made by an administrator in the Wagtail
admin (``Authorization: Bearer <token>``). Filters are the dashboard's (same names, same
checks, through :class:`ReportFilterForm`); a wrong one is a 400 naming it. Every call is
logged. The OpenAPI schema is served at ``openapi.json``; the interactive docs page is off
because it would load scripts from another site.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from lms.core.services import audit_record
from trainees.reports.filters import ReportFilterForm
from trainees.reports.selectors import (
    DASHBOARD_DIMENSIONS,
    range_json,
    report_headlines,
    row_range,
)
from trainees.reports.services import api_token_check
from trainees.selectors.counting import (
    REACHED_DIMENSIONS,
    people_breakdown,
    people_count,
    people_new_breakdown,
    people_ranges,
    people_reached_breakdown,
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return api_token_check(token=token)


api = NinjaAPI(
    title="LMS report API",
    version="2.0.0",
    description=(
        "Figures and breakdowns of the coordinator reports (unique people trained, "
        "participations, certificates, people briefed, people reached). Read-only; "
        "no personal data. Authenticate with `Authorization: Bearer <token>`."
    ),
    auth=TokenAuth(),
    urls_namespace="reports_api",
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request,
        {
            "detail": _(
                "Authentication required: send a report API token as "
                "'Authorization: Bearer <token>'. Administrators make tokens in the admin."
            )
        },
        status=401,
    )


class FilterParams(Schema):
    """The dashboard's filters. Codes as in the registry; dates as YYYY-MM-DD. The list
    filters take several values as a repeated parameter (``field_office=gao&field_office=tbk``):
    people in any of them, each counted once."""

    date_from: str | None = None
    date_to: str | None = None
    programme: list[str] | None = None
    course: list[str] | None = None
    kind: list[str] | None = None
    organisation_category: list[str] | None = None
    organisation: list[str] | None = None
    field_office: list[str] | None = None
    place: list[str] | None = None
    age_scheme: str | None = None
    figure: str | None = None


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class FigureOut(Schema):
    code: str
    label: str
    value: int
    cumulative: int | None
    definition: str
    #: Figures of people while pairs await review: the lowest the figure could fall to (all
    #: those pairs merged), the model's expected count, and how many pairs wait among its
    #: people. Equal to ``value`` (and 0) when none waits; absent for headcounts and rows.
    lowest: int | None = None
    expected: float | None = None
    pairs_pending: int | None = None


class FiguresOut(Schema):
    filters: dict[str, str | list[str]]
    figures: list[FigureOut]


class RowOut(Schema):
    key: str | None
    label: str
    count: int
    lowest: int | None = None
    expected: float | None = None
    pairs_pending: int | None = None


class BreakdownOut(Schema):
    filters: dict[str, str | list[str]]
    by: str
    figure: str
    unit: str
    total: int
    overlapping: bool
    rows: list[RowOut]
    lowest: int | None = None
    expected: float | None = None
    pairs_pending: int | None = None


def _form(request) -> ReportFilterForm | None:
    form = ReportFilterForm(request.GET)
    return form if form.is_valid() else None


def _bad_filters(request):
    form = ReportFilterForm(request.GET)
    form.is_valid()
    errors = {
        ("filters" if name == "__all__" else name): [str(e) for e in errs]
        for name, errs in form.errors.items()
    }
    names = ", ".join(sorted(errors))
    detail = _("Invalid filter: %(names)s.") % {"names": names}
    return 400, {"detail": detail, "errors": errors}


def _log(request, action: str, filters: dict, **detail) -> None:
    audit_record(
        user=None,
        action=action,
        target=request.auth,
        detail={"path": request.path, "filters": filters, **detail},
        ip_address=request.META.get("REMOTE_ADDR"),
    )


@api.get("/figures", response={200: FiguresOut, 400: Error}, summary="Headline figures")
def figures(request, params: Query[FilterParams]):
    form = _form(request)
    if form is None:
        return _bad_filters(request)
    _log(request, "report.api.figures", form.filters())
    return {
        "filters": form.filters(),
        "figures": [
            {
                "code": h.code,
                "label": h.label,
                "value": h.value,
                "cumulative": h.cumulative,
                "definition": h.definition,
                **range_json(h.range),
            }
            for h in report_headlines(scope=form.scope())
        ],
    }


def _rows(rows, *, ranged: bool = False) -> list[dict]:
    return [
        {
            "key": None if r.key is None else str(r.key),
            "label": r.label,
            "count": r.count,
            **(range_json(row_range(r)) if ranged else {}),
        }
        for r in rows
    ]


@api.get(
    "/breakdowns/{by}",
    response={200: BreakdownOut, 400: Error},
    summary="People per row of a breakdown",
    description="`by`: " + ", ".join([*DASHBOARD_DIMENSIONS, "new_year"]) + ". Each person "
    "counts once per row; when `overlapping` is true the rows can add up to more than `total`.",
)
def breakdown(request, by: str, params: Query[FilterParams]):
    form = _form(request)
    if form is None:
        return _bad_filters(request)
    if by not in (*DASHBOARD_DIMENSIONS, "new_year"):
        return 400, {"detail": _("Unknown breakdown: %(by)s.") % {"by": by}}
    scope = form.scope()
    total_range = None
    if by == "new_year":
        rows = people_new_breakdown(scope=scope, period="year")
        total = sum(r.count for r in rows)
    else:
        rows, total = people_breakdown(scope=scope, by=by), people_count(scope=scope)
        total_range, ranged = people_ranges(scope=scope, standing=total, breakdowns={by: rows})
        rows = ranged[by]
    _log(request, "report.api.breakdown", form.filters(), by=by)
    return {
        **range_json(total_range),
        "filters": form.filters(),
        "by": by,
        "figure": form.figure_code(),
        "unit": "people",
        "total": total,
        "overlapping": rows.overlapping and sum(r.count for r in rows) > total,
        "rows": _rows(rows, ranged=total_range is not None),
    }


@api.get(
    "/reached/{by}",
    response={200: BreakdownOut, 400: Error},
    summary="People reached by aggregate sessions (headcounts) per row",
    description="`by`: " + ", ".join(REACHED_DIMENSIONS) + ". Headcounts, not unique people.",
)
def reached(request, by: str, params: Query[FilterParams]):
    form = _form(request)
    if form is None:
        return _bad_filters(request)
    if by not in REACHED_DIMENSIONS:
        return 400, {"detail": _("Unknown breakdown: %(by)s.") % {"by": by}}
    rows = people_reached_breakdown(scope=form.scope(), by=by)
    _log(request, "report.api.reached", form.filters(), by=by)
    return {
        "filters": form.filters(),
        "by": by,
        "figure": "reached",
        "unit": "headcount",
        "total": sum(r.count for r in rows),
        "overlapping": False,
        "rows": _rows(rows),
    }
