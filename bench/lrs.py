"""LRS throughput and latency against a running server (docs/design.md budgets: batch POST in
the thousands of statements per second on PostgreSQL; filtered GET p95 < 100 ms at
1,000,000 statements).

Usage:
  .venv/bin/python bench/lrs.py --db postgres --sizes 100000,1000000 --workers 2
  .venv/bin/python bench/lrs.py --db sqlite --sizes 100000
  .venv/bin/python bench/lrs.py --db postgres --url http://127.0.0.1:8000  (server already up)

Uses a dedicated database (PostgreSQL ``bench_lrs``, created here, or /tmp/bench_lrs.sqlite3),
migrates it, pre-loads statements through the store service (consumers switched off), then
starts gunicorn on 127.0.0.1 (unless --url) and measures over HTTP with threads.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine_description  # noqa: E402

PG_URL = "postgres://postgres@127.0.0.1:5432/bench_lrs"
SQLITE_URL = "sqlite:////tmp/bench_lrs.sqlite3"
SITE = "http://127.0.0.1:8000"
ACTORS = 20_000
COURSES = 200
MODULES_PER_COURSE = 10
STARTED = datetime(2026, 12, 1, tzinfo=UTC)
VERBS = [
    "http://adlnet.gov/expapi/verbs/" + name
    for name in ("experienced", "attempted", "answered", "passed", "failed", "completed")
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--sizes", default="100000", help="stored statements, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="concurrent POST clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="per POST measurement")
    parser.add_argument("--gets", type=int, default=200, help="requests per GET query type")
    parser.add_argument("--url", default=None, help="a running server; else gunicorn is started")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--pg-name", default="bench_lrs", help="PostgreSQL database name")
    parser.add_argument(
        "--copy-from",
        type=int,
        default=0,
        help="build this many statements through the store service, then reach each size "
        "by copying them in SQL (fast; same data mix)",
    )
    parser.add_argument(
        "--refs",
        type=int,
        default=0,
        help="then store this many statements referring to stored ones (StatementRef)",
    )
    parser.add_argument(
        "--preload-only",
        action="store_true",
        help="only build the data up to the largest size (no server, no measurement)",
    )
    return parser.parse_args()


def machine(db_label: str) -> str:
    return machine_description(db_label)


def database_prepare(args) -> str:
    if args.db == "postgres":
        import psycopg

        name = args.pg_name
        if not name.replace("_", "").isalnum():
            raise SystemExit("--pg-name: letters, digits and underscores only")
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            exists = c.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone()
            if exists and args.fresh:
                c.execute(f"DROP DATABASE {name}")
                exists = None
            if not exists:
                c.execute(f"CREATE DATABASE {name}")
        return PG_URL.rsplit("/", 1)[0] + "/" + name
    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path("/tmp/bench_lrs.sqlite3" + suffix).unlink(missing_ok=True)
    return SQLITE_URL


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["SITE_URL"] = SITE
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def credentials() -> tuple[str, str]:
    from lms.xapi.models import LRSClient

    client = LRSClient.objects.filter(name="bench").first()
    if client is None:
        client = LRSClient(name="bench", scopes=["all"])
    secret = "bench-secret"
    # The server runs production settings (PBKDF2); this process runs test settings.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    client.secret_hash = PBKDF2PasswordHasher().encode(secret, "benchsalt")
    client.save()
    return client.key, secret


# -- data ------------------------------------------------------------------------------------


def actor(index: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": SITE, "name": f"person-{index}"}}


def course_iri(index: int) -> str:
    return f"{SITE}/xapi/activities/course/{uuid.UUID(int=index + 1)}"


def module_iri(course: int, module: int) -> str:
    return f"{SITE}/xapi/activities/module/{uuid.UUID(int=(course + 1) * 1000 + module)}"


def registration(actor_index: int, course: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{actor_index}/{course}"))


VERB_FR = {
    "experienced": "a consulté",
    "attempted": "a tenté",
    "completed": "a terminé",
    "passed": "a réussi",
    "failed": "a échoué",
}
CMI5_CATEGORY = {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}


def make_statement(rng: random.Random) -> dict:
    """A statement as the clients that post here send one (cmi5 players, authoring tools,
    the offline sync): their own id and timestamp, a verb and an activity named in French
    and English, a result with score and duration, a context with registration, course,
    programme, cmi5 category, platform, language and an extension."""
    person = rng.randrange(ACTORS)
    course = rng.randrange(COURSES)
    module = rng.randrange(MODULES_PER_COURSE)
    verb = rng.choice(VERBS)
    verb_name = verb.rsplit("/", 1)[1]
    moment = STARTED - timedelta(
        seconds=rng.randrange(86_400 * 365), milliseconds=rng.randrange(1000)
    )
    data = {
        "id": str(uuid.uuid4()),  # a client-made id; never repeated across runs
        "actor": actor(person),
        "verb": {"id": verb, "display": {"en": verb_name, "fr": VERB_FR.get(verb_name, verb_name)}},
        "object": {
            "objectType": "Activity",
            "id": module_iri(course, module),
            "definition": {
                "name": {
                    "en": f"Module {module}: safe approach",
                    "fr": f"Module {module} : approche sûre",
                },
                "description": {
                    "en": "Marking and reporting explosive ordnance found near a road.",
                    "fr": "Signaler et baliser un engin explosif trouvé près d'une route.",
                },
                "type": "http://adlnet.gov/expapi/activities/module",
            },
        },
        "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
        "context": {
            "registration": registration(person, course),
            "contextActivities": {
                "parent": [{"id": course_iri(course), "objectType": "Activity"}],
                "grouping": [
                    {"id": f"{SITE}/xapi/activities/programme/{uuid.UUID(int=course % 7 + 1)}"}
                ],
                "category": [CMI5_CATEGORY],
            },
            "platform": "Plateforme de formation (hors ligne)",
            "language": rng.choice(("fr-ML", "fr", "en")),
            "extensions": {
                "https://w3id.org/xapi/cmi5/context/extensions/sessionid": str(uuid.uuid4())
            },
        },
        "version": "1.0.3",
    }
    if verb in VERBS[3:]:
        raw = rng.randrange(0, 21)
        data["result"] = {
            "success": verb != VERBS[4],
            "completion": True,
            "score": {"raw": raw, "min": 0, "max": 20, "scaled": raw / 20},
            "duration": f"PT{rng.randrange(1, 59)}M{rng.randrange(0, 59)}.{rng.randrange(99):02d}S",
        }
    return data


def preload(target: int, rng: random.Random) -> None:
    """Store statements through the store service (the same code path as POST, without
    HTTP and without validation) until ``target`` are stored."""
    from lms.xapi import hooks
    from lms.xapi.emitter import platform_authority
    from lms.xapi.models import Statement
    from lms.xapi.services import statement_store

    saved = {phase: list(items) for phase, items in hooks._CONSUMERS.items()}
    for items in hooks._CONSUMERS.values():
        items.clear()
    try:
        count = Statement.objects.count()
        started, start_count = time.perf_counter(), count
        while count < target:
            size = min(2000, target - count)
            # The statements are built here, valid by construction: the spec validation
            # (measured by the POST figures) is skipped to build a million rows faster.
            statement_store(
                statements=[make_statement(rng) for _ in range(size)],
                authority=platform_authority(),
                validated=True,
            )
            count += size
            if count % 100_000 < size:
                rate = (count - start_count) / (time.perf_counter() - started)
                print(f"  pre-loaded {count:,} statements ({rate:,.0f}/s in-process)", flush=True)
    finally:
        for phase, items in saved.items():
            hooks._CONSUMERS[phase][:] = items

    analyze()


def analyze() -> None:
    """Fresh planner statistics on both databases; on PostgreSQL also the visibility map
    (VACUUM), as autovacuum leaves a table at rest, so index-only scans stay index-only."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def preload_copy(target: int) -> None:
    """Grow the table to ``target`` statements by copying the statements already stored
    (built by ``preload``), in SQL, with new ids: the same mix of actors, verbs, activities
    and registrations, a million rows in minutes instead of an hour on a loaded machine.
    Each copy gets a new random id (in its column and in its JSON); its index rows are
    copied with it."""
    from django.db import connection, transaction

    from lms.xapi.models import Statement

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(seq), MAX(seq), COUNT(*) FROM xapi_statement")
        low, high, count = cursor.fetchone()
    if count >= target:
        return
    started, start_count = time.perf_counter(), count
    pg = connection.vendor == "postgresql"
    if pg:
        new_id = "gen_random_uuid()"
        old_text, new_text = "s.statement_id::text", "nid::text"
    else:
        new_id = "lower(hex(randomblob(16)))"

        def dashed(column: str) -> str:
            return (
                f"substr({column},1,8)||'-'||substr({column},9,4)||'-'||substr({column},13,4)"
                f"||'-'||substr({column},17,4)||'-'||substr({column},21,12)"
            )

        old_text, new_text = dashed("s.statement_id"), dashed("nid")
    columns = [
        "verb_id",
        "object_activity_id",
        "object_statement_id",
        "actor_key",
        "authority_key",
        "registration",
        "timestamp",
        "stored",
        "voided",
        "is_voiding",
    ]
    names = ", ".join(columns)
    src_low = low
    while count < target:
        with transaction.atomic(), connection.cursor() as cursor:
            # Up to 50,000 source rows (fewer near the target), copied with seq + shift.
            cursor.execute(
                "SELECT seq FROM xapi_statement WHERE seq >= %s AND seq <= %s "
                "ORDER BY seq LIMIT 1 OFFSET %s",
                [src_low, high, min(50_000, target - count) - 1],
            )
            found = cursor.fetchone()
            src_high = found[0] if found else high
            cursor.execute("SELECT MAX(seq) FROM xapi_statement")
            shift = cursor.fetchone()[0] + 1 - src_low
            cursor.execute(
                f"INSERT INTO xapi_statement (seq, statement_id, {names}, raw) "
                f"SELECT seq + %s, nid, {names}, replace(raw, {old_text}, {new_text}) FROM "
                f"(SELECT {new_id} AS nid, s.* FROM xapi_statement s "
                f"WHERE s.seq BETWEEN %s AND %s) s",
                [shift, src_low, src_high],
            )
            size = cursor.rowcount
            for table, column in (
                ("xapi_statementagent", "agent_key"),
                ("xapi_statementactivity", "activity_id"),
            ):
                cursor.execute(
                    f"INSERT INTO {table} (statement_id, {column}, relation) "
                    f"SELECT statement_id + %s, {column}, relation FROM {table} "
                    f"WHERE statement_id BETWEEN %s AND %s",
                    [shift, src_low, src_high],
                )
            # The copies line up with their index rows: every actor row is its statement's.
            cursor.execute(
                "SELECT COUNT(*) FROM xapi_statement s JOIN xapi_statementagent a "
                "ON a.statement_id = s.seq AND a.relation = 'actor' AND a.agent_key = s.actor_key "
                "WHERE s.seq BETWEEN %s AND %s",
                [src_low + shift, src_high + shift],
            )
            if cursor.fetchone()[0] != size:
                raise SystemExit("copied index rows do not match their statements")
            if pg:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('xapi_statement', 'seq'), "
                    "(SELECT MAX(seq) FROM xapi_statement))"
                )
        count += size
        src_low = src_high + 1 if src_high < high else low
        rate = (count - start_count) / (time.perf_counter() - started)
        print(f"  copied up to {count:,} statements ({rate:,.0f}/s)", flush=True)
    assert Statement.objects.count() >= target
    analyze()


