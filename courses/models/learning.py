"""A trainee's path through a course: enrolment, module progress, attempts, sign-off, certificate.

Courses and modules are referred to by their ``translation_key`` (shared by the French and
English pages), so progress made in one language counts in the other.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(_("registration"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("trainee"),
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_module_key = models.UUIDField(_("last module"), null=True, blank=True)
    assessment_passed_at = models.DateTimeField(_("assessment passed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # One open enrolment per trainee and course; a refresher is a new one after completion.
            models.UniqueConstraint(
                fields=["user", "course_key"],
                condition=models.Q(status="active"),
                name="enrolment_one_active_per_course",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_at__isnull=False),
                name="enrolment_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_key}"


class ModuleProgress(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="module_progress"
    )
    module_key = models.UUIDField(_("module"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Knowledge-check answers by block id, the latest try: {"<block id>": [choice indexes]}.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Tries per knowledge check: {"<block id>": n}; a wrong answer may be tried again.
    check_attempts = models.JSONField(_("knowledge-check tries"), default=dict, blank=True)

    class Meta:
        verbose_name = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module_key"], name="module_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.module_key}"


class AssessmentAttempt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    question_ids = models.JSONField(_("questions drawn"), default=list)
    # {question block id: [stored choice index shown first, second, ...]}: drawn at the
    # start, so that a resumed attempt shows the same order and the page never shows the
    # stored order (authors tend to write the right answer first).
    choice_orders = models.JSONField(_("order of the choices shown"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    responses = models.JSONField(_("responses"), default=dict, blank=True)
    score_raw = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    score_scaled = models.DecimalField(
        _("score"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("assessment attempt")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="attempt_number_once"),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True) | models.Q(passed__isnull=False),
                name="attempt_submitted_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.number}"


class PracticalSignoff(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="signoff")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_at = models.DateTimeField(_("signed off"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("practical sign-off")

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.signed_at:%Y-%m-%d}"


class Certificate(models.Model):
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # An enrolment earns one certificate; a refresher is a new enrolment.
            models.UniqueConstraint(fields=["enrolment"], name="certificate_once_per_enrolment"),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code
