"""Properties of the import (issue 5), on synthetic rosters drawn by hypothesis."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.trainees.factories import TrainingEventFactory
from tests.trainees.imports.rosters import roster_csv
from trainees.imports.models import RosterImport, RosterRow
from trainees.imports.services import (
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)
from trainees.models import Identifier, MatchDecision, Participation, Person
from trainees.review.models import ReviewPair
from trainees.synthetic import generate_people, generate_rosters

PROPERTY = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def wipe():
    for model in (MatchDecision, ReviewPair, RosterRow, RosterImport, Participation, Identifier):
        model.objects.all().delete()
    Person.objects.all().delete()


def roster(seed: int, size: int, duplicates: float) -> list[dict]:
    people = generate_people(size, seed=seed)
    return generate_rosters(people, 1, size, seed=seed + 1, duplicate_rate=duplicates)[0]


def import_rows(rows, event, name="roster.csv"):
    roster_import = roster_import_create(
        event=event, file_name=name, data=roster_csv(rows), user=None, enqueue=False
    )
    roster_import = roster_import_analyse(roster_import=roster_import)
    assert roster_import.status == "ready", roster_import.problems[:3]
    return roster_import_confirm(roster_import=roster_import, user=None)


def registry_state():
    return (
        sorted(Person.objects.values_list("pk", "given_names", "family_name", "birth_year")),
        sorted(Participation.objects.values_list("pk", "person_id", "event_id", "outcome")),
        sorted(Identifier.objects.values_list("person_id", "type", "value_normalised")),
        ReviewPair.objects.count(),
    )


@PROPERTY
@given(seed=st.integers(0, 10_000), size=st.integers(1, 25), duplicates=st.sampled_from([0, 0.2]))
def test_reimporting_a_file_changes_nothing(db, seed, size, duplicates):
    wipe()
    event = TrainingEventFactory()
    rows = roster(seed, size, duplicates)
    import_rows(rows, event)
    before = registry_state()
    again = import_rows(rows, event)
    assert again.status == "unchanged"
    assert registry_state() == before


@PROPERTY
@given(seed=st.integers(0, 10_000), size=st.integers(2, 25), shuffle=st.integers(0, 1000))
def test_the_order_of_rows_does_not_change_the_number_of_people(db, seed, size, shuffle):
    rows = roster(seed, size, 0.2)
    shuffled = rows[:]
    random.Random(shuffle).shuffle(shuffled)
    counts = []
    for version in (rows, shuffled):
        wipe()
        imported = import_rows(version, TrainingEventFactory())
        counts.append(
            (imported.summary["people"], Person.objects.count(), Participation.objects.count())
        )
    assert counts[0] == counts[1]
