"""The coordinator dashboard with every breakdown at 100,000 people and 1,000,000
participations (docs/design.md budget: under 1 s on PostgreSQL).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports .venv/bin/python bench/reports.py
  .venv/bin/python bench/reports.py            # SQLite file /tmp/bench-reports.sqlite3
Options: --people N (100000) --per-person N (10) --repeat N (3).
The data is bulk-generated once (COPY on PostgreSQL, which fills the counting tables through
their triggers; executemany on SQLite) into the dedicated bench database and reused.
Prints the time of ``report_build`` (every headline, breakdown, new people and people
reached) cold (``cached=False``; also without the breakdowns the dashboard's first response
defers), on the first cached read and warm (from the report cache),
the background re-warm of the default scopes, and the whole dashboard page (charts and
tables) through the test client, cold and warm, with query counts, and the first deferred
breakdown opened after the cold page.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_description

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-reports.sqlite3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

logging.disable(logging.INFO)


def machine() -> str:
    version = ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("select sqlite_version()")
        version = cursor.fetchone()[0]
    return machine_description(f"{connection.vendor} {version}")


def generate(people: int, per_person: int) -> None:
    from lms.accounts.models import FieldOffice
    from trainees.models import (
        AggregateCount,
        AggregateSession,
        Organisation,
        Participation,
        Person,
        Place,
        Programme,
        TrainingEvent,
    )

    if Person.objects.count() >= people:
        print(f"reusing {Person.objects.count()} people, {Participation.objects.count()} rows")
        return
    rng = random.Random(6)
    started = time.perf_counter()
    with transaction.atomic():
        offices = [
            FieldOffice.objects.get_or_create(code=c, defaults={"name": c.title()})[0]
            for c in ("gao", "kidal", "mopti", "tessalit", "timbuktu", "bamako")
        ]
        places = [
            Place.objects.get_or_create(
                name=f"Bench place {i}",
                kind="cercle",
                parent=None,
                defaults={"field_office": offices[i % 6]},
            )[0]
            for i in range(60)
        ]
        programmes = list(Programme.objects.all()) or [
            Programme.objects.create(code="eod_iedd", name_fr="NEDEX", name_en="EOD")
        ]
        orgs = [
            Organisation.objects.get_or_create(
                code=f"bench-org-{i}",
                defaults={
                    "name_fr": f"Unité {i}",
                    "category": ["armed_forces", "police", "ngo", "un"][i % 4],
                    "reporting_category": ["mdsf", "mdsf", "humanitarian", "un"][i % 4],
                },
            )[0]
            for i in range(200)
        ]
        events = []
        for i in range(2000):
            start = datetime.date(2013, 1, 1) + datetime.timedelta(days=rng.randrange(4300))
            place = places[i % 60]
            events.append(
                TrainingEvent(
                    title=f"Bench {i}",
                    programme=programmes[i % len(programmes)],
                    kind=["course", "practical", "briefing"][i % 3],
                    place=place,
                    field_office_id=place.field_office_id,
                    start_date=start,
                    end_date=start,
                )
            )
        events = TrainingEvent.objects.bulk_create(events, batch_size=1000)
    print(f"reference data in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    # Raw rows, written with COPY on PostgreSQL and executemany on SQLite: the ORM's
    # bulk_create of a million instances would take most of an hour on this machine.
    person_cols = [
        "public_id",
        "given_names",
        "family_name",
        "full_name_normalised",
        "given_normalised",
        "family_normalised",
        "name_key",
        "sex",
        "birth_date",
        "birth_year",
        "phone",
        "email",
        "residence",
        "created_at",
        "updated_at",
    ]
    part_cols = [
        "public_id",
        "person_id",
        "event_id",
        "course_title",
        "programme_id",
        "kind",
        "place_id",
        "field_office_id",
        "outcome",
        "date",
        "organisation_id",
        "unit",
        "rank",
        "source",
        "source_file",
        "revision",
        "voided",
        "void_reason",
        "created_at",
        "updated_at",
    ]
    now = datetime.datetime.now(datetime.UTC)
    first_id = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    people_rows, part_rows = [], []
    for n in range(people):
        birth = datetime.date(1960 + n % 45, 1 + n % 12, 1 + n % 28) if n % 5 else None
        year = birth.year if birth else (1980 if n % 10 == 5 else None)
        name = f"P{n}"
        people_rows.append(
            (
                uuid.uuid4(),
                "Bench",
                name,
                f"bench p{n}",
                "bench",
                name.lower(),
                f"bench p{n}",
                ["F", "M", "M", ""][n % 4],
                birth,
                year,
                "",
                "",
                "",
                now,
                now,
            )
        )
        base = rng.randrange(2000)
        for k in range(per_person):
            event = events[(base + 37 * k) % 2000]
            part_rows.append(
                (
                    uuid.uuid4(),
                    first_id + n,
                    event.pk,
                    "",
                    event.programme_id,
                    event.kind,
                    event.place_id,
                    event.field_office_id,
                    rng.choice(("attended", "completed", "passed", "failed")),
                    event.end_date,
                    orgs[rng.randrange(200)].pk,
                    "",
                    "",
                    "manual",
                    "",
                    0,
                    rng.random() < 0.01,
                    "",
                    now,
                    now,
                )
            )
    with transaction.atomic(), connection.cursor() as cursor:
        for table, cols, rows in (
            (
                "trainees_person",
                ["id", *person_cols],
                [(first_id + i, *row) for i, row in enumerate(people_rows)],
            ),
            ("trainees_participation", part_cols, part_rows),
        ):
            names = ", ".join(cols)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                for i in range(0, len(rows), 50_000):
                    # SQLite stores UUIDs as 32 hex digits (as Django does) and has no UUID type.
                    chunk = [
                        tuple(v.hex if isinstance(v, uuid.UUID) else v for v in row)
                        for row in rows[i : i + 50_000]
                    ]
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", chunk)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('trainees_person', 'id'), "
                "(SELECT MAX(id) FROM trainees_person))"
            )
    print(f"\npeople and participations in {time.perf_counter() - started:.1f}s")
    with transaction.atomic():
        for i in range(500):
            session = AggregateSession.objects.create(
                title=f"EORE {i}",
                programme=programmes[0],
                kind="risk_education",
                place=places[i % 60],
                field_office_id=places[i % 60].field_office_id,
                date=datetime.date(2015, 1, 1) + datetime.timedelta(days=i * 7),
            )
            AggregateCount.objects.bulk_create(
                AggregateCount(session=session, sex=sex, age_band=band, count=rng.randrange(50))
                for sex in ("F", "M")
                for band in ("5_12", "13_17", "25_59")
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(machine())
    generate(args.people, args.per_person)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table some time after a bulk load: the visibility map set, so
        # the covering indexes serve index-only scans (a no-op when already vacuumed).
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) trainees_participation, trainees_person, trainees_countfact, "
                "trainees_countperson"
            )
    print(f"load average before measuring: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")

    from lms.accounts.services import roles_sync
    from tests.factories import UserFactory, totp_enable
    from trainees.models import CountsCacheEntry, Participation, Person
    from trainees.reports.cache import report_cache_warm
    from trainees.reports.filters import scope_from_filters
    from trainees.reports.selectors import DEFERRED_DIMENSIONS, report_build, report_frozen

    print(f"people={Person.objects.count()} participations={Participation.objects.count()}")
    cases = {
        "all time": {},
        "year 2022": {"date_from": "2022-01-01", "date_to": "2022-12-31"},
        "2022, Gao": {"date_from": "2022-01-01", "date_to": "2022-12-31", "field_office": "gao"},
    }

    def timed(build) -> tuple[list[float], int, object]:
        times, queries, report = [], 0, None
        for _ in range(args.repeat):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                report = build()
            times.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
        return times, queries, report

    def line(label: str, times: list[float], queries: int, extra: str = "") -> None:
        print(
            f"{label:38}: median {statistics.median(times):.3f}s min {min(times):.3f}s "
            f"queries={queries} {extra}"
        )

    CountsCacheEntry.objects.all().delete()
    for name, filters in cases.items():
        scope = scope_from_filters(filters)
        times, queries, report = timed(
            lambda scope=scope: report_build(scope=scope, figure="trained", cached=False)
        )
        line(
            f"report_build cold (no cache) {name}",
            times,
            queries,
            f"trained={report.headline('trained').value} "
            f"breakdowns={len(report.tables) + 1 + len(report.reached)}",
        )
        times, queries, light = timed(
            lambda scope=scope: report_build(
                scope=scope, figure="trained", cached=False, deferred=DEFERRED_DIMENSIONS
            )
        )
        assert report_frozen(report=light)["headlines"] == report_frozen(report=report)["headlines"]
        line(f"report_build cold, first screen {name}", times, queries)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            report_build(scope=scope, figure="trained")
        line(
            f"report_build first read (build+store) {name}",
            [time.perf_counter() - start],
            len(ctx.captured_queries),
        )
        times, queries, cached = timed(
            lambda scope=scope: report_build(scope=scope, figure="trained")
        )
        assert report_frozen(report=cached) == report_frozen(report=report)
        line(f"report_build warm (cached) {name}", times, queries)

    CountsCacheEntry.objects.all().delete()
    start = time.perf_counter()
    built = report_cache_warm()
    print(
        f"report_cache_warm (default scopes, fr+en): {time.perf_counter() - start:.1f}s "
        f"built={built}"
    )

    print(f"load average after the builds: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    from django.contrib.auth.models import Group, Permission

    roles_sync(group_model=Group, permission_model=Permission)
    user = UserFactory(username=f"bench-{time.time_ns()}", role="coordinator")
    totp_enable(user)
    client = Client()
    client.force_login(user)
    # A serving process has its templates, translations and chart code loaded: one request
    # (a month with its own cache entry) before timing, so "cold" means a cold report cache.
    client.get("/en/reports/", {"date_from": "2013-01-01", "date_to": "2013-01-31"})
    for name, filters in cases.items():
        for state in ("cold", "warm"):
            times, queries = [], 0
            for _ in range(args.repeat if state == "warm" else 1):
                if state == "cold":
                    CountsCacheEntry.objects.all().delete()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get("/en/reports/", filters)
                times.append(time.perf_counter() - start)
                queries = len(ctx.captured_queries)
                assert response.status_code == 200
            line(
                f"dashboard page {state} {name}",
                times,
                queries,
                f"size={len(response.content) // 1024} KB",
            )
            if state == "cold":
                # The first breakdown the first screen left out, opened: the whole report.
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(
                        "/en/reports/breakdown/trained/organisation/",
                        filters,
                        headers={"X-Requested-With": "fetch"},
                    )
                assert response.status_code == 200
                line(
                    f"breakdown opened after it {name}",
                    [time.perf_counter() - start],
                    len(ctx.captured_queries),
                )


if __name__ == "__main__":
    main()
