"""``people_breakdowns`` (several breakdowns in one scan) equals ``people_breakdown`` one by one.

On PostgreSQL the small dimensions are counted with per-person bitmasks in one query; on
SQLite every breakdown is its own query. Both must give exactly the rows of the one-by-one
selector, for every scope, including "not recorded" keys and keys the masks do not know.
"""

import datetime
import itertools
import uuid

import pytest

from tests.factories import FieldOfficeFactory
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.models import Participation
from trainees.selectors.counting import (
    BREAKDOWN_DIMENSIONS,
    CountScope,
    CountScopeError,
    people_breakdown,
    people_breakdowns,
    people_count,
    people_new_and_cumulative,
    people_new_breakdown,
)

pytestmark = pytest.mark.django_db

D = datetime.date
COURSES = (uuid.UUID(int=11), uuid.UUID(int=12))


@pytest.fixture
def registry():
    gao, kidal = FieldOfficeFactory(code="gao"), FieldOfficeFactory(code="kidal")
    places = [PlaceFactory(field_office=gao), PlaceFactory(field_office=kidal)]
    programmes = [ProgrammeFactory(code="eod_iedd"), ProgrammeFactory(code="wam")]
    organisations = [
        OrganisationFactory(code="army"),
        OrganisationFactory(code="ngo", category="ngo", reporting_category="humanitarian"),
        None,
    ]
    people = [
        PersonFactory(sex="F", birth_date=D(2007, 5, 1)),  # 17 in early 2025, 18 after
        PersonFactory(sex="M", birth_date=None, birth_year=1990),
        PersonFactory(sex="", birth_date=None, birth_year=None),
        PersonFactory(sex="F", birth_date=D(1960, 1, 1)),
    ]
    combos = itertools.product(people, programmes, organisations, (D(2021, 3, 1), D(2025, 6, 1)))
    for i, (person, programme, organisation, day) in enumerate(combos):
        if i % 3 == 2:
            continue
        place = places[i % 2]
        event = TrainingEventFactory(
            programme=programme, place=place, start_date=day, kind=("course", "briefing")[i % 2]
        )
        ParticipationFactory(
            person=person,
            event=event,
            organisation=organisation,
            outcome=("completed", "passed", "attended", "failed")[i % 4],
        )
    # Online rows (no programme, place or field office) and a kind the masks do not know.
    ParticipationFactory(person=people[0], event=None, date=D(2023, 1, 1))
    ParticipationFactory(person=people[2], event=None, date=D(2025, 2, 1), outcome="passed")
    # Online courses: one recorded under two titles (the greatest is the row's label).
    for person, course, title, day in (
        (people[3], COURSES[0], "Stockpile safety", D(2025, 3, 1)),
        (people[1], COURSES[0], "Stockpile safety (v2)", D(2021, 7, 1)),
        (people[0], COURSES[1], "Risk education", D(2025, 8, 1)),
    ):
        ParticipationFactory(
            person=person,
            event=None,
            date=day,
            outcome="completed",
            course_public_id=course,
            course_title=title,
        )
    odd = ParticipationFactory(
        person=people[1], event=TrainingEventFactory(start_date=D(2022, 1, 1))
    )
    Participation.objects.filter(pk=odd.pk).update(kind="workshop")


SCOPES = [
    CountScope(),
    CountScope(outcomes=("attended",)),
    CountScope(outcomes=("briefed", "failed")),
    CountScope(date_from=D(2025, 1, 1), date_to=D(2025, 12, 31)),
    CountScope(field_offices=("gao",), outcomes=("attended",)),
    CountScope(sexes=("F", ""), outcomes=("attended",)),
    CountScope(age_scheme="fine", outcomes=("attended",)),
    CountScope(age_bands=("under_18",), outcomes=("attended",)),
    CountScope(programmes=("wam",), date_to=D(2020, 1, 1)),  # nobody
    CountScope(date_from=D(2022, 1, 1), outcomes=("attended",)),
    CountScope(date_from=D(2021, 1, 1), courses=(COURSES[0],)),
    # Read from the per-person summaries on PostgreSQL (no filter but the figure).
    CountScope(outcomes=("briefed",)),
    CountScope(age_scheme="fine"),
    CountScope(date_to=D(2024, 12, 31)),
]


