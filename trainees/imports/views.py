from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.core.formats import date_text
from lms.core.services import audit_record
from trainees.review.reasons import reason_text

from .csvout import csv_response
from .forms import ColumnMappingForm, RosterUploadForm
from .heartbeat import stale_after
from .models import ImportStatus, RowAction
from .problems import Problem
from .selectors import (
    STALL_TASK_ENDED,
    importable_events,
    roster_import_confirm_stall,
    user_can_import,
    visible_imports,
)
from .services import (
    RosterImportError,
    roster_import_confirm_request,
    roster_import_create,
    roster_import_map,
)

PAGE_SIZE = 200
#: The columns can be said (again) until the import is being written.
_MAPPABLE = (ImportStatus.MAPPING, ImportStatus.READY, ImportStatus.INVALID)


def _require_importer(request):
    if not user_can_import(user=request.user):
        raise PermissionDenied(_("Only trainers and coordinators can import rosters."))


def _get_import(request, public_id):
    _require_importer(request)
    return get_object_or_404(visible_imports(user=request.user), public_id=public_id)


@login_required
def import_index(request):
    _require_importer(request)
    events = importable_events(user=request.user)
    form = RosterUploadForm(
        request.POST or None, request.FILES or None, events=events, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        roster_import = roster_import_create(
            event=form.cleaned_data["event"],
            new_event=form.cleaned_data["new_event"],
            file_name=upload.name,
            data=upload.read(),
            user=request.user,
            default_outcome=form.cleaned_data["default_outcome"],
        )
        event = roster_import.event
        audit_record(
            user=request.user,
            action="roster_import.upload",
            target=roster_import,
            detail={"event": str(event.public_id)}
            if event is not None
            else {"new_event": roster_import.new_event},
        )
        return redirect("roster_import_detail", public_id=roster_import.public_id)
    imports = visible_imports(user=request.user)[:50]
    return render(request, "trainees/imports/index.html", {"form": form, "imports": imports})


def _stall_message(stall: str | None) -> str:
    if stall is None:
        return ""
    if stall == STALL_TASK_ENDED:
        why = _("its background task ended without finishing it.")
    else:
        minutes = max(1, round(stale_after() / 60))
        why = _(
            "the background worker has not been heard from for more than %(minutes)s "
            "minutes (it was stopped or restarted)."
        ) % {"minutes": minutes}
    return _(
        "The import stopped before it was written: %(why)s Nothing was written. Confirm it "
        "again; if it stops again, tell an administrator."
    ) % {"why": why}


def _describe(row) -> str:
    if row.action == RowAction.ERROR:
        return _("Left out: the row gives no name")
    if row.action == RowAction.SAME:
        return _("Same person as row %(row)s") % {"row": row.same_as_row}
    person = row.person or row.candidate
    if row.action == RowAction.LINK and person is not None:
        return _("Linked to %(name)s (%(id)s)") % {"name": person, "id": person.public_id}
    if row.action == RowAction.REVIEW and person is not None:
        return _("Needs review: may be %(name)s (%(id)s); recorded as a new person meanwhile") % {
            "name": row.candidate,
            "id": row.candidate.public_id,
        }
    if row.action == RowAction.REVIEW:
        return _("Needs review")
    return _("New person")


@login_required
def import_detail(request, public_id):
    roster_import = _get_import(request, public_id)
    problems = [Problem.from_dict(p) for p in roster_import.problems]
    file_problems = [p for p in problems if p.row is None]
    by_row: dict[int, list[Problem]] = {}
    for p in problems:
        if p.row is not None:
            by_row.setdefault(p.row, []).append(p)
    row_errors = [p for p in problems if p.row is not None and p.is_error]
    row_warnings = [p for p in problems if p.row is not None and not p.is_error]
    stall = roster_import_confirm_stall(roster_import=roster_import)
    context = {
        "roster_import": roster_import,
        "stalled": _stall_message(stall),
        "file_problems": [p for p in file_problems if p.is_error],
        "file_warnings": [p for p in file_problems if not p.is_error],
        "row_problems": row_errors[:500],
        "row_problem_count": len(row_errors),
        "row_warnings": row_warnings[:500],
        "row_warning_count": len(row_warnings),
        "statuses": ImportStatus,
    }
    if roster_import.status in _MAPPABLE:
        context["mapping_form"] = ColumnMappingForm(
            headers=roster_import.headers, mapping=roster_import.mapping
        )
    if roster_import.status in (
        ImportStatus.READY,
        ImportStatus.INVALID,
        ImportStatus.CONFIRMED,
        ImportStatus.UNCHANGED,
    ):
        rows = roster_import.rows.select_related("candidate", "person").order_by("row_number")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        for row in page:
            row.description = _describe(row)
            # The model's weights are a table on the review screen, not a sentence here.
            row.reason_texts = [
                reason_text(r) for r in row.reasons if r.get("code") != "model_weights"
            ]
            values = row.values or {}
            row.born = (
                date_text(values.get("birth_date"), short=True) or values.get("birth_year") or ""
            )
            row.problem_texts = [p.message for p in by_row.get(row.row_number, [])]
        context["page"] = page
        audit_record(
            user=request.user,
            action="roster_import.view",
            target=roster_import,
            detail={"page": page.number},
        )
    return render(request, "trainees/imports/detail.html", context)


@login_required
def import_status(request, public_id):
    roster_import = _get_import(request, public_id)
    stalled = roster_import_confirm_stall(roster_import=roster_import) is not None
    return JsonResponse(
        {
            "status": roster_import.status,
            "label": _("Stopped: nothing was written")
            if stalled
            else roster_import.get_status_display(),
            "done": roster_import.progress_done,
            "total": roster_import.progress_total,
            "percent": roster_import.progress_percent,
            "finished": not roster_import.is_busy or stalled,
            "stalled": stalled,
        }
    )


@login_required
@require_POST
def import_mapping(request, public_id):
    roster_import = _get_import(request, public_id)
    if roster_import.status not in _MAPPABLE:
        return redirect("roster_import_detail", public_id=public_id)
    form = ColumnMappingForm(
        request.POST, headers=roster_import.headers, mapping=roster_import.mapping
    )
    if form.is_valid():
        roster_import_map(roster_import=roster_import, mapping=form.mapping(), user=request.user)
        return redirect("roster_import_detail", public_id=public_id)
    return render(
        request,
        "trainees/imports/detail.html",
        {
            "roster_import": roster_import,
            "mapping_form": form,
            "statuses": ImportStatus,
            "file_problems": [],
        },
        status=400,
    )


@login_required
@require_POST
def import_confirm(request, public_id):
    roster_import = _get_import(request, public_id)
    try:
        roster_import = roster_import_confirm_request(
            roster_import=roster_import, user=request.user
        )
    except RosterImportError as exc:
        if str(exc) == ImportStatus.CONFIRMING:
            messages.info(request, _("This import is already being written: follow it here."))
        else:
            messages.error(request, _("This import cannot be confirmed in its present state."))
        return redirect("roster_import_detail", public_id=public_id)
    audit_record(
        user=request.user,
        action="roster_import.confirm",
        target=roster_import,
        detail={"rows": roster_import.summary.get("rows")},
    )
    return redirect("roster_import_detail", public_id=public_id)


@login_required
def import_errors_csv(request, public_id):
    roster_import = _get_import(request, public_id)
    problems = [Problem.from_dict(p) for p in roster_import.problems]
    audit_record(user=request.user, action="roster_import.errors_export", target=roster_import)
    return csv_response(
        f"errors-{roster_import.public_id}.csv",
        [_("Row"), _("Column"), _("Problem")],
        ([p.row or "", p.column or "", p.message] for p in problems),
    )


@login_required
def import_report_csv(request, public_id):
    roster_import = _get_import(request, public_id)
    rows = roster_import.rows.select_related("person", "candidate").order_by("row_number")
    audit_record(user=request.user, action="roster_import.report_export", target=roster_import)

    def lines():
        for row in rows:
            v = row.values
            name = v.get("full_name") or " ".join(
                x for x in (v.get("given_names"), v.get("family_name")) if x
            )
            yield [
                row.row_number,
                name,
                row.get_action_display(),
                row.person.public_id if row.person else "",
                row.same_as_row or "",
                row.score if row.score is not None else "",
                " ".join(reason_text(r) for r in row.reasons),
            ]

    return csv_response(
        f"import-{roster_import.public_id}.csv",
        [
            _("Row"),
            _("Name"),
            _("What happened"),
            _("Person id"),
            _("Same as row"),
            _("Score"),
            _("Reasons"),
        ],
        lines(),
    )
