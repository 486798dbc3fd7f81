"""The counting table (``trainees.models.count_facts``) stays equal to its source.

On PostgreSQL the counts read ``CountFact`` (and, without filters, ``CountPerson``), kept by
triggers; these tests write through
every path (the ORM's save and delete, ``QuerySet.update``, ``bulk_create``, voiding, edits of
a person or an organisation, a merge and its undo, a rolled-back savepoint, a truncate) and
after each compare the whole table with what the participations, people and organisations
say, the age as the counting selector computes it. On SQLite there is no counting table:
the counts read the participations, which is checked too.
"""

import datetime
import threading
import time
import uuid
from unittest import mock

import pytest
from django.db import connection, connections, transaction

from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    TrainingEventFactory,
)
from trainees.models import CountFact, CountPerson, Participation, Person
from trainees.models.count_facts import MASK_OTHER
from trainees.selectors.counting import (
    BREAKDOWN_DIMENSIONS,
    CountScope,
    people_breakdown,
    people_breakdowns,
    people_count,
    people_new_and_cumulative,
)
from trainees.selectors.counting.queries import _counted, _with_age, counting_facts
from trainees.selectors.counting.summary import summary_serves

pytestmark = pytest.mark.django_db

D = datetime.date
POSTGRES = connection.vendor == "postgresql"


def expected() -> set[tuple]:
    """The rows the counting table must hold, derived from the source tables."""
    rows = _with_age(Participation.objects.filter(voided=False), "default").values_list(
        "pk",
        "person_id",
        "date",
        "programme_id",
        "course_public_id",
        "course_title",
        "kind",
        "outcome",
        "organisation_id",
        "organisation__category",
        "organisation__reporting_category",
        "place_id",
        "field_office_id",
        "person__sex",
        "_age",
    )
    return {(*row[:3], row[2].year * 100 + row[2].month, *row[3:]) for row in rows}


def stored() -> set[tuple]:
    return set(
        CountFact.objects.values_list(
            "participation_id",
            "person_id",
            "date",
            "month",
            "programme_id",
            "course_public_id",
            "course_title",
            "kind",
            "outcome",
            "organisation_id",
            "organisation_category",
            "reporting_category",
            "place_id",
            "field_office_id",
            "sex",
            "age",
        )
    )


def check() -> None:
    want = expected()
    assert want, "the scenario has live participations"
    assert stored() == want


@pytest.fixture
def rows():
    army = OrganisationFactory(code="army")
    ngo = OrganisationFactory(code="ngo", category="ngo", reporting_category="humanitarian")
    people = [
        PersonFactory(sex="F", birth_date=D(2004, 6, 15)),
        PersonFactory(sex="M", birth_date=None, birth_year=1990),
        PersonFactory(sex="", birth_date=None, birth_year=None),
        PersonFactory(sex="F", birth_date=D(2000, 2, 29)),
    ]
    made = []
    for i, person in enumerate(people):
        for j, day in enumerate((D(2022, 6, 14), D(2022, 6, 15), D(2024, 2, 28))):
            made.append(
                ParticipationFactory(
                    person=person,
                    event=TrainingEventFactory(start_date=day),
                    organisation=(army, ngo, None)[(i + j) % 3],
                    outcome=("completed", "failed", "attended")[j],
                )
            )
    return {"people": people, "participations": made, "army": army, "ngo": ngo}


