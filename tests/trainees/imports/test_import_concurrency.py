"""Two imports of overlapping rosters confirmed at the same time create no duplicate person.

Both previews are made first, on an empty registry, so both plan to create the people they
share; the confirms then run in two threads (two database connections). The registry lock
makes the second confirm wait, re-match, and link to the people the first one created.
Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://.../imports).
"""

import threading

import pytest
from django.db import connections

from tests.trainees.factories import TrainingEventFactory
from tests.trainees.imports.rosters import roster_csv
from trainees.imports.services import (
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)
from trainees.models import Identifier, Participation, Person
from trainees.synthetic import generate_people, record_row


def clean_rows(people):
    import random

    rng = random.Random(3)
    rows = []
    for person in people:
        row = record_row(person, rng, noise=0)
        rows.append(row)
    return rows


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_imports_at_once_create_no_duplicate_person(migration_data):
    people = generate_people(50, seed=5, namesake_rate=0)
    rows = clean_rows(people)
    first, second = rows[:30], rows[20:]
    previews = []
    for n, part in enumerate((first, second)):
        roster_import = roster_import_create(
            event=TrainingEventFactory(title=f"Session {n}"),
            file_name=f"roster{n}.csv",
            data=roster_csv(part),
            user=None,
            enqueue=False,
        )
        roster_import = roster_import_analyse(roster_import=roster_import)
        assert roster_import.summary["new"] == len(part)  # both plan to create the overlap
        previews.append(roster_import)

    barrier = threading.Barrier(2)
    errors = []

    def confirm(roster_import):
        try:
            barrier.wait(timeout=10)
            roster_import_confirm(roster_import=roster_import, user=None)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(p,)) for p in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Person.objects.count() == 50
    assert Participation.objects.count() == 60
    strong = Identifier.objects.exclude(type="phone")
    assert strong.count() == strong.values("type", "value_normalised").distinct().count()
    summaries = sorted(
        (p.summary["new"], p.summary["link"])
        for p in type(previews[0]).objects.filter(status="confirmed")
    )
    assert summaries == [(20, 10), (30, 0)]  # one created 30, the other linked 10 of them
