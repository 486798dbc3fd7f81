"""What the matching engine decided about a record, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Person


class MatchDecision(models.Model):
    """One matching decision: a roster row, an account or a person against the registry.

    ``person`` is the person the subject was resolved to (linked, or created); ``candidate``
    the best registry match the engine found (the person linked to, or the one to review
    against). ``reasons`` are the engine's reason dicts ``{"code", "text", "params"}``.
    ``decided_by`` is empty when the engine decided alone.
    """

    class SubjectKind(models.TextChoices):
        ROSTER_ROW = "roster_row", _("Roster row")
        USER = "user", _("Account")
        PERSON = "person", _("Person")

    class DecisionOutcome(models.TextChoices):
        LINK = "link", _("Linked")
        REVIEW = "review", _("Needs review")
        NEW = "new", _("New person")

    subject_kind = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    subject_ref = models.CharField(
        _("subject reference"), max_length=200, blank=True, help_text="import id and row number"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="match_decisions",
        verbose_name=_("person"),
    )
    candidate = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candidate_decisions",
        verbose_name=_("candidate"),
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=DecisionOutcome.choices)
    score = models.FloatField(_("score"), default=0.0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    model_version = models.ForeignKey(
        "trainees.LinkageModelVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linkage model"),
        help_text="Empty: the documented priors of an untrained registry.",
    )
    model_label = models.CharField(_("model"), max_length=40, blank=True)
    weights = models.JSONField(
        _("weights"), default=dict, blank=True, help_text="log2 Bayes factor of each comparison"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        indexes = [models.Index(fields=["outcome", "created_at"], name="match_decision_outcome")]

    def __str__(self) -> str:
        return f"{self.subject_kind} {self.get_outcome_display()} ({self.score:.2f})"
