"""Counting scenarios (issue 5 item 9, issue 6 "Tests and proof")."""

import datetime
import re

import pytest
from django.utils import translation

from tests.factories import FieldOfficeFactory
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.models import AGE_BAND_SCHEMES
from trainees.selectors import (
    CountScope,
    CountScopeError,
    participations_count,
    people_breakdown,
    people_count,
    people_in_scope,
    people_new_breakdown,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_one_person_five_activities_counts_once():
    person = PersonFactory()
    for month in range(1, 6):
        ParticipationFactory(
            person=person, event=TrainingEventFactory(start_date=D(2022, month, 1))
        )
    scope = CountScope()
    assert participations_count(scope=scope) == 5
    assert people_count(scope=scope) == 1
    assert list(people_in_scope(scope=scope)) == [person]


def test_total_across_programmes_is_not_the_sum_of_programmes():
    eod = ProgrammeFactory(code="eod_iedd")
    wam = ProgrammeFactory(code="wam")
    both, only_eod, only_wam = PersonFactory(), PersonFactory(), PersonFactory()
    for person, programmes in ((both, [eod, wam]), (only_eod, [eod]), (only_wam, [wam])):
        for programme in programmes:
            ParticipationFactory(person=person, event=TrainingEventFactory(programme=programme))
    rows = people_breakdown(scope=CountScope(programmes=("eod_iedd", "wam")), by="programme")
    assert [(r.key, r.count) for r in rows] == [(eod.pk, 2), (wam.pk, 2)]
    assert rows.overlapping is True
    assert people_count(scope=CountScope(programmes=("eod_iedd", "wam"))) == 3


def test_attended_but_failed_is_not_trained():
    failed = PersonFactory()
    attended = PersonFactory()
    ParticipationFactory(person=failed, outcome="failed")
    ParticipationFactory(person=attended, outcome="attended")
    assert people_count(scope=CountScope()) == 0
    assert people_count(scope=CountScope(outcomes=("attended",))) == 2
    assert people_count(scope=CountScope(outcomes=("failed",))) == 1


def test_programme_qualifying_outcomes_decide_trained():
    awareness = ProgrammeFactory(
        code="hazard_awareness", qualifying_outcomes=["attended", "completed", "passed"]
    )
    ParticipationFactory(
        outcome="attended", event=TrainingEventFactory(programme=awareness, kind="briefing")
    )
    ParticipationFactory(outcome="attended")  # EOD: attendance is not training
    assert people_count(scope=CountScope()) == 1
    assert people_count(scope=CountScope(outcomes=("briefed",))) == 1
    assert people_count(scope=CountScope(outcomes=("trained",), programmes=("eod_iedd",))) == 0


def test_voided_participation_leaves_every_figure():
    person = PersonFactory()
    participation = ParticipationFactory(person=person)
    scope = CountScope(outcomes=("attended",))
    assert people_count(scope=scope) == 1
    participation.voided = True
    participation.save()
    assert people_count(scope=scope) == 0
    assert participations_count(scope=scope) == 0
    assert list(people_in_scope(scope=scope)) == []
    assert list(people_breakdown(scope=scope, by="sex")) == []


def test_merged_person_counts_once_as_the_survivor_and_unmerge_restates(make_user):
    from trainees.review.services import person_merge, person_unmerge

    coordinator = make_user(role="coordinator")
    survivor = PersonFactory(sex="F", birth_date=D(2000, 1, 10))
    merged = PersonFactory(sex="M", birth_date=None, birth_year=None)
    ParticipationFactory(person=survivor)
    ParticipationFactory(person=merged, event=TrainingEventFactory(start_date=D(2023, 5, 1)))
    assert people_count(scope=CountScope()) == 2
    merge = person_merge(survivor=survivor, merged=merged, user=coordinator, reason="same NINA")
    assert people_count(scope=CountScope()) == 1
    assert participations_count(scope=CountScope()) == 2
    assert list(people_in_scope(scope=CountScope())) == [survivor]
    # the survivor's sex and birth date apply to every row now
    rows = people_breakdown(scope=CountScope(), by="sex")
    assert [(r.key, r.count) for r in rows] == [("F", 1)]
    assert rows.overlapping is False
    person_unmerge(merge=merge, user=coordinator, reason="different fathers' names")
    assert people_count(scope=CountScope()) == 2
    assert [(r.key, r.count) for r in people_breakdown(scope=CountScope(), by="sex")] == [
        ("F", 1),
        ("M", 1),
    ]


def test_age_at_the_date_of_the_activity():
    person = PersonFactory(birth_date=D(2004, 6, 15))
    ParticipationFactory(person=person, event=TrainingEventFactory(start_date=D(2022, 6, 14)))
    ParticipationFactory(person=person, event=TrainingEventFactory(start_date=D(2022, 6, 15)))
    rows = people_breakdown(scope=CountScope(), by="age_band")
    # 17 the day before the birthday, 18 on it: one person in both rows
    assert [(r.key, r.count) for r in rows] == [("under_18", 1), ("18_plus", 1)]
    assert rows.overlapping is True
    assert people_count(scope=CountScope(age_bands=("under_18",))) == 1
    assert people_count(scope=CountScope(age_bands=("18_plus",), date_to=D(2022, 6, 14))) == 0


def test_birth_year_only_and_unknown_ages_in_the_fine_scheme():
    ParticipationFactory(
        person=PersonFactory(birth_date=None, birth_year=2010),
        event=TrainingEventFactory(start_date=D(2022, 1, 5)),
    )
    ParticipationFactory(person=PersonFactory(birth_date=None, birth_year=None))
    ParticipationFactory(person=PersonFactory(birth_date=D(1950, 3, 1)))
    with translation.override("en"):
        rows = people_breakdown(scope=CountScope(age_scheme="fine"), by="age_band")
    assert [(r.key, r.label, r.count) for r in rows] == [
        ("5_12", "5-12", 1),
        ("60_plus", "60+", 1),
        ("unknown", "Unknown", 1),
    ]


@pytest.mark.parametrize("scheme", sorted(AGE_BAND_SCHEMES))
def test_band_schemes_cover_every_age_once(scheme):
    bands = AGE_BAND_SCHEMES[scheme]
    for age in range(0, 120):
        assert sum(band.contains(age) for band in bands) == 1


def test_places_include_descendants_and_offices_filter():
    gao = FieldOfficeFactory(code="gao", name="Gao")
    mopti = FieldOfficeFactory(code="mopti", name="Mopti")
    region = PlaceFactory(name="Région de Gao", field_office=gao)
    commune = PlaceFactory(name="Ansongo", kind="commune", parent=region, field_office=gao)
    other = PlaceFactory(name="Mopti", field_office=mopti)
    ParticipationFactory(event=TrainingEventFactory(place=commune))
    ParticipationFactory(event=TrainingEventFactory(place=other))
    assert people_count(scope=CountScope(places=(region.pk,))) == 1
    assert people_count(scope=CountScope(field_offices=("mopti",))) == 1
    rows = people_breakdown(scope=CountScope(), by="field_office")
    assert [(r.label, r.count) for r in rows] == [("Gao", 1), ("Mopti", 1)]


def test_organisation_categories_and_descendants():
    army = OrganisationFactory(code="fama-test", category="armed_forces")
    battalion = OrganisationFactory(code="bataillon", parent=army, category="armed_forces")
    ngo = OrganisationFactory(code="ngo", category="ngo", reporting_category="humanitarian")
    ParticipationFactory(organisation=battalion)
    ParticipationFactory(organisation=ngo)
    ParticipationFactory(organisation=None)
    assert people_count(scope=CountScope(organisations=("fama-test",))) == 1
    assert people_count(scope=CountScope(reporting_categories=("mdsf",))) == 1
    with translation.override("en"):  # rows are sorted by their label
        rows = people_breakdown(scope=CountScope(), by="reporting_category")
    assert [(r.key, r.count) for r in rows] == [
        ("humanitarian", 1),
        ("mdsf", 1),
        (None, 1),
    ]


def test_years_months_and_new_people_per_year():
    early, late = PersonFactory(), PersonFactory()
    ParticipationFactory(person=early, event=TrainingEventFactory(start_date=D(2019, 5, 2)))
    ParticipationFactory(person=early, event=TrainingEventFactory(start_date=D(2022, 5, 2)))
    ParticipationFactory(person=late, event=TrainingEventFactory(start_date=D(2022, 7, 9)))
    years = people_breakdown(scope=CountScope(), by="year")
    assert [(r.key, r.count) for r in years] == [(2019, 1), (2022, 2)]
    months = people_breakdown(scope=CountScope(date_from=D(2022, 1, 1)), by="month")
    assert [(r.key, r.count) for r in months] == [("2022-05", 1), ("2022-07", 1)]
    new = people_new_breakdown(scope=CountScope(), period="year")
    assert [(r.key, r.count) for r in new] == [(2019, 1), (2022, 1)]
    new_2022 = people_new_breakdown(scope=CountScope(date_from=D(2022, 1, 1)), period="month")
    assert [(r.key, r.count) for r in new_2022] == [("2022-07", 1)]
    # cumulative versus per period
    assert people_count(scope=CountScope(date_to=D(2022, 12, 31))) == 2
    assert people_count(scope=CountScope(date_from=D(2022, 1, 1), date_to=D(2022, 12, 31))) == 2
    assert people_count(scope=CountScope(date_from=D(2020, 1, 1), date_to=D(2021, 12, 31))) == 0


def test_bad_scopes_say_what_is_wrong():
    with pytest.raises(CountScopeError, match=re.escape("Unknown outcomes: trainedd.")):
        CountScope(outcomes=("trainedd",))
    with pytest.raises(
        CountScopeError, match=re.escape("The end of the period is before its start.")
    ):
        CountScope(date_from=D(2022, 2, 1), date_to=D(2022, 1, 1))
    with pytest.raises(CountScopeError, match=re.escape("Unknown age_bands: 18_24.")):
        CountScope(age_bands=("18_24",))
    with pytest.raises(CountScopeError, match=re.escape("Unknown breakdown: colour.")):
        people_breakdown(scope=CountScope(), by="colour")


def test_counts_are_single_queries(django_assert_max_num_queries):
    for _ in range(30):
        ParticipationFactory()
    scope = CountScope(age_bands=("18_plus",), sexes=("M",))
    with django_assert_max_num_queries(2):  # programmes, then the count
        assert people_count(scope=scope) == 30
    with django_assert_max_num_queries(3):  # programmes, the breakdown, the labels
        rows = people_breakdown(scope=scope, by="place")
    assert len(rows) == 30
    with django_assert_max_num_queries(2):
        assert len(people_new_breakdown(scope=scope)) == 1
