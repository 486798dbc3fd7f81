"""Aggregate activities: headcounts by sex and age band, without names.

They are reported as "people reached", beside and never inside the unique-people counts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import FieldOffice
from lms.core.formats import date_text

from .choices import AggregateKind, Sex
from .organisations import Place, Programme


class AggregateSession(models.Model):
    """A risk-education session, briefing or broadcast counted by headcount.

    ``age_scheme`` names the band scheme the sheet used (see ``AGE_BAND_SCHEMES``); the
    counts' ``age_band`` codes belong to it.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="aggregate_sessions",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AggregateKind.choices)
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aggregate_sessions",
        verbose_name=_("place"),
    )
    field_office = models.ForeignKey(
        FieldOffice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aggregate_sessions",
        verbose_name=_("field office"),
    )
    date = models.DateField(_("date"))
    age_scheme = models.CharField(_("age bands"), max_length=20, default="fine")
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("aggregate session")
        verbose_name_plural = _("aggregate sessions")
        indexes = [models.Index(fields=["date"], name="aggregate_session_date")]

    def __str__(self) -> str:
        return f"{self.title} ({date_text(self.date, short=True)})"


class AggregateCount(models.Model):
    """How many people of one sex and age band a session reached."""

    session = models.ForeignKey(
        AggregateSession, on_delete=models.CASCADE, related_name="counts", verbose_name=_("session")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=20)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["session", "sex", "age_band"]
        verbose_name = _("aggregate count")
        verbose_name_plural = _("aggregate counts")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sex", "age_band"], name="aggregate_count_once"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="aggregate_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sex or '-'} {self.age_band}: {self.count}"
