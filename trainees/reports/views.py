from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.core.formats import date_text
from lms.core.services import audit_record
from trainees.matching.records import Thresholds
from trainees.models import AGE_BAND_SCHEMES, EventKind, Programme
from trainees.reports.charts import breakdown_svg, chart_css
from trainees.reports.filters import FIGURE_LABELS, ReportFilterForm, filters_labelled
from trainees.reports.models import PublishedReport
from trainees.reports.render import csv_render, pdf_render, xlsx_render
from trainees.reports.restatement import report_restate
from trainees.reports.selectors import (
    DEFERRED_DIMENSIONS,
    HEADLINE_DEFINITIONS,
    overlap_note,
    report_build,
    report_sheets,
    user_can_read_reports,
)
from trainees.reports.services import report_publish
from trainees.selectors.counting import (
    BREAKDOWN_DIMENSIONS,
    OUTCOME_DEFINITIONS,
    CountScopeError,
    participations_in_row,
    participations_in_scope,
    people_in_row,
    people_in_scope,
    queryset_range,
)

PAGE_SIZE = 50
_INT_KEYS = frozenset({"programme", "organisation", "field_office", "place", "year", "new_year"})
_DRILL_BY = frozenset({*BREAKDOWN_DIMENSIONS, "new_year"})


def _require_reader(request) -> None:
    if not user_can_read_reports(user=request.user):
        raise PermissionDenied(_("Only coordinators and administrators can see the reports."))


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _filters(request, data: QueryDict | None = None):
    """The filter form; a 400 response when its input is wrong."""
    data = request.GET if data is None else data
    form = ReportFilterForm(data, user=request.user)
    if form.is_valid():
        return form, None
    response = render(request, "reports/bad_filters.html", {"form": form}, status=400)
    return form, response


def _drill_url(query: str, by: str, key) -> str:
    params = QueryDict(query, mutable=True)
    if by:
        params["by"] = by
        params["key"] = "" if key is None else str(key)
    return f"{reverse('reports_people')}?{params.urlencode()}"


#: A breakdown with more rows than this is loaded when opened, not sent with the dashboard.
INLINE_ROWS_MAX = 30


def _breakdown_item(table, *, query: str, chart: bool) -> dict:
    people = table.unit == "people"
    rows = [] if table.deferred else table.rows
    top = max((row.count for row in rows), default=0)
    return {
        "table": table,
        "id": f"{table.figure}-{table.by}",
        "svg": breakdown_svg(title=table.title, rows=rows) if chart else "",
        "overlap": overlap_note(table.total) if table.overlapping else "",
        "rows": [(row, _drill_url(query, table.by, row.key) if people else "") for row in rows],
        "top": top,
        "inline": not table.deferred and (chart or len(rows) <= INLINE_ROWS_MAX),
        "url": f"{reverse('reports_breakdown', args=[table.figure, table.by])}?{query}",
        "total_url": _drill_url(query, "", None) if people else "",
    }


@login_required
def breakdown(request, figure: str, by: str):
    """One breakdown, chart and whole table: the fragment the dashboard's script inserts when
    a breakdown is opened, or a page of its own (the link a browser without script follows)."""
    _require_reader(request)
    form, error = _filters(request)
    if error:
        return error
    report = report_build(scope=form.scope(), figure=form.figure_code())
    table = next(
        (
            t
            for t in [*report.tables, report.new_people, *report.reached]
            if t is not None and t.figure == figure and t.by == by
        ),
        None,
    )
    if table is None:
        return render(
            request,
            "reports/bad_filters.html",
            {"message": _("Unknown breakdown: %(by)s.") % {"by": by}},
            status=404,
        )
    context = {"item": _breakdown_item(table, query=form.query_string(), chart=True)}
    context["query"] = form.query_string()
    if request.headers.get("X-Requested-With") == "fetch":
        response = render(request, "reports/_table.html", context)
    else:
        response = render(request, "reports/breakdown.html", context)
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def dashboard(request):
    _require_reader(request)
    form, error = _filters(request)
    if error:
        return error
    # The longest breakdowns are counted when opened (``breakdown``): a smaller first byte.
    report = report_build(
        scope=form.scope(), figure=form.figure_code(), deferred=DEFERRED_DIMENSIONS
    )
    query = form.query_string()
    figure_query = QueryDict(query, mutable=True)
    # Breakdowns are folded: each shows its table (bars included) when opened, and its chart
    # and long tables come from ``breakdown`` on demand, so the page stays small on a phone.
    tables = [
        _breakdown_item(table, query=query, chart=False)
        for table in [*report.tables, report.new_people, *report.reached]
    ]
    headlines = []
    for headline in report.headlines:
        url = ""
        if headline.code in ("trained", "briefed"):
            figure_query["figure"] = headline.code
            url = f"{reverse('reports_people')}?{figure_query.urlencode()}"
        headlines.append((headline, url))
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "report": report,
            "headlines": headlines,
            "people_tables": tables[: len(report.tables) + 1],
            "reached_tables": tables[len(report.tables) + 1 :],
            "query": query,
            "figure_label": FIGURE_LABELS[report.figure],
        },
    )


def _key(by: str, raw: str):
    if raw == "":
        return None
    try:
        if by in _INT_KEYS:
            return int(raw)
        if by == "course":
            return uuid.UUID(raw)
    except ValueError as error:
        raise CountScopeError("key", _("Unknown row: %(key)s.") % {"key": raw}) from error
    return raw