def preload_refs(count: int, rng: random.Random) -> None:
    """Add ``count`` statements whose object is a StatementRef to a random stored statement
    (one in ten a voiding statement), through the store service, so that the StatementRef
    filter rule (Communication 2.1.3) has references to follow."""
    from django.db import connection

    from lms.xapi.emitter import platform_authority
    from lms.xapi.models import Statement
    from lms.xapi.services import statement_store

    have = Statement.objects.filter(object_statement_id__isnull=False).count()
    if have >= count:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(seq) FROM xapi_statement")
        top = cursor.fetchone()[0]
    wanted = rng.sample(range(1, top + 1), (count - have) * 2)
    targets = list(
        Statement.objects.filter(
            seq__in=wanted, voided=False, object_statement_id__isnull=True
        ).values_list("statement_id", flat=True)[: count - have]
    )
    statements = []
    for number, target in enumerate(targets):
        verb = "http://adlnet.gov/expapi/verbs/voided" if number % 10 == 0 else rng.choice(VERBS)
        statements.append(
            {
                "actor": actor(rng.randrange(ACTORS)),
                "verb": {"id": verb},
                "object": {"objectType": "StatementRef", "id": str(target)},
            }
        )
    from lms.xapi import hooks

    saved = {phase: list(items) for phase, items in hooks._CONSUMERS.items()}
    for items in hooks._CONSUMERS.values():
        items.clear()
    try:
        for start in range(0, len(statements), 1000):
            statement_store(
                statements=statements[start : start + 1000],
                authority=platform_authority(),
                validated=True,
            )
    finally:
        for phase, items in saved.items():
            hooks._CONSUMERS[phase][:] = items
    print(f"  added {len(statements):,} StatementRef statements", flush=True)
    analyze()


