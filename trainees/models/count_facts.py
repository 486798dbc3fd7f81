"""The counting table: one narrow row per live participation, PostgreSQL only (issue 6).

Why: a dashboard counts distinct people over every qualifying participation, with the
person's sex and age at the activity and the organisation's categories. Read from the
participations, each count joins people and organisations and computes an age per row; at a
million participations the cold dashboard took seconds. :class:`CountFact` holds those
values already joined and computed, so a count reads one narrow table.

Kept exact by the database, never by the code that writes: triggers created in migration
``0009_count_facts`` insert, replace or delete a participation's row on every insert,
update, delete or truncate of participations (a voided participation has no row), and
rewrite the copied values when a person's sex, date or year of birth, or an organisation's
categories change. Merges and their undo re-point participations, so they go through the
same triggers. The rows change in the writing transaction, so a reader sees them exactly
when it sees the participations. Everything else a scope filters on (programmes and their
qualifying outcomes, organisation and place trees, field offices) is looked up when
counting, as for the participations.

SQLite (the development database) has no such table: it counts from the participations.
The drill-down always lists from the participations, so the tests that compare every figure
with its drill-down also prove this table equal to its source on PostgreSQL.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


def _copied(to: str, *, null: bool = False) -> models.ForeignKey:
    """A key copied from its source by the triggers: no constraint of its own."""
    return models.ForeignKey(
        to, null=null, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class CountFact(models.Model):
    """A live participation as the counts read it (``managed = False``: the table, its
    indexes and triggers are made by migration ``0009_count_facts`` on PostgreSQL)."""

    participation = models.OneToOneField(
        "trainees.Participation",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    person = _copied("trainees.Person")
    date = models.DateField()
    #: ``year * 100 + month`` of ``date``.
    month = models.IntegerField()
    programme = _copied("trainees.Programme", null=True)
    course_public_id = models.UUIDField(null=True)
    course_title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    outcome = models.CharField(max_length=16)
    organisation = _copied("trainees.Organisation", null=True)
    #: The organisation's categories (``NULL`` without an organisation, as a join gives).
    organisation_category = models.CharField(max_length=32, null=True)
    reporting_category = models.CharField(max_length=32, null=True)
    place = _copied("trainees.Place", null=True)
    field_office = _copied("accounts.FieldOffice", null=True)
    #: The person's sex ("" when not recorded).
    sex = models.CharField(max_length=1)
    #: Full years at ``date`` (``year(date) - birth_year`` when only the year is known).
    age = models.SmallIntegerField(null=True)

    class Meta:
        managed = False
        db_table = "trainees_countfact"

    def __str__(self) -> str:
        return f"count fact {self.pk}"


#: Bits of :class:`CountPerson` masks: a key's bit is its position in these lists (text
#: dimensions), its id (programme, field office), ``year - 2000`` (year) or the age in years
#: (0 also holds younger, :data:`MASK_OTHER` older than 60). Migration ``0010_count_people``
#: holds a frozen copy of the lists; a test keeps the two equal.
MASK_KEYS = {
    "kind": ["course", "practical", "briefing", "risk_education", "online"],
    "outcome": ["attended", "completed", "passed", "failed"],
    "sex": ["F", "M", ""],
    "organisation_category": [
        "armed_forces",
        "gendarmerie",
        "national_guard",
        "police",
        "civil_protection",
        "peacekeeping_contingent",
        "un",
        "ngo",
        "community",
        "driver",
        "civil_society",
        "other",
        "",
    ],
    "reporting_category": [
        "mdsf",
        "peacekeepers",
        "un",
        "humanitarian",
        "drivers",
        "community",
        "civil_society",
        "other",
        "",
    ],
}
#: The bit of "not recorded" (``NULL``) in every mask, and of a key the mask cannot hold (an
#: id or age above 60, a year outside 2000-2060, a value added to a list since).
MASK_NULL, MASK_OTHER = 61, 62
#: Offsets of :attr:`CountPerson.tags`: organisation ids as they are, place ids plus
#: ``TAG_PLACE``, months (``year * 100 + month``) plus ``TAG_MONTH``; ids from ``TAG_PLACE``
#: up set bit 3 of ``nulls`` instead.
TAG_PLACE, TAG_MONTH = 1 << 24, 1 << 25


class CountPerson(models.Model):
    """One person's qualifying participations, summed up, per figure (PostgreSQL only).

    A row per person and ``figure`` ("trained" or "briefed") they qualify for, kept by
    triggers on :class:`CountFact` (migration ``0010_count_people``): each write to the
    counting table recomputes the rows of the people it touched. The coordinator dashboard
    without filters (every period since the start, the normal view) reads these ~100,000
    rows instead of grouping a million participations by person: a dimension's count is
    the number of people whose mask has the key's bit (``MASK_KEYS``), organisations,
    places and months come from ``tags``, new people per year from ``first_date``.
    """

    pk = models.CompositePrimaryKey("person_id", "figure")
    person = _copied("trainees.Person")
    figure = models.CharField(max_length=8)
    first_date = models.DateField()
    participations = models.IntegerField()
    m_programme = models.BigIntegerField()
    m_kind = models.BigIntegerField()
    m_outcome = models.BigIntegerField()
    m_sex = models.BigIntegerField()
    m_age = models.BigIntegerField()
    m_organisation_category = models.BigIntegerField()
    m_reporting_category = models.BigIntegerField()
    m_field_office = models.BigIntegerField()
    m_year = models.BigIntegerField()
    #: Bits: 0 a row without organisation, 1 without place, 2 without course, 3 an
    #: organisation or place id too large for ``tags``.
    nulls = models.SmallIntegerField()
    tags = ArrayField(models.IntegerField())

    class Meta:
        managed = False
        db_table = "trainees_countperson"

    def __str__(self) -> str:
        return f"{self.person_id} {self.figure}"
