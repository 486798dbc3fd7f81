"""Communication 2.1.3: X-Experience-API-Consistent-Through and ``more`` paging under
concurrent writes. Every statement stored at or before the header's time is visible to the
query it comes with and to later ones; a page bound never passes a statement still to
commit."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections, transaction

from lms.xapi.emitter import platform_authority
from lms.xapi.models import Statement
from lms.xapi.services import statement_store
from lms.xapi.spec.primitives import parse_timestamp
from tests.xapi.conftest import statement

HEADER = "X-Experience-API-Consistent-Through"


def _header(response) -> datetime:
    assert response.status_code == 200, response.content
    return parse_timestamp(response[HEADER], HEADER)


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["statements"]]


@pytest.mark.django_db
def test_2_1_3_consistent_through_is_before_every_later_stored_time(xapi):
    """In a transaction (as here) the LRS cannot see whether a write is pending: the header
    is the latest stored time less 1 ms, and a statement stored afterwards is later."""
    first = xapi.post("/xapi/statements", statement()).json()[0]
    first_stored = Statement.objects.get(statement_id=first).stored
    header = _header(xapi.get("/xapi/statements"))
    assert header == first_stored - timedelta(milliseconds=1)
    second = xapi.post("/xapi/statements", statement()).json()[0]
    assert Statement.objects.get(statement_id=second).stored > header
    # Statements stored at or before the header are in the answer of a query since then.
    since = (header - timedelta(seconds=5)).isoformat()
    assert first in _ids(xapi.get("/xapi/statements", {"since": since}))


@pytest.mark.django_db
def test_2_1_3_stored_times_follow_seq_order(xapi):
    ids = [xapi.post("/xapi/statements", statement()).json()[0] for _ in range(3)]
    rows = list(Statement.objects.filter(statement_id__in=ids).order_by("seq"))
    assert [str(row.statement_id) for row in rows] == ids
    assert [row.stored for row in rows] == sorted(row.stored for row in rows)


def _store(actor_mbox: str):
    return statement_store(
        statements=[statement(actor={"mbox": actor_mbox})], authority=platform_authority()
    )


@pytest.mark.django_db(transaction=True)
def test_2_1_3_consistent_through_and_more_with_a_slow_concurrent_write(xapi):
    """Two connections: one write holds its batch uncommitted while another write and a
    paging reader run. The reader's header stays before the pending statement's stored
    time, its page bound below the pending statement's seq, the second write waits for
    the first (statements appear in seq order), and nothing is skipped afterwards."""
    if connection.vendor != "postgresql":
        # SQLite runs one write transaction at a time and a second connection on the test
        # database would wait on the first; what it relies on (stored and seq follow the
        # order of writes, the header before any later stored time) is tested above.
        assert connection.vendor == "sqlite"
        return
    before = _store("mailto:before@example.org").ids[0]
    idle_start = datetime.now(UTC)
    idle_header = _header(xapi.get("/xapi/statements"))
    # No write pending: the header is the time of the request (less 1 ms), not the past.
    assert idle_header >= idle_start.replace(microsecond=idle_start.microsecond // 1000 * 1000) - (
        timedelta(milliseconds=1)
    )

    slow_stored, slow_done, release = threading.Event(), threading.Event(), threading.Event()
    outcomes, errors = {}, []

    def slow_writer():
        try:
            with transaction.atomic():
                outcomes["slow"] = _store("mailto:slow@example.org")
                slow_stored.set()
                release.wait(timeout=60)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            slow_done.set()
            connections.close_all()

    def second_writer():
        try:
            slow_stored.wait(timeout=60)
            outcomes["second"] = _store("mailto:second@example.org")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    try:
        assert slow_stored.wait(timeout=60)
        pending = outcomes["slow"].inserted[0]
        response = xapi.get("/xapi/statements", {"limit": "1", "ascending": "true"})
        header = _header(response)
        assert header < pending.stored  # never later than a statement not yet visible
        seen = _ids(response)
        more = response.json()["more"]
        while more:
            response = xapi.get(more)
            seen += _ids(response)
            more = response.json()["more"]
        assert seen[-1] == str(before)
        assert str(pending.id) not in seen
        assert "second" not in outcomes  # the second write waits for the first to commit
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    second = outcomes["second"].inserted[0]
    slow_row = Statement.objects.get(statement_id=pending.id)
    second_row = Statement.objects.get(statement_id=second.id)
    assert slow_row.seq < second_row.seq
    assert slow_row.stored <= second_row.stored
    # A client resuming from the header gets both: nothing was skipped.
    resumed = _ids(xapi.get("/xapi/statements", {"since": header.isoformat()}))
    assert str(pending.id) in resumed
    assert str(second.id) in resumed
