"""The registry's statement consumer: what it adds to storing a batch of statements.

Usage (from the repository root)::

    .venv/bin/python bench/registry_consumer.py --batch 1000

Uses a dedicated PostgreSQL database (``bench_registry_consumer``, created and migrated
here). Stores batches of statements through the platform's emitter (one insert a batch; the
consumer runs after the commit, as for a POST) and prints seconds per batch: statements that
are no course outcome (launched), which the consumer sorts out without a query, and
"completed" about a course, one new online participation each. Best of 3.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine_description  # noqa: E402

PG_URL = "postgres://postgres@127.0.0.1:5432/bench_registry_consumer"


def setup() -> None:
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "bench_registry_consumer"],
        capture_output=True,
        check=False,
    )
    os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def store(verb, kind: str, people: list, course_key: uuid.UUID) -> float:
    from django.db import transaction

    from lms.xapi.emitter import ActivityRef, statements_emit_many

    activity = ActivityRef(kind=kind, uuid=course_key, name={"fr": "Cours", "en": "Course"})
    events = [
        {
            "event_key": f"bench:{uuid.uuid4()}",
            "person_uuid": person.public_id,
            "verb": verb,
            "activity": activity,
            "registration": uuid.uuid4(),
        }
        for person in people
    ]
    start = time.perf_counter()
    with transaction.atomic():
        statements_emit_many(events)
    return time.perf_counter() - start  # the on-commit consumer ran inside the block's exit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    setup()
    from lms.xapi.emitter import Verb
    from trainees.models import Person
    from trainees.services import person_names_normalised

    people = list(Person.objects.filter(given_names="Bench")[: args.batch])
    if len(people) < args.batch:
        new = [
            Person(
                given_names="Bench",
                family_name=f"Person{i}",
                **person_names_normalised(given_names="Bench", family_name=f"Person{i}"),
            )
            for i in range(len(people), args.batch)
        ]
        Person.objects.bulk_create(new)
        people = list(Person.objects.filter(given_names="Bench")[: args.batch])
    print(machine_description())
    for label, verb, kind in (
        ("launched (no course outcome)", Verb.LAUNCHED, "module"),
        ("completed about a course", Verb.COMPLETED, "course"),
    ):
        best = min(store(verb, kind, people, uuid.uuid4()) for _ in range(3))
        print(
            f"{label}: batch of {args.batch} stored and consumed in {best:.2f} s "
            f"({args.batch / best:.0f} statements/s)"
        )


if __name__ == "__main__":
    main()
