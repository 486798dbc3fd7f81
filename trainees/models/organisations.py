"""Organisations, places and programmes: the registry's reference data."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import FieldOffice

from .choices import OrganisationCategory, Outcome, PlaceKind, ReportingCategory


def _localised(obj, field: str) -> str:
    """The French or English value for the active language, falling back to the other."""
    fr, en = getattr(obj, f"{field}_fr"), getattr(obj, f"{field}_en")
    if (get_language() or "fr").startswith("en"):
        return en or fr
    return fr or en


class Organisation(models.Model):
    """An organisation people belong to when they train (an army unit, a contingent, an NGO).

    A tree (a battalion under the armed forces); ``category`` says what it is and
    ``reporting_category`` the group donors ask about (every MDSF branch reports as MDSF).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_normalised = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    category = models.CharField(_("category"), max_length=32, choices=OrganisationCategory.choices)
    reporting_category = models.CharField(
        _("reporting category"), max_length=32, choices=ReportingCategory.choices, db_index=True
    )

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")


class Place(models.Model):
    """An administrative area or site (region > cercle > commune), with its field office."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("within"),
    )
    field_office = models.ForeignKey(
        FieldOffice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("field office"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "kind", "name"],
                name="place_unique_name_in_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name


#: Programme activity ids are derived from the programme's code (uuid5), so they are stable
#: across installations and never need storing.
PROGRAMME_NAMESPACE = uuid.UUID("0b5f7c52-2a5e-4c1f-9d43-6a0f1f3c8e21")


def _default_qualifying_outcomes() -> list[str]:
    return [Outcome.COMPLETED.value, Outcome.PASSED.value]


class Programme(models.Model):
    """A training programme (EOD/IEDD, WAM, ...). Says which outcomes count as "trained".

    ``qualifying_outcomes`` is a list of outcome values (completed, passed, attended): an
    awareness programme may count attendance as trained, a certified course only a pass.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    qualifying_outcomes = models.JSONField(
        _("qualifying outcomes"),
        default=_default_qualifying_outcomes,
        help_text=_("Outcomes that count a participant as trained."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def public_id(self) -> uuid.UUID:
        """The programme's xAPI activity UUID (``grouping`` of every event statement)."""
        return uuid.uuid5(PROGRAMME_NAMESPACE, self.code)