@pytest.mark.parametrize("scope", SCOPES, ids=range(len(SCOPES)))
def test_every_breakdown_equals_the_one_by_one_selector(registry, scope):
    dimensions = tuple(BREAKDOWN_DIMENSIONS)
    together = people_breakdowns(scope=scope, by=dimensions)
    assert list(together) == list(dimensions)
    assert together.total == people_count(scope=scope)
    for by in dimensions:
        alone = people_breakdown(scope=scope, by=by)
        assert list(together[by]) == list(alone), by
        assert together[by].overlapping == alone.overlapping


@pytest.mark.parametrize("scope", SCOPES, ids=range(len(SCOPES)))
def test_the_counting_table_gives_the_figures_of_the_participations(registry, scope, monkeypatch):
    """PostgreSQL counts from ``CountFact`` and, without filters, from ``CountPerson``;
    read from the participations instead (the source their triggers copy), every figure is
    the same."""
    from trainees.selectors.counting import queries

    dimensions = tuple(BREAKDOWN_DIMENSIONS)
    from_table = people_breakdowns(scope=scope, by=dimensions, new_period="year")
    since_table = people_new_and_cumulative(scope=scope, period="month")
    monkeypatch.setattr(queries, "counting_facts", lambda: False)
    from_source = people_breakdowns(scope=scope, by=dimensions, new_period="year")
    assert from_source.total == from_table.total
    assert list(from_source.new) == list(from_table.new)
    for by in dimensions:
        assert list(from_source[by]) == list(from_table[by]), by
    new, since = people_new_and_cumulative(scope=scope, period="month")
    assert (list(new), since) == (list(since_table[0]), since_table[1])


@pytest.mark.parametrize("scope", SCOPES, ids=range(len(SCOPES)))
def test_new_people_and_since_the_start_equal_their_own_selectors(registry, scope):
    together = people_breakdowns(scope=scope, by=("sex", "course"), new_period="year")
    assert list(together.new) == list(people_new_breakdown(scope=scope, period="year"))
    for period in ("year", "month"):
        new, since = people_new_and_cumulative(scope=scope, period=period)
        assert list(new) == list(people_new_breakdown(scope=scope, period=period))
        assert since == people_count(scope=scope.replace(date_from=None))
    assert people_breakdowns(scope=scope, by=("sex",)).new is None


def test_course_rows_carry_their_greatest_title(registry):
    rows = people_breakdowns(scope=CountScope(), by=("course",))["course"]
    assert {row.key: (row.label, row.count) for row in rows if row.key} == {
        COURSES[0]: ("Stockpile safety (v2)", 2),
        COURSES[1]: ("Risk education", 1),
    }


def test_the_registry_has_what_the_comparison_needs(registry):
    """The comparison above is only worth something if the rows are varied."""
    scope = CountScope(outcomes=("attended",))
    kinds = {row.key for row in people_breakdown(scope=scope, by="kind")}
    assert kinds == {"course", "briefing", "online", "workshop"}
    assert None in {row.key for row in people_breakdown(scope=scope, by="field_office")}
    assert {row.key for row in people_breakdown(scope=scope, by="sex")} == {"F", "M", None}
    assert people_count(scope=scope) == 4


def test_an_empty_registry_has_empty_breakdowns():
    together = people_breakdowns(scope=CountScope(), by=tuple(BREAKDOWN_DIMENSIONS))
    assert together.total == 0
    assert all(list(rows) == [] for rows in together.values())


def test_an_unknown_breakdown_is_refused():
    with pytest.raises(CountScopeError) as error:
        people_breakdowns(scope=CountScope(), by=("programme", "shoe_size"))
    assert error.value.message == "Unknown breakdown: shoe_size."
