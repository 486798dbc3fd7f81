"""Training events and participations: what the counting selector counts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import FieldOffice
from lms.core.formats import date_text

from .choices import EventKind, Outcome, Source
from .organisations import Organisation, Place, Programme
from .people import Person


class TrainingEvent(models.Model):
    """An in-person training event: a course, a practical, a briefing, a risk-education session.

    A course page of the catalogue is referred to by its public UUID (the page's translation
    key) and title rather than a foreign key, so the registry does not depend on the course
    pages' tables and an event survives a course page being deleted.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="events", verbose_name=_("programme")
    )
    course_public_id = models.UUIDField(_("course"), null=True, blank=True, db_index=True)
    course_title = models.CharField(_("course title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("place"),
    )
    field_office = models.ForeignKey(
        FieldOffice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_events",
        verbose_name=_("field office"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("trainers")
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]
        indexes = [models.Index(fields=["field_office", "start_date"], name="event_office_date")]

    def __str__(self) -> str:
        return f"{self.title} ({date_text(self.start_date, short=True)})"


class Participation(models.Model):
    """One person at one training event (or one online course delivery), and what happened.

    The event's programme, kind, place, field office and course are copied onto the
    participation when it is recorded (and kept in step by the event services) so that the
    counting selector filters and groups one table, without joining events, at a million
    rows. Organisation, unit and rank are as recorded that day: people move.

    A voided participation stays (its statement was voided in the LRS) and counts nowhere.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    event = models.ForeignKey(
        TrainingEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("training event"),
    )
    course_public_id = models.UUIDField(_("course"), null=True, blank=True)
    course_title = models.CharField(_("course title"), max_length=200, blank=True)
    enrolment_public_id = models.UUIDField(_("enrolment"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("place"),
    )
    field_office = models.ForeignKey(
        FieldOffice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("field office"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    score = models.FloatField(_("score (%)"), null=True, blank=True)
    date = models.DateField(_("date"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # Provenance: which import, which file, which row. The import is referred to by its public
    # id so the registry core does not depend on the import package's tables.
    import_public_id = models.UUIDField(_("import"), null=True, blank=True, db_index=True)
    source_file = models.CharField(_("file"), max_length=255, blank=True)
    source_row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    statement_id = models.UUIDField(_("statement"), null=True, blank=True, db_index=True)
    # How many times the participation was re-stated (outcome corrected): part of the
    # statement's event key, so a correction back to an earlier outcome gets a new statement.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0, editable=False)
    voided = models.BooleanField(_("voided"), default=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("why voided"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event"],
                condition=Q(event__isnull=False),
                name="participation_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["person", "enrolment_public_id"],
                condition=Q(enrolment_public_id__isnull=False),
                name="participation_once_per_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="participation_score_percent",
            ),
        ]
        indexes = [
            # The counting selector's access paths: by date, by programme and date, by office
            # and date; all only over live (not voided) rows.
            models.Index(
                fields=["date", "person"], name="part_live_date", condition=Q(voided=False)
            ),
            models.Index(
                fields=["programme", "date"], name="part_live_prog_date", condition=Q(voided=False)
            ),
            models.Index(
                fields=["field_office", "date"],
                name="part_live_office_date",
                condition=Q(voided=False),
            ),
            models.Index(fields=["person", "date"], name="part_person_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_outcome_display()} {self.date:%Y-%m-%d}"


class OnlineOutcome(models.Model):
    """One course-level outcome statement (completed, passed, failed) the registry consumed.

    An online delivery (an enrolment, or a course studied through external content without
    one) is one participation; its outcome is the strongest live statement of the delivery
    (passed over completed over failed), dated when that learning happened. Keeping every
    statement lets a void fall back to what remains (a voided pass leaves the earlier
    completion counted) instead of guessing, and makes consuming a statement twice a no-op
    (the statement id is unique).
    """

    statement_id = models.UUIDField(_("statement"), unique=True)
    #: The participation's ``enrolment_public_id``: the statement's registration, or a key
    #: derived from the person and the course when the statement has none.
    delivery_id = models.UUIDField(_("delivery"), db_index=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    course_public_id = models.UUIDField(_("course"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    score = models.FloatField(_("score (%)"), null=True, blank=True)
    timestamp = models.DateTimeField(_("timestamp"))
    #: The statement says the learning was done on a phone without a connection and synced
    #: later (its context extension ``<site>/xapi/extensions/offline-sync``): a report
    #: published meanwhile names that reason in its restatement.
    offline_sync = models.BooleanField(_("synced from a phone"), default=False)
    voided = models.BooleanField(_("voided"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("online outcome")
        verbose_name_plural = _("online outcomes")

    def __str__(self) -> str:
        return f"{self.statement_id} {self.outcome}"
