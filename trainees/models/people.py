"""People, their identifiers, and the link from LRS actors to people."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import IdentifierType, Sex

#: The widest birth-year range the database accepts. Services also refuse a year in the
#: future; a check constraint cannot read the clock, so the database bound is fixed.
BIRTH_YEAR_MIN = 1900
BIRTH_YEAR_MAX = 2100


class Person(models.Model):
    """One human being, however many rows, accounts and statements record them.

    Names are kept as recorded (``given_names``, ``family_name``); the ``*_normalised`` forms
    and ``name_key`` are computed by the services (never in ``save()``) with the matching
    engine's normalisation so that blocking queries can use an index.

    Merges: a merged person is kept and points at the survivor through ``merged_into`` so a
    merge can be undone exactly. Invariants kept by the merge service: ``merged_into`` always
    points at a person that is not itself merged (chains are flattened), and every
    participation of the merged person is re-pointed to the survivor (undo puts it back), so
    the counting selector counts ``participation.person_id`` directly.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    full_name_normalised = models.CharField(max_length=400, blank=True, editable=False)
    given_normalised = models.CharField(max_length=200, blank=True, editable=False)
    family_normalised = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    name_key = models.CharField(
        max_length=400,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Distinct canonical name tokens, sorted: the same name in any order/spelling.",
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    #: Where the person lives as a roster writes it (village, quarter, commune): evidence for
    #: matching and a place for reports, never an address to write to.
    residence = models.CharField(_("residence"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("account"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_people",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["family_normalised", "given_normalised", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=BIRTH_YEAR_MIN, birth_year__lte=BIRTH_YEAR_MAX),
                name="person_birth_year_range",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="person_not_merged_into_self"
            ),
        ]
        indexes = [models.Index(fields=["birth_year"], name="person_birth_year")]

    def __str__(self) -> str:
        return self.display_name or str(self.public_id)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part).strip()

    @property
    def counted_id(self) -> int:
        """The id this person counts as (the survivor's after a merge)."""
        return self.merged_into_id or self.pk


class Identifier(models.Model):
    """An identifier of a person. A (type, value) belongs to one person, except phones.

    Families share phones, so a phone number is not unique and never identifies on its own.
    ``value_normalised`` is the matching engine's canonical form; uniqueness applies to it.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("person")
    )
    type = models.CharField(_("type"), max_length=20, choices=IdentifierType.choices)
    value_normalised = models.CharField(_("value"), max_length=64)
    value_as_recorded = models.CharField(_("value as recorded"), max_length=100, blank=True)
    #: The issuing country of a national ID of another country (ISO 3166 alpha-2, "XX" when
    #: unknown); empty for the other types.
    country = models.CharField(_("country"), max_length=2, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["type", "value_normalised"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["type", "value_normalised"],
                condition=~Q(type=IdentifierType.PHONE),
                name="identifier_unique_except_phone",
                violation_error_message=_("This identifier already belongs to another person."),
            ),
            models.UniqueConstraint(
                fields=["person", "type", "value_normalised"], name="identifier_unique_per_person"
            ),
        ]
        indexes = [models.Index(fields=["type", "value_normalised"], name="identifier_lookup")]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.value_normalised}"


class StatementActor(models.Model):
    """Which person an LRS statement is about, when its actor is not the person's own account.

    Statements from other tools carry an e-mail or another system's account; the registry
    resolves them to a person and records it here, so reports and record pages find them.
    """

    statement_id = models.UUIDField(_("statement id"), unique=True)
    actor_key = models.CharField(_("actor"), max_length=512, db_index=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="statement_actors", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement actor")
        verbose_name_plural = _("statement actors")

    def __str__(self) -> str:
        return f"{self.statement_id} -> {self.person_id}"