# -- server ----------------------------------------------------------------------------------


def server_start(args, url: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=SITE,
        LOG_LEVEL="WARNING",
    )
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lms.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            connection.request("GET", "/xapi/about")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


class Lrs:
    def __init__(self, base: str, key: str, secret: str):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
        }
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def post_throughput(base, key, secret, *, batch: int, threads: int, seconds: float) -> float:
    stored = [0] * threads
    errors = []
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        rng = random.Random(index * 7919 + batch)
        lrs = Lrs(base, key, secret)
        while time.perf_counter() < deadline:
            statements = [make_statement(rng) for _ in range(batch)]
            status, body = lrs.request("POST", "/xapi/statements", json.dumps(statements).encode())
            if status != 200:
                errors.append((status, body[:200]))
                return
            stored[index] += batch

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  POST errors: {errors[:3]}")
    return sum(stored) / elapsed


def get_latency(base, key, secret, *, requests_per_query: int, seed: int) -> dict[str, tuple]:
    rng = random.Random(seed)
    lrs = Lrs(base, key, secret)
    since = "2000-01-01T00:00:00Z"

    def params(kind: str) -> dict:
        person, course = rng.randrange(ACTORS), rng.randrange(COURSES)
        if kind == "agent":
            return {"agent": json.dumps(actor(person)), "limit": "25"}
        if kind == "verb+since":
            return {"verb": rng.choice(VERBS), "since": since, "limit": "25"}
        if kind == "activity+related_activities":
            return {"activity": course_iri(course), "related_activities": "true", "limit": "25"}
        if kind == "registration":
            return {"registration": registration(person, course), "limit": "25"}
        if kind == "agent+verb":
            return {"agent": json.dumps(actor(person)), "verb": rng.choice(VERBS), "limit": "25"}
        return {"limit": "25"}

    results = {}
    for kind in (
        "agent",
        "verb+since",
        "activity+related_activities",
        "registration",
        "agent+verb",
        "unfiltered",
    ):
        timings = []
        for _ in range(requests_per_query):
            query = urllib.parse.urlencode(params(kind))
            started = time.perf_counter()
            status, body = lrs.request("GET", f"/xapi/statements?{query}")
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"GET {kind} answered {status}: {body[:200]!r}")
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        results[kind] = (p50, p95)
    return results


