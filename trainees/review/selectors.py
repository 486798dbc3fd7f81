"""Reads for the review queue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from lms.accounts.roles import Role
from lms.accounts.selectors import user_has_role
from trainees.models import Participation

from .models import Merge, PairStatus, ReviewPair

REVIEW_ROLES = {Role.COORDINATOR, Role.ADMINISTRATOR}


def user_can_review(*, user) -> bool:
    return user_has_role(user=user, roles=REVIEW_ROLES)


def review_queue() -> QuerySet[ReviewPair]:
    """Open pairs between two surviving people, best score first, with the evidence loaded
    in a fixed number of queries whatever the page size."""
    participations = Participation.objects.select_related("event", "organisation").order_by("-date")
    return (
        ReviewPair.objects.filter(
            status=PairStatus.OPEN,
            person_a__merged_into__isnull=True,
            person_b__merged_into__isnull=True,
        )
        .select_related("person_a", "person_b")
        .prefetch_related(
            "person_a__identifiers",
            "person_b__identifiers",
            Prefetch("person_a__participations", queryset=participations),
            Prefetch("person_b__participations", queryset=participations),
        )
        .order_by("-score", "pk")
    )


def review_queue_expected() -> dict:
    """How many pairs wait and how many of them the model expects to be the same person:
    the sum of their match probabilities (``score`` is the model's probability)."""
    from django.db.models import Count, Sum

    totals = ReviewPair.objects.filter(
        status=PairStatus.OPEN,
        person_a__merged_into__isnull=True,
        person_b__merged_into__isnull=True,
    ).aggregate(n=Count("pk"), expected=Sum("score"))
    return {"pairs": totals["n"], "expected": round(totals["expected"] or 0.0, 1)}


def merge_batches_recent():
    from trainees.models import MergeBatch

    return MergeBatch.objects.select_related("created_by", "undone_by")


def linkage_status() -> dict:
    """The current linkage model and the last training run, for the review screen."""
    from trainees.models import LinkageModelVersion, LinkageTrainingRun

    return {
        "model": LinkageModelVersion.objects.filter(is_current=True).first(),
        "run": LinkageTrainingRun.objects.first(),
    }


def merges_recent() -> QuerySet[Merge]:
    return Merge.objects.select_related("survivor", "merged", "merged_by", "undone_by")


def people_live_count() -> int:
    """People counted once: surviving (not merged) people in the registry."""
    from trainees.models import Person

    return Person.objects.filter(merged_into__isnull=True).count()
