"""What the LRS keeps out of its write lock, and how the related-activities page is read.

- A write holds the LRS's write lock (SQLite) or its registration as a write in flight
  (PostgreSQL) from taking ``stored`` to its commit: the Activities, attachments, JSON
  text and index keys are made before it; the stored JSON is the same as if it had been
  made after (``stored``, defaulted ``timestamp``).
- Communication 2.1.3 ``activity`` + ``related_activities=true``: the page is read in
  ``seq`` order from an index of (activity, statement), never by sorting every row of the
  activity (SQLite did, 217 ms p95 at a million statements); pages are unchanged.
"""

import json
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from lms.xapi.emitter import platform_authority
from lms.xapi.models import Activity, Statement
from lms.xapi.selectors import StatementQuery, statements_select
from lms.xapi.services import statement_store
from lms.xapi.services.statements import timestamp_format
from tests.xapi.conftest import statement

COURSE = "http://example.org/activities/course-7"
MODULE = "http://example.org/activities/module-7-1"


def _in_course(index: int, *, as_object: bool = False) -> dict:
    if as_object:
        return statement(
            actor={"mbox": f"mailto:p{index}@example.org"},
            object={"objectType": "Activity", "id": COURSE},
        )
    return statement(
        actor={"mbox": f"mailto:p{index}@example.org"},
        object={"objectType": "Activity", "id": f"{MODULE}-{index}"},
        context={"contextActivities": {"parent": [{"id": COURSE}]}},
    )


def _course_statements() -> list[str]:
    """Six statements about the course (five as parent, one as object) and two not,
    interleaved; their ids in stored order."""
    ids = []
    for index in range(6):
        ids += statement_store(
            statements=[_in_course(index, as_object=index == 3)], authority=platform_authority()
        ).ids
        statement_store(
            statements=[statement(actor={"mbox": f"mailto:other{index}@example.org"})],
            authority=platform_authority(),
        )
    return [str(item) for item in ids]


def _pages(xapi, params: dict) -> list[list[str]]:
    pages = []
    response = xapi.get("/xapi/statements", params)
    while True:
        assert response.status_code == 200, response.content
        pages.append([item["id"] for item in response.json()["statements"]])
        more = response.json()["more"]
        if not more:
            return pages
        response = xapi.get(more)


@pytest.mark.django_db
def test_related_activities_pages_in_stored_order_both_ways(xapi):
    ids = _course_statements()
    params = {"activity": COURSE, "related_activities": "true", "limit": "4"}
    assert _pages(xapi, params) == [ids[::-1][:4], ids[::-1][4:]]
    assert _pages(xapi, {**params, "ascending": "true"}) == [ids[:4], ids[4:]]
    # Without related_activities only the statement whose object is the course.
    assert _pages(xapi, {"activity": COURSE}) == [[ids[3]]]


def _page_query_plan(query: StatementQuery) -> str:
    """The database's plan of the page query ``statements_select`` runs for ``query``."""
    with CaptureQueriesContext(connection) as captured:
        page = statements_select(query=query, bound=None, cursor=None)
    assert page.rows
    page_sql = [
        item["sql"]
        for item in captured.captured_queries
        if "xapi_statementactivity" in item["sql"] and "xapi_statementreftarget" not in item["sql"]
    ]
    assert len(page_sql) == 1, page_sql
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + page_sql[0])
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # With sorting priced out, the planner shows whether an index gives the order.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("EXPLAIN " + page_sql[0])
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("ascending", [False, True])
def test_related_activities_page_walks_the_activity_index_without_sorting(ascending):
    _course_statements()
    plan = _page_query_plan(
        StatementQuery(activity=COURSE, related_activities=True, limit=2, ascending=ascending)
    )
    assert "xapi_act_id_stmt" in plan, plan
    assert "TEMP B-TREE" not in plan.upper(), plan  # SQLite's sort
    assert "Sort" not in plan, plan  # PostgreSQL's


@pytest.mark.django_db
def test_activities_and_attachments_are_written_before_the_write_lock():
    """Nothing that can be done without ``stored`` runs once the write is ordered (while
    SQLite's writers queue on the lock, PostgreSQL's hold back readers' bounds)."""
    body = statement(
        object={
            "objectType": "Activity",
            "id": "http://example.org/activities/new-one",
            "definition": {"name": {"en": "New one"}},
        },
        context={"contextActivities": {"parent": [{"id": "http://example.org/activities/p"}]}},
    )
    with CaptureQueriesContext(connection) as captured:
        outcome = statement_store(statements=[body], authority=platform_authority(), define=True)
    sqls = [item["sql"] for item in captured.captured_queries]
    # SQLite: the clock row; PostgreSQL: the write lock, then the write's registration.
    lock = next(
        i
        for i, sql in enumerate(sqls)
        if "xapi_statementclock" in sql or "pg_advisory_xact_lock" in sql
    )
    assert any('"xapi_activity"' in sql for sql in sqls[:lock])
    assert not [sql for sql in sqls[lock:] if '"xapi_activity"' in sql]
    assert Activity.objects.filter(activity_id__endswith="/new-one").exists()
    row = Statement.objects.get(statement_id=outcome.ids[0])
    raw = json.loads(row.raw)
    # The placeholder written before the lock is replaced by the stored time.
    assert "xapi-stored-" not in row.raw
    assert raw["stored"] == timestamp_format(row.stored)
    assert raw["timestamp"] == raw["stored"]  # Data 2.4.8: defaults to stored
    assert row.timestamp == row.stored
    assert list(raw) == ["actor", "verb", "object", "context", "id", "stored", "authority",
                         "version", "timestamp"]  # fmt: skip


@pytest.mark.django_db
def test_a_given_timestamp_is_kept_and_stored_is_set():
    body = statement(timestamp="2024-03-01T10:00:00.000Z")
    outcome = statement_store(statements=[body], authority=platform_authority())
    row = Statement.objects.get(statement_id=outcome.ids[0])
    raw = json.loads(row.raw)
    assert raw["timestamp"] == "2024-03-01T10:00:00.000Z"
    assert timestamp_format(row.timestamp) == "2024-03-01T10:00:00.000Z"
    assert raw["stored"] == timestamp_format(row.stored)


def _define(name: dict):
    return statement_store(
        statements=[
            statement(
                object={
                    "objectType": "Activity",
                    "id": "http://example.org/activities/shared",
                    "definition": {"name": name},
                }
            )
        ],
        authority=platform_authority(),
        define=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_batches_defining_one_new_activity_at_once_keep_both_definitions():
    """Activities are merged before the write lock: a batch whose insert of a new Activity
    waited on another batch's still uncommitted insert merges into that row afterwards,
    as if the batches had come one after the other."""
    if connection.vendor == "sqlite":
        # SQLite runs one write transaction at a time: the second batch comes after.
        _define({"en": "Shared"})
        _define({"fr": "Partagée"})
    else:
        first_stored, release, errors = threading.Event(), threading.Event(), []

        def first():
            try:
                with transaction.atomic():
                    _define({"en": "Shared"})
                    first_stored.set()
                    release.wait(timeout=60)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connections.close_all()

        def second():
            try:
                first_stored.wait(timeout=60)
                _define({"fr": "Partagée"})
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        assert first_stored.wait(timeout=60)
        threads[1].join(timeout=1)
        assert threads[1].is_alive()  # waits on the first batch's new Activity row
        release.set()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
    activity = Activity.objects.get(activity_id="http://example.org/activities/shared")
    assert activity.definition["name"] == {"en": "Shared", "fr": "Partagée"}
    assert Statement.objects.count() == 2