def main() -> None:
    args = parse_args()
    url = database_prepare(args)
    django_setup(url)
    from django.db import connection

    label = connection.vendor
    with connection.cursor() as cursor:
        if label == "postgresql":
            cursor.execute("SHOW server_version")
            label += " " + cursor.fetchone()[0]
        else:
            cursor.execute("select sqlite_version()")
            label += " " + cursor.fetchone()[0]
    print(machine(label))
    key, secret = credentials()
    connection.close()
    rng = random.Random(42)
    if args.preload_only:
        size = max(int(item) for item in args.sizes.split(","))
        if args.copy_from:
            preload(args.copy_from, rng)
            preload_copy(size)
        else:
            preload(size, rng)
        preload_refs(args.refs, rng)
        return
    server = None if args.url else server_start(args, url)
    base = args.url or f"http://127.0.0.1:{args.port}"
    print(f"server: {base} ({'given' if args.url else f'gunicorn, {args.workers} workers'})")
    try:
        for size in [int(item) for item in args.sizes.split(",")]:
            if args.copy_from:
                preload(min(size, args.copy_from), rng)
                preload_copy(size)
            else:
                preload(size, rng)
            preload_refs(args.refs, rng)
            connection.close()
            print(f"\n== {size:,} stored statements ==")
            latency = get_latency(base, key, secret, requests_per_query=args.gets, seed=size)
            for kind, (p50, p95) in latency.items():
                print(f"  GET {kind:<30} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
            for batch in (1, 100):
                rate = post_throughput(
                    base, key, secret, batch=batch, threads=args.threads, seconds=args.seconds
                )
                print(
                    f"  POST batches of {batch:<3} x {args.threads} clients: "
                    f"{rate:8,.0f} statements/s"
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
