"""Candidate pairs, decisions on them, and merges with what is needed to undo them exactly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different people")


class PairSource(models.TextChoices):
    IMPORT = "import", _("Roster import")
    SCAN = "scan", _("Duplicate scan")


class ReviewPair(models.Model):
    """Two people who may be one. ``person_a`` has the smaller id, so a pair exists once and a
    "different people" decision is found again whichever way the pair comes up."""

    person_a = models.ForeignKey("trainees.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("trainees.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=PairSource.choices)
    roster_import = models.ForeignKey(
        "trainees.RosterImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    model_version = models.ForeignKey(
        "trainees.LinkageModelVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linkage model"),
    )

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="review_pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="review_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="review_pair_queue")]

    def __str__(self) -> str:
        return f"{self.person_a_id} / {self.person_b_id} ({self.get_status_display()})"


class Merge(models.Model):
    """``merged`` was folded into ``survivor``. ``snapshot`` records every row the merge
    changed, with its values before, so :func:`person_unmerge` restores them exactly."""

    survivor = models.ForeignKey("trainees.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("trainees.Person", on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(
        ReviewPair, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    reason = models.TextField(_("why"), blank=True)
    batch = models.ForeignKey(
        "trainees.MergeBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges",
    )
    snapshot = models.JSONField(default=dict)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.TextField(_("why undone"), blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="merge_live_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"


class MergedProvenance(models.Model):
    """Where a participation was also recorded: when both people of a merge attended the same
    event, one participation is kept and the other's provenance (file, row, statement) is
    kept here, so nothing recorded is lost."""

    participation = models.ForeignKey(
        "trainees.Participation", on_delete=models.CASCADE, related_name="merged_provenance"
    )
    merge = models.ForeignKey(Merge, on_delete=models.CASCADE, related_name="provenance")
    import_public_id = models.UUIDField(null=True, blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    statement_id = models.UUIDField(null=True, blank=True)
    outcome = models.CharField(max_length=16)
    date = models.DateField()

    def __str__(self) -> str:
        return f"{self.participation_id} ({self.source_file}:{self.source_row})"