@pytest.mark.skipif(not POSTGRES, reason="the counting table exists on PostgreSQL only")
class TestPostgreSQL:
    def test_inserts_saves_updates_and_deletes_keep_the_table_exact(self, rows):
        check()
        first = rows["participations"][0]
        first.outcome, first.date = "passed", D(2023, 1, 9)
        first.save()
        check()
        Participation.objects.filter(person=rows["people"][1]).update(
            organisation=rows["ngo"], course_public_id=uuid.UUID(int=7), course_title="WAM"
        )
        check()
        Participation.objects.bulk_create(
            [
                Participation(
                    person=rows["people"][2],
                    kind="online",
                    outcome="completed",
                    date=D(2025, 3, 1),
                    source="manual",
                )
                for _ in range(3)
            ]
        )
        check()
        rows["participations"][1].delete()
        check()

    def test_voided_participations_have_no_row_and_come_back_when_unvoided(self, rows):
        target = rows["participations"][2]
        Participation.objects.filter(pk=target.pk).update(voided=True)
        assert not CountFact.objects.filter(participation_id=target.pk).exists()
        check()
        Participation.objects.filter(pk=target.pk).update(voided=False)
        assert CountFact.objects.filter(participation_id=target.pk).exists()
        check()

    def test_person_and_organisation_edits_are_copied(self, rows):
        person = rows["people"][0]
        person.sex, person.birth_date = "M", D(2004, 6, 14)  # one day older: 18 on 14 June
        person.save()
        check()
        Person.objects.filter(pk=rows["people"][1].pk).update(birth_year=1985)
        check()
        Person.objects.filter(pk=rows["people"][2].pk).update(family_name="Touré")  # no-op
        check()
        army = rows["army"]
        army.category, army.reporting_category = "police", "mdsf"
        army.save()
        check()
        assert set(
            CountFact.objects.filter(organisation=army).values_list(
                "organisation_category", flat=True
            )
        ) == {"police"}

    def test_ages_match_the_counting_rule_around_birthdays(self, rows):
        ages = dict(CountFact.objects.values_list("participation_id", "age"))
        first, second = rows["participations"][0], rows["participations"][1]
        assert (ages[first.pk], ages[second.pk]) == (17, 18)  # the day before, the day of
        leap = rows["participations"][-1]  # born 29 February 2000, seen 28 February 2024
        assert ages[leap.pk] == 23
        assert ages[rows["participations"][3].pk] == 2022 - 1990  # year of birth only
        assert ages[rows["participations"][6].pk] is None  # nothing known

    def test_merge_and_undo_move_the_rows(self, rows, make_user):
        from trainees.review.services import person_merge, person_unmerge

        coordinator = make_user(role="coordinator")
        survivor, merged = rows["people"][0], rows["people"][1]
        merge = person_merge(survivor=survivor, merged=merged, user=coordinator, reason="same")
        check()
        assert not CountFact.objects.filter(person=merged).exists()
        assert set(CountFact.objects.filter(person=survivor).values_list("sex", flat=True)) == {"F"}
        person_unmerge(merge=merge, user=coordinator, reason="different people")
        check()
        assert CountFact.objects.filter(person=merged, sex="M").exists()

    def test_a_rolled_back_savepoint_leaves_the_rows_as_they_were(self, rows):
        before = stored()
        with pytest.raises(RuntimeError), transaction.atomic():
            Participation.objects.update(outcome="passed")
            Person.objects.update(sex="F")
            raise RuntimeError
        assert stored() == before
        check()

    def test_truncating_participations_empties_the_table(self, rows):
        Participation.objects.all().delete()
        assert not CountFact.objects.exists()
        ParticipationFactory(person=rows["people"][0])
        with connection.cursor() as cursor:
            # The registry version's deferred trigger is pending: run it first, as a commit would.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE trainees_participation CASCADE")
        assert not CountFact.objects.exists()

    def test_counts_read_the_table(self, rows):
        assert counting_facts()
        assert _counted(CountScope()).model is CountFact
        # A row changed behind the triggers' back shows that counts read the table.
        before = people_count(scope=CountScope(outcomes=("attended",)))
        CountFact.objects.filter(person=rows["people"][0]).delete()
        assert people_count(scope=CountScope(outcomes=("attended",))) == before - 1


@pytest.mark.skipif(POSTGRES, reason="SQLite has no counting table")
def test_sqlite_counts_read_the_participations(rows):
    assert not counting_facts()
    assert _counted(CountScope()).model is Participation
    assert people_count(scope=CountScope(outcomes=("attended",))) == 4
    rows = people_breakdown(scope=CountScope(), by="sex")
    assert {r.key: r.count for r in rows} == {"F": 2, "M": 1, None: 1}


def summary_figures() -> dict:
    """Every figure the per-person summaries serve, as the dashboard asks for them."""
    figures = {}
    for scope in (
        CountScope(),
        CountScope(outcomes=("briefed",)),
        CountScope(age_scheme="fine"),
    ):
        together = people_breakdowns(scope=scope, by=tuple(BREAKDOWN_DIMENSIONS), new_period="year")
        figures[scope] = (
            together.total,
            list(together.new),
            {by: list(rows) for by, rows in together.items()},
            people_new_and_cumulative(scope=scope.replace(date_to=D(2023, 12, 31)), period="month"),
        )
    return figures


def check_summaries() -> None:
    """The summaries give the figures of the participations (read with the tables off)."""
    from trainees.selectors.counting import queries

    assert summary_serves(CountScope())
    kept = summary_figures()
    with mock.patch.object(queries, "counting_facts", lambda: False):
        assert not summary_serves(CountScope())
        assert summary_figures() == kept