def _row_label(*, scope, figure: str, by: str, key) -> str:
    """The row's label as the dashboard shows it ("Femme", not "F"), from the cached report."""
    deferred = () if by in DEFERRED_DIMENSIONS else DEFERRED_DIMENSIONS
    report = report_build(scope=scope, figure=figure, deferred=deferred)
    for table in [*report.tables, report.new_people]:
        if table is not None and table.by == by and not table.deferred:
            for row in table.rows:
                if row.key == key or (key is not None and str(row.key) == str(key)):
                    return str(row.label)
    return _("Not recorded") if key is None else str(key)


@login_required
def people(request):
    _require_reader(request)
    data = request.GET.copy()
    by, raw_key = data.pop("by", [""])[-1], data.pop("key", [""])[-1]
    form, error = _filters(request, data)
    if error:
        return error
    scope = form.scope()
    if by and by not in _DRILL_BY:
        return render(
            request,
            "reports/bad_filters.html",
            {"message": _("Unknown breakdown: %(by)s.") % {"by": by}},
            status=400,
        )
    try:
        key = _key(by, raw_key)
    except CountScopeError as exc:
        return render(request, "reports/bad_filters.html", {"message": exc.message}, status=400)
    if by:
        found = people_in_row(scope=scope, by=by, key=key)
        qualifying = participations_in_row(scope=scope, by=by, key=key)
    else:
        found = people_in_scope(scope=scope)
        qualifying = participations_in_scope(scope=scope)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    found_range = queryset_range(person_ids=found, standing=page.paginator.count)
    ids = [person.pk for person in page.object_list]
    by_person: dict[int, list] = {pk: [] for pk in ids}
    for part in (
        qualifying.filter(counted_person_id__in=ids)
        .select_related("organisation", "event", "programme", "place")
        .order_by("date", "pk")
    ):
        by_person[part.counted_person_id].append(part)
    rows = [(person, by_person[person.pk]) for person in page.object_list]
    audit_record(
        user=request.user,
        action="report.drilldown",
        target=None,
        detail={
            "filters": form.filters(),
            "by": by,
            "key": raw_key,
            "count": page.paginator.count,
            "page": page.number,
            "shown": [str(person.public_id) for person in page.object_list],
        },
        ip_address=_ip(request),
    )
    row_label = ""
    if by:
        row_label = _("%(dimension)s: %(row)s") % {
            "dimension": BREAKDOWN_DIMENSIONS.get(by) or _("New people per year"),
            "row": _row_label(scope=scope, figure=form.figure_code(), by=by, key=key),
        }
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reports/people.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "figure_label": FIGURE_LABELS[form.figure_code()],
            "row_label": row_label,
            "count_range": found_range,
            "filters": form.filters_display(),
            "page_query": params.urlencode(),
            "dashboard_query": form.query_string(),
        },
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@login_required
def export(request, fmt: str):
    _require_reader(request)
    form, error = _filters(request)
    if error:
        return error
    report = report_build(scope=form.scope(), figure=form.figure_code())
    filters = form.filters_display()
    title = _("Training report")
    if fmt == "pdf":
        body = pdf_render(title=title, report=report, filters=filters)
    elif fmt == "xlsx":
        body = xlsx_render(report_sheets(report=report, filters=filters))
    else:
        body = csv_render(report_sheets(report=report, filters=filters)).encode("utf-8-sig")
    audit_record(
        user=request.user,
        action="report.export",
        target=None,
        detail={"format": fmt, "filters": form.filters()},
        ip_address=_ip(request),
    )
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="report-{stamp}.{fmt}"'
    return response


@login_required
@require_POST
def publish(request):
    _require_reader(request)
    data = request.POST.copy()
    for name in ("csrfmiddlewaretoken", "title"):
        data.pop(name, None)
    form, error = _filters(request, data)
    if error:
        return error
    title = request.POST.get("title", "").strip()[:200]
    if not title:
        title = _("Report of %(date)s") % {"date": date_text(timezone.localdate())}
    published = report_publish(
        title=title, scope=form.scope(), user=request.user, filters=form.filters()
    )
    return redirect("reports_published_detail", pk=published.pk)


@login_required
def published_index(request):
    _require_reader(request)
    reports = PublishedReport.objects.select_related("published_by").only(
        "pk", "title", "date_from", "date_to", "published_at", "published_by__username", "figures"
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/published_index.html", {"page": page})


@login_required
def published_detail(request, pk: int):
    _require_reader(request)
    report = get_object_or_404(PublishedReport.objects.select_related("published_by"), pk=pk)
    # Readers of reports may see the people behind the numbers (``user_can_read_reports``);
    # a role that may not gets the same counts and reasons without names.
    restatement = report_restate(report=report, names=user_can_read_reports(user=request.user))
    audit_record(
        user=request.user,
        action="report.restatement",
        target=report,
        detail={"removed": restatement.removed, "added": restatement.added},
        ip_address=_ip(request),
    )
    filters = filters_labelled(report.scope.get("filters", {}))
    return render(
        request,
        "reports/published_detail.html",
        {"report": report, "restatement": restatement, "filters": filters},
    )


def methodology_context() -> dict:
    """What the methodology page and docs/methodology.md show: the code's own definitions."""
    return {
        "outcomes": [(code, str(text)) for code, text in OUTCOME_DEFINITIONS.items()],
        "headlines": [
            (code, str(label), str(text)) for code, (label, text) in HEADLINE_DEFINITIONS.items()
        ],
        "programmes": [
            (p.code, p.name, ", ".join(p.qualifying_outcomes or []))
            for p in Programme.objects.all()
        ],
        "schemes": [
            (code, [band.label for band in bands]) for code, bands in AGE_BAND_SCHEMES.items()
        ],
        "thresholds": Thresholds(),
        "briefing_kind": EventKind.BRIEFING.label,
    }


def methodology(request):
    return render(request, "reports/methodology.html", methodology_context())


def chart_stylesheet(request):
    response = HttpResponse(chart_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
