"""Property: for any scope, the drill-down has exactly as many people as the figure, and both
equal a plain-Python count of the same registry (issue 6: "the drill-down count equals the
figure for every cell of a generated registry")."""

import datetime
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import FieldOfficeFactory
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.models import AGE_BAND_SCHEMES, Participation
from trainees.selectors import CountScope, people_breakdown, people_count, people_in_scope

pytestmark = pytest.mark.django_db

D = datetime.date
OFFICES = ("gao", "mopti")
PROGRAMMES = {"eod_iedd": ["completed", "passed"], "hazard_awareness": ["attended", "completed"]}


def _registry():
    rng = random.Random(7)
    offices = [FieldOfficeFactory(code=code, name=code.title()) for code in OFFICES]
    places = [PlaceFactory(field_office=office) for office in offices]
    programmes = [
        ProgrammeFactory(code=code, qualifying_outcomes=outcomes)
        for code, outcomes in PROGRAMMES.items()
    ]
    organisations = [
        OrganisationFactory(code="army", category="armed_forces", reporting_category="mdsf"),
        OrganisationFactory(code="ngo", category="ngo", reporting_category="humanitarian"),
    ]
    people = []
    for i in range(30):
        birth = rng.choice(
            [None, D(1960 + i, 1 + i % 12, 1 + i % 28), "year", D(2008, 3, 15), D(2006, 12, 30)]
        )
        people.append(
            PersonFactory(
                sex=rng.choice(["F", "M", ""]),
                birth_date=None if birth in (None, "year") else birth,
                birth_year=(1990 + i) if birth == "year" else None,
            )
        )
    events = [
        TrainingEventFactory(
            programme=rng.choice(programmes),
            kind=rng.choice(["course", "briefing"]),
            place=rng.choice(places),
            start_date=D(2019, 1, 1) + datetime.timedelta(days=rng.randrange(2200)),
        )
        for _ in range(15)
    ]
    pairs = {(rng.randrange(len(people)), rng.randrange(len(events))) for _ in range(90)}
    for person_index, event_index in sorted(pairs):
        ParticipationFactory(
            person=people[person_index],
            event=events[event_index],
            outcome=rng.choice(["attended", "completed", "passed", "failed"]),
            organisation=rng.choice([*organisations, None]),
            voided=rng.random() < 0.1,
        )
    # merges, as the review queue makes them (participations re-pointed to the survivor)
    from tests.factories import UserFactory
    from trainees.review.services import person_merge

    coordinator = UserFactory(role="coordinator")
    for merged in people[25:]:
        person_merge(survivor=people[rng.randrange(10)], merged=merged, user=coordinator)


def _age(birth_date, birth_year, day):
    if birth_date:
        return (
            day.year - birth_date.year - ((birth_date.month, birth_date.day) > (day.month, day.day))
        )
    if birth_year:
        return day.year - birth_year
    return None


def _reference(scope: CountScope) -> set[int]:
    """The same rules, written plainly in Python over every row."""
    found = set()
    rows = Participation.objects.select_related(
        "person__merged_into", "programme", "field_office", "organisation"
    )
    for row in rows:
        person = row.person.merged_into or row.person
        qualifying = row.programme.qualifying_outcomes if row.programme else ["completed", "passed"]
        tokens = {
            "trained": row.outcome in qualifying,
            "briefed": row.kind == "briefing",
            "attended": True,
        }
        if row.voided or not any(tokens.get(t, row.outcome == t) for t in scope.outcomes):
            continue
        if scope.programmes and row.programme.code not in scope.programmes:
            continue
        if scope.field_offices and row.field_office.code not in scope.field_offices:
            continue
        if scope.reporting_categories and (
            row.organisation is None
            or row.organisation.reporting_category not in scope.reporting_categories
        ):
            continue
        if scope.date_from and row.date < scope.date_from:
            continue
        if scope.date_to and row.date > scope.date_to:
            continue
        if scope.sexes and person.sex not in scope.sexes:
            continue
        if scope.age_bands:
            age = _age(person.birth_date, person.birth_year, row.date)
            band = "unknown"
            if age is not None:
                band = next(b.code for b in AGE_BAND_SCHEMES[scope.age_scheme] if b.contains(age))
            if band not in scope.age_bands:
                continue
        found.add(person.pk)
    return found


def _subset(values):
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)).map(tuple)


@st.composite
def scopes(draw):
    scheme = draw(st.sampled_from(sorted(AGE_BAND_SCHEMES)))
    bands = [b.code for b in AGE_BAND_SCHEMES[scheme]] + ["unknown"]
    dates = sorted(draw(st.lists(st.dates(D(2018, 6, 1), D(2025, 6, 1)), min_size=2, max_size=2)))
    return CountScope(
        outcomes=draw(
            st.lists(
                st.sampled_from(
                    ["trained", "briefed", "attended", "completed", "passed", "failed"]
                ),
                unique=True,
                min_size=1,
                max_size=2,
            ).map(tuple)
        ),
        programmes=draw(_subset(sorted(PROGRAMMES))),
        field_offices=draw(_subset(OFFICES)),
        reporting_categories=draw(_subset(["mdsf", "humanitarian"])),
        sexes=draw(_subset(["F", "M", ""])),
        age_scheme=scheme,
        age_bands=draw(_subset(bands)),
        date_from=dates[0] if draw(st.booleans()) else None,
        date_to=dates[1] if draw(st.booleans()) else None,
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_drill_down_equals_the_figure_and_the_plain_count(data):
    if not Participation.objects.exists():
        _registry()
    scope = data.draw(scopes())
    expected = _reference(scope)
    assert people_count(scope=scope) == len(expected)
    assert set(people_in_scope(scope=scope).values_list("pk", flat=True)) == expected
    # every row of a breakdown is a drill-down of its own
    for row in people_breakdown(scope=scope, by="field_office"):
        cell = scope.replace(field_offices=(row.label.lower(),))
        assert people_in_scope(scope=cell).count() == people_count(scope=cell) == row.count