@pytest.mark.skipif(not POSTGRES, reason="the summaries exist on PostgreSQL only")
class TestSummaries:
    def test_every_write_path_keeps_the_summaries_exact(self, rows, make_user):
        from trainees.review.services import person_merge, person_unmerge

        assert CountPerson.objects.filter(figure="trained").count() == 4
        check_summaries()
        first = rows["participations"][0]
        first.kind, first.date = "briefing", D(2019, 1, 9)
        first.save()
        check_summaries()
        Participation.objects.filter(pk=rows["participations"][4].pk).update(voided=True)
        check_summaries()
        person = rows["people"][3]
        person.sex, person.birth_date = "M", D(1950, 1, 1)  # over 60: the "older" bit
        person.save()
        check_summaries()
        rows["army"].category = "police"
        rows["army"].save()
        check_summaries()
        coordinator = make_user(role="coordinator")
        merge = person_merge(
            survivor=rows["people"][0], merged=rows["people"][1], user=coordinator, reason="x"
        )
        check_summaries()
        assert not CountPerson.objects.filter(person=rows["people"][1]).exists()
        person_unmerge(merge=merge, user=coordinator, reason="y")
        check_summaries()
        Participation.objects.filter(person=rows["people"][2]).delete()
        assert not CountPerson.objects.filter(person=rows["people"][2]).exists()
        check_summaries()

    def test_qualifying_outcomes_of_a_programme_recompute_its_people(self, rows):
        programme = rows["participations"][0].programme
        before = people_count(scope=CountScope())
        programme.qualifying_outcomes = ["completed", "passed", "failed", "attended"]
        programme.save()
        check_summaries()
        assert people_count(scope=CountScope()) >= before
        programme.qualifying_outcomes = []
        programme.save()
        check_summaries()

    def test_a_key_the_masks_cannot_hold_is_counted_from_the_table(self, rows):
        Participation.objects.filter(pk=rows["participations"][0].pk).update(kind="workshop")
        mask = CountPerson.objects.get(person=rows["people"][0], figure="trained").m_kind
        assert mask >> MASK_OTHER & 1
        check_summaries()
        kinds = {r.key for r in people_breakdowns(scope=CountScope(), by=("kind",))["kind"]}
        assert "workshop" in kinds


@pytest.mark.skipif(not POSTGRES, reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_writers_to_one_person_take_turns_and_the_summary_sees_both():
    """Without the per-person lock the second writer would recompute the summary from a
    view without the first's uncommitted row, and keep one participation too few."""
    person = PersonFactory(sex="F")
    events = [TrainingEventFactory(start_date=D(2024, 3, day)) for day in (1, 2)]
    first_wrote, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                ParticipationFactory(person=person, event=events[0])
                first_wrote.set()
                time.sleep(1.0)  # the second writer waits for this commit
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_wrote.wait(timeout=20)
    started = time.monotonic()
    ParticipationFactory(person=person, event=events[1])  # autocommit: its own transaction
    waited = time.monotonic() - started
    thread.join(timeout=30)
    assert errors == []
    assert waited > 0.5
    summary = CountPerson.objects.get(person=person, figure="trained")
    assert summary.participations == 2
    assert people_count(scope=CountScope()) == 1


def test_the_migration_keeps_the_mask_keys_of_the_code():
    """The summaries' triggers hold a frozen copy of the bit lists the code decodes with;
    both must name the same keys, and every choice the models offer must have its bit."""
    import importlib

    from trainees.models import EventKind, OrganisationCategory, Outcome, ReportingCategory, Sex
    from trainees.models.count_facts import MASK_KEYS, MASK_NULL, MASK_OTHER, TAG_MONTH, TAG_PLACE

    migration = importlib.import_module("trainees.migrations.0010_count_people")
    assert migration.KEYS == MASK_KEYS
    assert (migration.NULL_BIT, migration.OTHER_BIT) == (MASK_NULL, MASK_OTHER)
    assert (migration.TAG_PLACE, migration.TAG_MONTH) == (TAG_PLACE, TAG_MONTH)
    assert MASK_KEYS["kind"] == EventKind.values
    assert MASK_KEYS["outcome"] == Outcome.values
    assert MASK_KEYS["sex"] == Sex.values
    assert MASK_KEYS["organisation_category"] == [*OrganisationCategory.values, ""]
    assert MASK_KEYS["reporting_category"] == [*ReportingCategory.values, ""]
