"""Registry benchmarks (issue 5): import and match a 1,000-row roster into a registry of
100,000 people (target < 10 s), and a full duplicate scan of 100,000 people (target < 2 min).

    .venv/bin/python bench/registry.py      # SQLite, /tmp/reg_import_bench/bench_registry.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_registry \
        .venv/bin/python bench/registry.py

Options: --people N (default 100000), --rows N (default 1000), --history N (roster rows
already in the registry, each another record of its person, as earlier imports leave them;
default 1.5 a person), --keep (reuse the registry built by an earlier run), --skip-scan
(imports only). Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine_description  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/reg_import_bench/bench_registry.sqlite3")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    return machine_description()


def build_registry(n: int) -> list[dict]:
    from tests.trainees.imports.rosters import registry_insert
    from trainees.models import Person
    from trainees.synthetic import generate_people, registry_rows

    people = generate_people(n, seed=2026)
    Person.objects.all().delete()
    registry_insert(registry_rows(people, seed=2026))
    return people


def history_insert(people: list[dict], rows: int) -> int:
    """``rows`` roster rows of earlier imports, each linked to the registry person it was:
    the other records a person is matched through (as ``roster_import_confirm`` stores them,
    name key and birth year included)."""
    import random

    from trainees.imports.models import ImportStatus, RosterImport, RosterRow, RowAction
    from trainees.imports.registry import row_match_keys
    from trainees.models import Person
    from trainees.synthetic import _variants_table, record_row

    if rows <= 0:
        return 0
    pks = list(Person.objects.order_by("pk").values_list("pk", flat=True)[: len(people)])
    earlier = RosterImport.objects.create(file_name="history.csv", status=ImportStatus.CONFIRMED)
    rng = random.Random(2027)
    table = _variants_table()
    batch = []
    for number in range(rows):
        i = rng.randrange(len(pks))
        row = record_row(people[i], rng, noise=1.0, table=table, identifier_rate=0.4)
        values = {
            "given_names": row.get("given_names"),
            "family_name": row.get("family_name"),
            "full_name": row.get("full_name"),
            "sex": row.get("sex"),
            "birth_date": row["birth_date"].isoformat() if row.get("birth_date") else None,
            "birth_year": row.get("birth_year"),
            "organisation": row.get("organisation"),
            "identifiers": row.get("identifiers") or {},
        }
        name_key, birth_year = row_match_keys(values)
        batch.append(
            RosterRow(
                roster_import=earlier, row_number=number + 1, values=values,
                action=RowAction.LINK, person_id=pks[i], name_key=name_key,
                birth_year=birth_year,
            )
        )  # fmt: skip
        if len(batch) >= 5000:
            RosterRow.objects.bulk_create(batch)
            batch = []
    RosterRow.objects.bulk_create(batch)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--history", type=float, default=1.5, help="roster rows a person")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--skip-scan", action="store_true", help="imports only")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        _ensure_postgres_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tests.trainees.imports.rosters import roster_csv
    from trainees.imports.models import RosterImport, RosterRow
    from trainees.imports.services import (
        roster_import_analyse,
        roster_import_confirm,
        roster_import_create,
    )
    from trainees.imports.warm import warm_index_stats
    from trainees.models import MatchDecision, Participation, Person, Programme, TrainingEvent
    from trainees.review.models import ReviewPair
    from trainees.review.services import duplicate_scan_run
    from trainees.synthetic import generate_people, generate_rosters

    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"Machine: {machine()}; database: {vendor} {version}")

    from trainees.models import MergeBatch
    from trainees.review.models import Merge

    # An earlier run's scan may have merged people: the registry goes back as built.
    Person.objects.update(merged_into=None)
    for model in (Merge, MergeBatch, MatchDecision, ReviewPair, RosterRow, RosterImport):
        model.objects.all().delete()
    Participation.objects.all().delete()
    TrainingEvent.objects.filter(title__startswith="Bench").delete()
    t = time.perf_counter()
    if args.keep and Person.objects.count() >= args.people:
        # Back to the registry as built: people added by an earlier run's imports go.
        last = Person.objects.order_by("pk").values_list("pk", flat=True)[args.people - 1]
        Person.objects.filter(pk__gt=last).delete()
        people = generate_people(args.people, seed=2026)
    else:
        people = build_registry(args.people)
    history = history_insert(people, int(args.history * len(people)))
    print(
        f"Registry: {Person.objects.count():,} people and {history:,} roster rows of earlier "
        f"imports ready in {time.perf_counter() - t:.1f} s"
    )

    programme = Programme.objects.get_or_create(
        code="bench", defaults={"name_fr": "Bench", "name_en": "Bench"}
    )[0]
    import datetime

    # Three imports in one process: the first with the per-file partial index (the warm index
    # switched off: how every import ran before), the second builds the warm matching index
    # (what the first import after a worker starts pays), the third finds it warm and only
    # updates it with the people the second one added.
    from django.conf import settings

    runs = ((0, "partial index, no warm index", False), (1, "cold index", True))
    runs += ((2, "warm index", True),)
    for n, label, warm in runs:
        settings.REGISTRY_WARM_INDEX = warm
        roster = generate_rosters(people, 1, args.rows, seed=7 + n)[0]
        event = TrainingEvent.objects.create(
            title=f"Bench {n}",
            programme=programme,
            kind="course",
            start_date=datetime.date(2026, 5, 4),
            end_date=datetime.date(2026, 5, 8),
        )
        t0, c0 = time.perf_counter(), time.process_time()
        roster_import = roster_import_create(
            event=event,
            file_name=f"bench{n}.csv",
            data=roster_csv(roster),
            user=None,
            enqueue=False,
        )
        roster_import = roster_import_analyse(roster_import=roster_import)
        t1, c1 = time.perf_counter(), time.process_time()
        assert roster_import.status == "ready", roster_import.problems[:3]
        index_use = warm_index_stats["last"] if warm else "partial"
        roster_import = roster_import_confirm(roster_import=roster_import, user=None)
        t2, c2 = time.perf_counter(), time.process_time()
        s = roster_import.summary
        print(
            f"Import {n + 1} ({label}: {index_use}) of {args.rows:,} rows into "
            f"{args.people:,} people: preview (read, validate, match) {t1 - t0:.2f} s + "
            f"confirm (re-match, write) {t2 - t1:.2f} s = {t2 - t0:.2f} s (target < 10 s); "
            f"{s['link']} linked, {s['new']} new, {s['review']} to review, {s['same']} "
            f"repeated rows; "
            f"{'re-matched at confirm' if s['rematched'] else 'preview plan reused at confirm'}"
            f"; CPU time of this process {c1 - c0:.2f} s + {c2 - c1:.2f} s"
            f"; peak memory of the process {_peak_mb():.0f} MB"
            f"; load average {os.getloadavg()[0]:.1f}"
        )
    if args.skip_scan:
        return

    ReviewPair.objects.all().delete()
    t3 = time.perf_counter()
    result = duplicate_scan_run()
    t4 = time.perf_counter()
    print(
        f"Duplicate scan of {result['people']:,} people: {t4 - t3:.1f} s (target < 120 s), "
        f"{result['pairs']:,} candidate pairs"
    )


if __name__ == "__main__":
    main()
