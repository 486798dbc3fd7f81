"""Property: for every cell of every breakdown of a generated registry, the drill-down has
exactly as many people as the number (the same scope, the same column)."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.reports.filters import scope_from_filters
from trainees.reports.selectors import report_build
from trainees.review.services import person_merge
from trainees.selectors.counting import people_in_row, people_in_scope

participation = st.fixed_dictionaries(
    {
        "person": st.integers(0, 7),
        "event": st.integers(0, 4),
        "outcome": st.sampled_from(["attended", "completed", "passed", "failed"]),
        "organisation": st.sampled_from([None, 0, 1, 2]),
        "voided": st.booleans(),
    }
)


def build_registry(rows, births, merge) -> None:
    """A small registry from generated rows (also used by the restatement property)."""
    programmes = [
        ProgrammeFactory(code="eod_iedd"),
        ProgrammeFactory(code="aware", qualifying_outcomes=["attended", "completed"]),
    ]
    parent = OrganisationFactory(code="p-army")
    orgs = [
        parent,
        OrganisationFactory(code="p-unit", parent=parent),
        OrganisationFactory(code="p-ngo", category="ngo", reporting_category="humanitarian"),
    ]
    region = PlaceFactory(name="Region")
    places = [region, PlaceFactory(name="Cercle", parent=region, kind="cercle")]
    events = [
        TrainingEventFactory(
            programme=programmes[i % 2],
            kind=["course", "briefing", "practical"][i % 3],
            place=places[i % 2],
            start_date=datetime.date(2019 + i, 1 + 2 * i, 28),
        )
        for i in range(5)
    ]
    people = [
        PersonFactory(
            sex=["F", "M", ""][i % 3],
            birth_date=births[i],
            birth_year=births[i].year if births[i] else (1980 if i == 7 else None),
        )
        for i in range(8)
    ]
    seen = set()
    for row in rows:
        if (row["person"], row["event"]) in seen:
            continue
        seen.add((row["person"], row["event"]))
        org = orgs[row["organisation"]] if row["organisation"] is not None else None
        ParticipationFactory(
            person=people[row["person"]],
            event=events[row["event"]],
            outcome=row["outcome"],
            organisation=org,
            voided=row["voided"],
        )
    if merge:
        person_merge(survivor=people[0], merged=people[1], user=None, reason="test")


class DrillDownEqualsFigure(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        rows=st.lists(participation, min_size=1, max_size=25),
        births=st.lists(
            st.one_of(st.none(), st.dates(datetime.date(1950, 1, 1), datetime.date(2012, 1, 1))),
            min_size=8,
            max_size=8,
        ),
        merge=st.booleans(),
        figure=st.sampled_from(["trained", "attended", "briefed"]),
    )
    def test_every_cell(self, rows, births, merge, figure):
        build_registry(rows, births, merge)
        for scheme in ("default", "fine"):
            scope = scope_from_filters({"figure": figure, "age_scheme": scheme})
            report = report_build(scope=scope, figure=figure)
            assert people_in_scope(scope=scope).count() == report.tables[0].total
            for table in [*report.tables, report.new_people]:
                for cell in table.rows:
                    found = people_in_row(scope=scope, by=table.by, key=cell.key).count()
                    assert found == cell.count, (table.by, cell)
