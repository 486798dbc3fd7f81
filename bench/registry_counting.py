"""Counting selector at scale: people_count, every breakdown, new people, drill-down.

Usage (from the repository root)::

    .venv/bin/python bench/registry_counting.py --db sqlite
    .venv/bin/python bench/registry_counting.py --db postgres --people 100000 --rows 1000000

Uses a dedicated database (PostgreSQL ``bench_registry_counting``, created here, or
/tmp/bench_registry_counting.sqlite3), migrates it and bulk-generates people, events and
participations directly (no statements: the selector never reads the LRS). Re-running with the
same sizes reuses the data. Prints machine info and timings (best of 3) in seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine_description  # noqa: E402

PG_URL = "postgres://postgres@127.0.0.1:5432/bench_registry_counting"
SQLITE_URL = "sqlite:////tmp/bench_registry_counting.sqlite3"
EVENTS = 10_000


def machine() -> str:
    return machine_description()


def setup(db: str) -> None:
    if db == "postgres":
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "bench_registry_counting"],
            capture_output=True,
        )
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = SQLITE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _vacuum() -> None:
    """What autovacuum does in production after a bulk load: statistics and hint bits."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def generate(people: int, rows: int) -> None:
    from django.db import connection, transaction

    from lms.accounts.models import FieldOffice
    from trainees.models import Organisation, Participation, Person, Place, Programme, TrainingEvent

    if Person.objects.count() == people and Participation.objects.count() == rows:
        print(f"reusing {people} people and {rows} participations", flush=True)
        _vacuum()
        return
    started = time.perf_counter()
    with transaction.atomic():
        Participation.objects.all().delete()
        TrainingEvent.objects.all().delete()
        Person.objects.update(merged_into=None)
        Person.objects.all().delete()
    rng = random.Random(1)
    offices = [
        FieldOffice.objects.get_or_create(code=c, defaults={"name": c.title()})[0]
        for c in ("bamako", "gao", "kidal", "mopti", "tessalit", "timbuktu")
    ]
    places = [
        Place.objects.get_or_create(name=o.name, kind="region", parent=None, field_office=o)[0]
        for o in offices
    ]
    organisations = list(Organisation.objects.all())
    for i, category in enumerate(["peacekeeping_contingent", "ngo", "community", "driver"]):
        organisations.append(
            Organisation.objects.get_or_create(
                code=f"bench-{i}",
                defaults={"name_fr": category, "category": category, "reporting_category": "other"},
            )[0]
        )
    programmes = list(Programme.objects.all())
    batch = []
    for i in range(people):
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58))
        kind = rng.random()
        batch.append(
            Person(
                given_names=f"G{i}",
                family_name=f"F{i % 5000}",
                family_normalised=f"f{i % 5000}",
                given_normalised=f"g{i}",
                sex=rng.choice("FMM"),
                birth_date=birth if kind < 0.7 else None,
                birth_year=birth.year if kind < 0.9 else None,
            )
        )
    Person.objects.bulk_create(batch, batch_size=5000)
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    merged = rng.sample(ids[len(ids) // 2 :], len(ids) // 50)  # 2% merged into the first half
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE trainees_person SET merged_into_id = %s WHERE id = %s",
            [(rng.choice(ids[: len(ids) // 2]), pk) for pk in merged],
        )
    events = []
    for i in range(EVENTS):
        start = date(2013, 1, 1) + timedelta(days=rng.randrange(365 * 13))
        place = rng.choice(places)
        events.append(
            TrainingEvent(
                title=f"Event {i}",
                programme=rng.choice(programmes),
                kind=rng.choice(["course", "course", "practical", "briefing"]),
                place=place,
                field_office=place.field_office,
                start_date=start,
                end_date=start,
            )
        )
    TrainingEvent.objects.bulk_create(events, batch_size=5000)
    events = list(TrainingEvent.objects.all())
    seen: set[tuple[int, int]] = set()
    outcomes = ["attended", "completed", "passed", "passed", "failed"]
    created = 0
    while created < rows:
        chunk = []
        while len(chunk) < 20_000 and created + len(chunk) < rows:
            person = rng.choice(ids)
            event = rng.choice(events)
            if (person, event.pk) in seen:
                continue
            seen.add((person, event.pk))
            chunk.append(
                Participation(
                    person_id=person,
                    event=event,
                    programme_id=event.programme_id,
                    kind=event.kind,
                    place_id=event.place_id,
                    field_office_id=event.field_office_id,
                    outcome=rng.choice(outcomes),
                    date=event.end_date,
                    organisation=rng.choice(organisations),
                    source="roster",
                    voided=rng.random() < 0.01,
                )
            )
        Participation.objects.bulk_create(chunk, batch_size=5000)
        created += len(chunk)
    _vacuum()
    elapsed = time.perf_counter() - started
    print(f"generated {people} people and {rows} participations in {elapsed:.0f} s", flush=True)


def best(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def measure() -> None:
    print(f"load average before measuring: {os.getloadavg()[0]:.1f}", flush=True)
    from trainees.selectors import (
        CountScope,
        participations_count,
        people_breakdown,
        people_count,
        people_in_scope,
        people_new_breakdown,
    )
    from trainees.selectors.counting import BREAKDOWN_DIMENSIONS

    trained = CountScope()
    scopes = {
        "trained, all time": trained,
        "trained, EOD/IEDD 2022": CountScope(
            programmes=("eod_iedd",), date_from=date(2022, 1, 1), date_to=date(2022, 12, 31)
        ),
        "trained, Gao, women, under 18 (fine bands)": CountScope(
            field_offices=("gao",), sexes=("F",), age_scheme="fine", age_bands=("13_17",)
        ),
        "attended, MDSF": CountScope(outcomes=("attended",), reporting_categories=("mdsf",)),
    }
    print(f"participations (rows, trained): {participations_count(scope=trained)}", flush=True)
    for label, scope in scopes.items():
        n = people_count(scope=scope)
        t = best(lambda s=scope: people_count(scope=s))
        print(f"people_count   {label:<45} {t:7.3f} s  ({n})", flush=True)
    for label, scope in list(scopes.items())[1:3]:
        t = best(lambda s=scope: people_in_scope(scope=s).count())
        print(f"people_in_scope.count {label:<38} {t:7.3f} s", flush=True)
    total = 0.0
    for by in BREAKDOWN_DIMENSIONS:
        t = best(lambda b=by: people_breakdown(scope=trained, by=b), repeat=2)
        total += t
        print(f"people_breakdown by {by:<25} {t:7.3f} s", flush=True)
    t = best(lambda: people_new_breakdown(scope=trained, period="year"), repeat=2)
    total += t
    print(f"people_new_breakdown by year           {t:7.3f} s", flush=True)
    print(f"every breakdown + new people, total    {total:7.3f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    setup(args.db)
    from django.db import connection

    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
    print(f"{machine()} database={connection.vendor} {version}", flush=True)
    generate(args.people, args.rows)
    measure()


if __name__ == "__main__":
    main()
