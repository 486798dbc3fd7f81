"""Published reports (frozen figures) and API tokens of the report API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PublishedReport(models.Model):
    """A report as it was published: its scope and figures are frozen.

    ``person_ids`` are the people behind the headline figure (surviving person ids at
    publication) and ``participation_ids`` the participations that qualified them, so the
    restatement page can say which merges and corrections changed the number since.
    ``row_people`` holds the people behind every other frozen figure of people (the
    "briefed" headline, every breakdown row, new people per year; see
    ``restatement.report_row_people``); reports published before it existed hold ``{}`` and
    their restatement explains the headline only. ``scope["filters"]`` are the filters as
    chosen: a list of values per multi-value filter.
    """

    title = models.CharField(_("title"), max_length=200)
    scope = models.JSONField(_("scope"), default=dict)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    person_ids = models.JSONField(default=list)
    participation_ids = models.JSONField(default=list)
    row_people = models.JSONField(default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__isnull=True)
                | Q(date_to__isnull=True)
                | Q(date_to__gte=F("date_from")),
                name="published_report_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportAPIToken(models.Model):
    """A token another information system uses to read figures. Only its SHA-256 is stored:
    the token is shown once, when it is made."""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report API token")
        verbose_name_plural = _("report API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
