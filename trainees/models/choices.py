"""Choices shared by the registry's models, the counting selector and the screens.

Values are stable identifiers stored in the database and used in URLs and exports; labels are
translated for display.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NOT_RECORDED = "", _("Not recorded")


class IdentifierType(models.TextChoices):
    SERVICE_NUMBER = "service_number", _("Service number")
    NINA = "nina", _("National ID (NINA)")
    PASSPORT = "passport", _("Passport")
    UN_INDEX = "un_index", _("UN index number")
    PHONE = "phone", _("Phone")
    #: A national identity number of another country than Mali (peacekeepers, partners):
    #: stored as ``CC:VALUE`` (ISO 3166 alpha-2 code, or ``XX`` when the roster does not say),
    #: so the same digits issued by two countries are two identifiers.
    NATIONAL_ID = "national_id", _("National ID (other country)")


class OrganisationCategory(models.TextChoices):
    ARMED_FORCES = "armed_forces", _("Armed forces")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    NATIONAL_GUARD = "national_guard", _("National guard")
    POLICE = "police", _("Police")
    CIVIL_PROTECTION = "civil_protection", _("Civil protection")
    PEACEKEEPING_CONTINGENT = "peacekeeping_contingent", _("Peacekeeping contingent")
    UN = "un", _("United Nations")
    NGO = "ngo", _("NGO")
    COMMUNITY = "community", _("Community")
    DRIVER = "driver", _("Drivers")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class ReportingCategory(models.TextChoices):
    """The groups donors ask about; several organisation categories roll up into one."""

    MDSF = "mdsf", _("Malian defence and security forces (MDSF)")
    PEACEKEEPERS = "peacekeepers", _("Peacekeepers")
    UN = "un", _("United Nations")
    HUMANITARIAN = "humanitarian", _("Humanitarian workers")
    DRIVERS = "drivers", _("Drivers")
    COMMUNITY = "community", _("Community members")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


#: The reporting category an organisation category rolls up into by default.
DEFAULT_REPORTING_CATEGORY = {
    OrganisationCategory.ARMED_FORCES: ReportingCategory.MDSF,
    OrganisationCategory.GENDARMERIE: ReportingCategory.MDSF,
    OrganisationCategory.NATIONAL_GUARD: ReportingCategory.MDSF,
    OrganisationCategory.POLICE: ReportingCategory.MDSF,
    OrganisationCategory.CIVIL_PROTECTION: ReportingCategory.MDSF,
    OrganisationCategory.PEACEKEEPING_CONTINGENT: ReportingCategory.PEACEKEEPERS,
    OrganisationCategory.UN: ReportingCategory.UN,
    OrganisationCategory.NGO: ReportingCategory.HUMANITARIAN,
    OrganisationCategory.COMMUNITY: ReportingCategory.COMMUNITY,
    OrganisationCategory.DRIVER: ReportingCategory.DRIVERS,
    OrganisationCategory.CIVIL_SOCIETY: ReportingCategory.CIVIL_SOCIETY,
    OrganisationCategory.OTHER: ReportingCategory.OTHER,
}


class PlaceKind(models.TextChoices):
    REGION = "region", _("Region")
    CERCLE = "cercle", _("Cercle")
    COMMUNE = "commune", _("Commune")
    FIELD_OFFICE = "field_office", _("Field office")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    COURSE = "course", _("Course")
    PRACTICAL = "practical", _("Practical")
    BRIEFING = "briefing", _("Briefing")
    RISK_EDUCATION = "risk_education", _("Risk education session")
    #: Not an event kind: the kind of a participation recorded from an online course.
    ONLINE = "online", _("Online course")


class Outcome(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    COMPLETED = "completed", _("Completed")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Source(models.TextChoices):
    ROSTER = "roster", _("Roster import")
    ONLINE = "online", _("Online course")
    MANUAL = "manual", _("Recorded by hand")


class AggregateKind(models.TextChoices):
    RISK_EDUCATION = "risk_education", _("Risk education session")
    BRIEFING = "briefing", _("Briefing")
    RADIO = "radio", _("Radio broadcast")


@dataclass(frozen=True)
class AgeBand:
    """Ages ``lower <= age < upper`` (``None`` = open). ``code`` is stored and exported."""

    code: str
    label: str
    lower: int | None
    upper: int | None

    def contains(self, age: int) -> bool:
        above = self.lower is None or age >= self.lower
        return above and (self.upper is None or age < self.upper)


#: The code of the band for people whose age cannot be computed (no birth date or year).
AGE_UNKNOWN = "unknown"

#: Age band schemes (DESIGN.md, Counting rules). Bands of a scheme are contiguous, cover every
#: age and never overlap; a test checks it. Labels are plain figures, the same in every language.
AGE_BAND_SCHEMES: dict[str, tuple[AgeBand, ...]] = {
    "default": (
        AgeBand("under_18", "<18", None, 18),
        AgeBand("18_plus", "18+", 18, None),
    ),
    "fine": (
        AgeBand("0_4", "0-4", None, 5),
        AgeBand("5_12", "5-12", 5, 13),
        AgeBand("13_17", "13-17", 13, 18),
        AgeBand("18_24", "18-24", 18, 25),
        AgeBand("25_59", "25-59", 25, 60),
        AgeBand("60_plus", "60+", 60, None),
    ),
}
