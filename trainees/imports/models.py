"""A roster import and its rows: what was uploaded, what the preview found, what was written.

The file itself is kept (rosters are small) so the preview can run in a background task and
the confirm can re-check it; its hash makes re-importing the same file a no-op.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.core.formats import date_text


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be read")
    ANALYSING = "analysing", _("Being read and matched")
    MAPPING = "mapping", _("Columns to map")
    INVALID = "invalid", _("Errors to fix")
    READY = "ready", _("Ready to confirm")
    CONFIRMING = "confirming", _("Being imported")
    CONFIRMED = "confirmed", _("Imported")
    UNCHANGED = "unchanged", _("Already imported: nothing changed")
    FAILED = "failed", _("Failed")


class RowAction(models.TextChoices):
    NEW = "new", _("New person")
    LINK = "link", _("Linked to a person")
    REVIEW = "review", _("Needs review")
    SAME = "same", _("Same person as another row")
    ERROR = "error", _("Error")


class RosterImport(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    #: Empty while the import is to create its event: ``new_event`` describes it, and the
    #: confirm creates it in the same transaction as the rows (an abandoned preview leaves
    #: no event behind).
    event = models.ForeignKey(
        "trainees.TrainingEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roster_imports",
        verbose_name=_("training event"),
    )
    new_event = models.JSONField(
        default=dict, blank=True, help_text="the event to create at confirm (see services)"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_hash = models.CharField(_("file hash"), max_length=64, db_index=True)
    file_data = models.BinaryField(_("file content"))
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    #: The confirm being run (a new id each time it is asked for): a task of an older
    #: attempt, should it wake after the trainer confirmed again, writes nothing.
    confirm_attempt = models.UUIDField(null=True, blank=True, editable=False)
    #: The background task's id in the task queue, whose row says if it failed or ended.
    confirm_task_id = models.CharField(max_length=64, blank=True, editable=False)
    #: When the confirm last said it was alive (``heartbeat.py``).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text="column index -> field")
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    default_outcome = models.CharField(_("default result"), max_length=16, default="attended")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "file_hash"],
                condition=Q(status="confirmed"),
                name="roster_import_file_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def event_label(self) -> str:
        if self.event_id is not None:
            return str(self.event)
        spec = self.new_event or {}
        return _(
            "New event: %(title)s (%(start)s to %(end)s), created when the import is confirmed"
        ) % {
            "title": spec.get("title", ""),
            "start": date_text(spec.get("start_date", "")),
            "end": date_text(spec.get("end_date", "")),
        }

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0 if self.is_busy else 100
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.ANALYSING, ImportStatus.CONFIRMING)


class RosterRow(models.Model):
    """One row of a roster: its clean values, what the preview decided, who it became."""

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    values = models.JSONField(default=dict)
    action = models.CharField(_("action"), max_length=8, choices=RowAction.choices)
    group = models.PositiveIntegerField(default=0)
    same_as_row = models.PositiveIntegerField(null=True, blank=True)
    candidate = models.ForeignKey(
        "trainees.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    #: On a group's first row: the registry people a "review" group is to be compared with.
    candidates = models.JSONField(default=list, blank=True)
    person = models.ForeignKey(
        "trainees.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roster_rows",
    )
    participation_created = models.BooleanField(default=False)
    #: The row's canonical name tokens and birth year, as the matching engine files them
    #: (``Person.name_key`` for a row): the registry finds a person by any row they were.
    name_key = models.CharField(max_length=400, blank=True, default="", editable=False)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["roster_import", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster_import", "row_number"], name="roster_row_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.roster_import_id}:{self.row_number}"


class RosterColumnMapping(models.Model):
    """What a column header means on the rosters of one field office, as a trainer said.

    Each office has its habits ("Service" may be the unit in Gao, "Mat." the service number
    in Mopti); once a trainer has mapped a header, the next roster from that office maps
    itself. ``header_key`` is the normalised header (:func:`.columns.header_key`).
    """

    field_office = models.ForeignKey(
        "accounts.FieldOffice",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("field office"),
    )
    header_key = models.CharField(_("header"), max_length=200)
    field = models.CharField(_("field"), max_length=32)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["field_office", "header_key"]
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["field_office", "header_key"], name="roster_mapping_once_per_office"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field_office_id}: {self.header_key} -> {self.field}"
