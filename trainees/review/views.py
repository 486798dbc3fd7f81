from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lms.core.services import audit_record

from .models import Merge, PairStatus, ReviewPair
from .reasons import evidence_rows, reason_text
from .selectors import (
    linkage_status,
    merge_batches_recent,
    merges_recent,
    people_live_count,
    review_queue,
    review_queue_expected,
    user_can_review,
)
from .services import (
    MergeError,
    merge_batch_undo,
    person_unmerge,
    review_pair_decide,
    review_pairs_accept_above,
    review_pairs_decide,
)

PAGE_SIZE = 20
MERGE_ERRORS = {
    "same_person": gettext_lazy("These are the same record."),
    "already_merged": gettext_lazy("One of these people was already merged into someone else."),
    "already_undone": gettext_lazy("This merge was already undone."),
    "later_merge": gettext_lazy("Undo the later merge of the surviving person first."),
    "decided": gettext_lazy("This pair was already decided."),
    "decision": gettext_lazy("Choose “same person” or “different people”."),
}


def _require_reviewer(request):
    if not user_can_review(user=request.user):
        raise PermissionDenied(_("Only coordinators can review and merge people."))


@login_required
def review_index(request):
    _require_reviewer(request)
    page = Paginator(review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        pair.reason_texts = [
            reason_text(r) for r in pair.reasons if r.get("code") != "model_weights"
        ]
        pair.evidence = evidence_rows(pair.reasons)
    audit_record(
        user=request.user,
        action="review.view",
        target=None,
        detail={"pairs": [pair.pk for pair in page]},
    )
    return render(
        request,
        "trainees/review/index.html",
        {
            "page": page,
            "people_count": people_live_count(),
            "queue": review_queue_expected(),
            "linkage": linkage_status(),
        },
    )


def _probability(value: str) -> float | None:
    try:
        p = float(value.replace(",", "."))
    except (AttributeError, ValueError):
        return None
    return p if 0.0 <= p <= 1.0 else None


@login_required
@require_POST
def review_accept_above(request):
    _require_reviewer(request)
    threshold = _probability(request.POST.get("threshold", ""))
    if threshold is None:
        messages.error(request, _("Give a probability between 0 and 1, for example 0.9."))
        return redirect("review_index")
    before = people_live_count()
    _batch, result = review_pairs_accept_above(
        threshold=threshold, user=request.user, reason=request.POST.get("reason", "")[:2000]
    )
    messages.success(
        request,
        ngettext(
            "%(done)s pair merged as one batch.",
            "%(done)s pairs merged as one batch.",
            result["done"],
        )
        % result
        + " "
        + _("People in the registry: %(after)s (before: %(before)s).")
        % {"after": people_live_count(), "before": before},
    )
    return redirect("review_merges")


@login_required
@require_POST
def merge_batch_undo_view(request, pk):
    from trainees.models import MergeBatch

    _require_reviewer(request)
    batch = get_object_or_404(MergeBatch, pk=pk)
    before = people_live_count()
    try:
        merge_batch_undo(
            batch=batch, user=request.user, reason=request.POST.get("reason", "")[:2000]
        )
    except MergeError as exc:
        messages.error(request, MERGE_ERRORS.get(exc.code, exc.code))
    else:
        messages.success(
            request,
            _("Batch undone. People in the registry: %(after)s (before: %(before)s).")
            % {"after": people_live_count(), "before": before},
        )
    return redirect("review_merges")


@login_required
@require_POST
def linkage_train_start(request):
    _require_reviewer(request)
    from .tasks import linkage_train_task

    linkage_train_task.enqueue(user_id=request.user.pk)
    messages.success(
        request,
        _(
            "The model is learning from the registry again. Imports keep the current model "
            "until it ends."
        ),
    )
    return redirect("review_index")


@login_required
@require_POST
def review_decide(request):
    _require_reviewer(request)
    reason = request.POST.get("reason", "").strip()[:2000]
    before = people_live_count()
    single = request.POST.get("single", "")
    if single:
        pk, _sep, decision = single.partition(":")
        pair = get_object_or_404(ReviewPair, pk=pk)
        try:
            review_pair_decide(pair=pair, decision=decision, user=request.user, reason=reason)
        except MergeError as exc:
            messages.error(request, MERGE_ERRORS.get(exc.code, exc.code))
            return redirect("review_index")
        result = {"done": 1, "skipped": 0}
    else:
        decision = request.POST.get("decision", "")
        if decision not in (PairStatus.SAME, PairStatus.DIFFERENT):
            messages.error(request, MERGE_ERRORS["decision"])
            return redirect("review_index")
        ids = [int(x) for x in request.POST.getlist("pairs") if x.isdigit()]
        if not ids:
            messages.error(request, _("Select at least one pair."))
            return redirect("review_index")
        pairs = ReviewPair.objects.filter(pk__in=ids).order_by("-score", "pk")
        result = review_pairs_decide(
            pairs=list(pairs), decision=decision, user=request.user, reason=reason
        )
    after = people_live_count()
    messages.success(
        request,
        ngettext("%(done)s pair decided.", "%(done)s pairs decided.", result["done"]) % result
        + " "
        + _("People in the registry: %(after)s (before: %(before)s).")
        % {"after": after, "before": before},
    )
    if result["skipped"]:
        messages.info(
            request,
            ngettext(
                "%(skipped)s pair skipped: already decided or merged.",
                "%(skipped)s pairs skipped: already decided or merged.",
                result["skipped"],
            )
            % result,
        )
    return redirect("review_index")


@login_required
def merge_index(request):
    _require_reviewer(request)
    merges = merges_recent()[:100]
    audit_record(user=request.user, action="review.merges_view", target=None)
    return render(
        request,
        "trainees/review/merges.html",
        {"merges": merges, "batches": merge_batches_recent()[:20]},
    )


@login_required
@require_POST
def merge_undo(request, pk):
    _require_reviewer(request)
    merge = get_object_or_404(Merge, pk=pk)
    before = people_live_count()
    try:
        person_unmerge(merge=merge, user=request.user, reason=request.POST.get("reason", "")[:2000])
    except MergeError as exc:
        messages.error(request, MERGE_ERRORS.get(exc.code, exc.code))
    else:
        messages.success(
            request,
            _("Merge undone. People in the registry: %(after)s (before: %(before)s).")
            % {"after": people_live_count(), "before": before},
        )
    return redirect("review_merges")


@login_required
@require_POST
def scan_start(request):
    _require_reviewer(request)
    from .tasks import duplicate_scan_task

    duplicate_scan_task.enqueue(user_id=request.user.pk)
    messages.success(
        request,
        _("The duplicate scan has started. New candidate pairs appear in this queue when it ends."),
    )
    return redirect("review_index")
