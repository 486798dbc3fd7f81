"""Versions of the linkage model, its training runs, and batches of merges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LinkageModelVersion(models.Model):
    """One trained set of linkage parameters (m, u per comparison level, the prior).

    Exactly one version is current (a partial unique constraint); training writes a new
    version and switches ``is_current`` in one transaction, so an interrupted run or an
    import during training always sees a whole model, the previous one or the new one.
    """

    version = models.CharField(_("version"), max_length=40, unique=True)
    parameters = models.JSONField(_("parameters"))
    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    people = models.PositiveIntegerField(_("people"), default=0)
    records = models.PositiveIntegerField(_("records"), default=0)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["-trained_at", "-pk"]
        verbose_name = _("linkage model")
        verbose_name_plural = _("linkage models")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="linkage_model_one_current",
            )
        ]

    def __str__(self) -> str:
        return self.version


class LinkageTrainingRun(models.Model):
    """One attempt to train the model: what happened, in words for the review screen."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        TRAINED = "trained", _("Trained")
        KEPT = "kept", _("Previous model kept")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    model_version = models.ForeignKey(
        LinkageModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("linkage training run")
        verbose_name_plural = _("linkage training runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class MergeBatch(models.Model):
    """Merges done as one step ("accept every pair above p", a duplicate scan's links), so
    they are audited and undone together."""

    class Kind(models.TextChoices):
        ACCEPT_ABOVE = "accept_above", _("Pairs accepted above a probability")
        SCAN = "scan", _("Duplicate scan")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    threshold = models.FloatField(_("probability threshold"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    reason = models.TextField(_("why"), blank=True)
    merges_count = models.PositiveIntegerField(_("merges"), default=0)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("merge batch")
        verbose_name_plural = _("merge batches")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.merges_count})"
