"""Communication 2.1.3: X-Experience-API-Consistent-Through and ``more`` paging under
concurrent writes. Every statement stored at or before the header's time is visible to the
query it comes with and to later ones; a page bound never passes a statement still to
commit."""

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections, transaction

from lms.xapi.emitter import platform_authority
from lms.xapi.models import Statement
from lms.xapi.services import statement_store
from lms.xapi.services import statements as statements_service
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
    """In a transaction (as here): on SQLite the header is the latest stored time less 1
    ms; on PostgreSQL the writes of the reader's own transaction do not hold it back (they
    are visible to its queries) and it is the time of the request less 1 ms. A statement
    stored afterwards is later."""
    first = xapi.post("/xapi/statements", statement()).json()[0]
    first_stored = Statement.objects.get(statement_id=first).stored
    header = _header(xapi.get("/xapi/statements"))
    if connection.vendor == "sqlite":
        assert header == first_stored - timedelta(milliseconds=1)
    else:
        assert header >= first_stored - timedelta(milliseconds=1)
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


_HOLDS: dict[int, "_Pending"] = {}


@pytest.fixture
def hold_in_flight(monkeypatch):
    """Writes of a ``_Pending`` stop in their own transaction once their rows are in (where
    the in-transaction consumers run) until released: a POST in flight, as a slow one is."""
    original = statements_service.statements_dispatch

    def dispatch(inserted):
        original(inserted)
        pending = _HOLDS.get(threading.get_ident())
        if pending is not None:
            pending.inserted = inserted
            pending.stored.set()
            pending.release.wait(timeout=60)

    monkeypatch.setattr(statements_service, "statements_dispatch", dispatch)
    yield
    _HOLDS.clear()


class _Pending:
    """A write in its own thread and connection (needs ``hold_in_flight``) that stores a
    batch and then holds its transaction open until released: a write in flight, whose
    rows (``inserted``) have their ``stored`` and ``seq``."""

    def __init__(self, statements: list[dict]):
        self.stored, self.done, self.release = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self.inserted, self.errors = None, []
        self.thread = threading.Thread(target=self._run, args=(statements,))
        self.thread.start()

    def _run(self, statements):
        _HOLDS[threading.get_ident()] = self
        try:
            statement_store(statements=statements, authority=platform_authority())
        except Exception as error:  # reported by finish()
            self.errors.append(error)
        finally:
            self.done.set()
            connections.close_all()

    def finish(self):
        self.release.set()
        self.thread.join(timeout=60)
        assert self.errors == []


class _Writer:
    """A write in its own thread and connection that commits as soon as it can."""

    def __init__(self, statements: list[dict]):
        self.outcome, self.errors, self.done = None, [], threading.Event()
        self.thread = threading.Thread(target=self._run, args=(statements,))
        self.thread.start()

    def _run(self, statements):
        try:
            self.outcome = statement_store(statements=statements, authority=platform_authority())
        except Exception as error:  # reported by join()
            self.errors.append(error)
        finally:
            self.done.set()
            connections.close_all()

    def join(self):
        self.thread.join(timeout=60)
        assert self.errors == []


def _all_pages(xapi, params: dict) -> tuple[datetime, list[str], str]:
    """The header of the first page, every id paged through, and the first page's more."""
    response = xapi.get("/xapi/statements", params)
    header, seen = _header(response), _ids(response)
    first_more = more = response.json()["more"]
    while more:
        response = xapi.get(more)
        seen += _ids(response)
        more = response.json()["more"]
    return header, seen, first_more


def _postgresql_only():
    if connection.vendor != "postgresql":
        # SQLite runs one write transaction at a time and a second connection on the test
        # database would wait on the first; what it relies on (stored and seq follow the
        # order of writes, the header before any later stored time) is tested above.
        assert connection.vendor == "sqlite"
        pytest.skip("writes in flight side by side: PostgreSQL only")


@pytest.mark.django_db(transaction=True)
def test_2_1_3_consistent_through_and_more_with_a_slow_concurrent_write(xapi, hold_in_flight):
    """Two connections: one write holds its batch uncommitted while another write commits
    and a paging reader runs. The second write does not wait for the first; the reader's
    header stays before the pending statement's stored time, its page bound below the
    pending statement's seq, and nothing is skipped afterwards."""
    _postgresql_only()
    before = _store("mailto:before@example.org").ids[0]
    idle_start = datetime.now(UTC)
    idle_header = _header(xapi.get("/xapi/statements"))
    # No write pending: the header is the time of the request (less 1 ms), not the past.
    assert idle_header >= idle_start.replace(microsecond=idle_start.microsecond // 1000 * 1000) - (
        timedelta(milliseconds=1)
    )

    slow = _Pending([statement(actor={"mbox": "mailto:slow@example.org"})])
    try:
        assert slow.stored.wait(timeout=60)
        second = _Writer([statement(actor={"mbox": "mailto:second@example.org"})])
        # Writes without StatementRefs commit side by side: the second one does not wait.
        assert second.done.wait(timeout=30)
        second.join()
        pending = slow.inserted[0]
        header, seen, _ = _all_pages(xapi, {"limit": "1", "ascending": "true"})
        assert header < pending.stored  # never later than a statement not yet visible
        assert seen[-1] == str(before)
        assert str(pending.id) not in seen
        # The second statement is visible but above the bound: paging past it first would
        # have skipped the pending one.
        assert str(second.outcome.ids[0]) not in seen
    finally:
        slow.finish()
    slow_row = Statement.objects.get(statement_id=pending.id)
    second_row = Statement.objects.get(statement_id=second.outcome.ids[0])
    assert slow_row.seq < second_row.seq
    assert slow_row.stored <= second_row.stored
    # A client resuming from the header gets both: nothing was skipped.
    resumed = _ids(xapi.get("/xapi/statements", {"since": header.isoformat()}))
    assert str(pending.id) in resumed
    assert str(second_row.statement_id) in resumed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("ascending", [True, False])
def test_2_1_3_a_write_taking_its_seq_first_and_committing_last_is_not_skipped(
    xapi, hold_in_flight, ascending
):
    """Writer A draws its sequence numbers first and commits after writer B, whose
    statements (higher seq, later stored) are visible meanwhile. A reader in between, by
    GET or by POST, gets a header before A's stored time and a page bound below A's first
    seq; its pages, finished after A has committed, hold every statement up to the bound
    once, and the statements of A and B all come with the next query."""
    _postgresql_only()
    earlier = [str(_store(f"mailto:earlier{index}@example.org").ids[0]) for index in range(3)]
    a = _Pending([statement(actor={"mbox": f"mailto:a{index}@example.org"}) for index in range(3)])
    try:
        assert a.stored.wait(timeout=60)
        b = _Writer(
            [statement(actor={"mbox": f"mailto:b{index}@example.org"}) for index in range(3)]
        )
        assert b.done.wait(timeout=30)
        b.join()
        a_rows = a.inserted
        b_ids = [str(item) for item in b.outcome.ids]
        assert Statement.objects.filter(statement_id__in=b_ids).count() == 3  # B committed
        b_first_seq = min(
            Statement.objects.filter(statement_id__in=b_ids).values_list("seq", flat=True)
        )

        response = xapi.get("/xapi/statements", {"limit": "2", "ascending": str(ascending).lower()})
        header = _header(response)
        assert header < min(row.stored for row in a_rows)
        posted = xapi.post("/xapi/statements", statement(actor={"mbox": "mailto:c@example.org"}))
        assert posted.status_code == 200, posted.content
        assert _header(posted) < min(row.stored for row in a_rows)
        seen = _ids(response)
        more = response.json()["more"]
        assert more  # three earlier statements, pages of two
    finally:
        a.finish()
    # A has committed: the rest of the pages, with the bound of the first.
    while more:
        response = xapi.get(more)
        seen += _ids(response)
        more = response.json()["more"]
    assert sorted(seen) == sorted(earlier)  # nothing of A, nor of B above it
    assert len(seen) == len(set(seen))
    a_seqs = Statement.objects.filter(statement_id__in=[row.id for row in a_rows]).values_list(
        "seq", flat=True
    )
    assert max(a_seqs) < b_first_seq  # A's seqs were drawn first, B's after
    everything = _ids(xapi.get("/xapi/statements", {"limit": "50"}))
    for statement_id in [str(row.id) for row in a_rows] + b_ids:
        assert statement_id in everything
    resumed = _ids(xapi.get("/xapi/statements", {"since": header.isoformat()}))
    assert {str(row.id) for row in a_rows} <= set(resumed)


def _voiding(target) -> dict:
    return statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": str(target)},
    )


@pytest.mark.django_db(transaction=True)
def test_data_2_3_2_a_voiding_statement_waits_for_its_target_being_stored(xapi, hold_in_flight):
    """A batch with a StatementRef runs alone: a voiding statement posted while its target
    is in flight waits for it, then voids it (in parallel it would not see the target and
    the target would stay visible)."""
    _postgresql_only()
    target = statement(id=str(uuid.uuid4()), actor={"mbox": "mailto:target@example.org"})
    pending = _Pending([target])
    try:
        assert pending.stored.wait(timeout=60)
        voiding = _Writer([_voiding(target["id"])])
        assert not voiding.done.wait(timeout=1)  # waits for the write in flight
    finally:
        pending.finish()
    voiding.join()
    assert Statement.objects.get(statement_id=target["id"]).voided is True
    assert target["id"] not in _ids(xapi.get("/xapi/statements"))


@pytest.mark.django_db(transaction=True)
def test_data_2_3_2_a_target_arriving_while_its_voiding_statement_is_stored_is_voided(
    xapi, hold_in_flight
):
    """The other way round: while a voiding statement is in flight, a batch holding its
    target waits for it, then is stored voided."""
    _postgresql_only()
    target = statement(id=str(uuid.uuid4()), actor={"mbox": "mailto:late@example.org"})
    pending = _Pending([_voiding(target["id"])])
    try:
        assert pending.stored.wait(timeout=60)
        late = _Writer([target])
        assert not late.done.wait(timeout=1)
    finally:
        pending.finish()
    late.join()
    assert Statement.objects.get(statement_id=target["id"]).voided is True


@pytest.mark.django_db(transaction=True)
def test_2_1_3_statementref_target_arriving_in_parallel_gets_its_seq(xapi, hold_in_flight):
    """Communication 2.1.3 StatementRef filters: a statement pointing at one still in flight
    waits for it, so its chain row gets the target's seq and the filters follow it."""
    _postgresql_only()
    target = statement(id=str(uuid.uuid4()), actor={"mbox": "mailto:reffed@example.org"})
    pending = _Pending([target])
    try:
        assert pending.stored.wait(timeout=60)
        referring = statement(
            id=str(uuid.uuid4()),
            actor={"mbox": "mailto:referrer@example.org"},
            object={"objectType": "StatementRef", "id": target["id"]},
        )
        writer = _Writer([referring])
        assert not writer.done.wait(timeout=1)
    finally:
        pending.finish()
    writer.join()
    agent = json.dumps({"mbox": "mailto:reffed@example.org"})
    assert _ids(xapi.get("/xapi/statements", {"agent": agent})) == [
        referring["id"],
        target["id"],
    ]


@pytest.mark.django_db(transaction=True)
def test_2_1_3_a_write_inside_a_larger_transaction_runs_alone(xapi):
    """A platform event stored with the change that caused it may be followed by a voiding
    statement in the same transaction: it takes the write lock exclusive from its first
    batch (shared, then exclusive, two such transactions would deadlock), so a POST
    meanwhile waits for its commit, as every write did before."""
    _postgresql_only()
    stored, release, errors = threading.Event(), threading.Event(), []

    def larger():
        try:
            with transaction.atomic():
                _store("mailto:larger@example.org")
                stored.set()
                release.wait(timeout=60)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=larger)
    thread.start()
    try:
        assert stored.wait(timeout=60)
        # Another Activity: not waiting on the uncommitted insert of the first one's.
        meanwhile = statement(
            actor={"mbox": "mailto:meanwhile@example.org"},
            object={"objectType": "Activity", "id": "http://example.org/activities/other"},
        )
        posted = _Writer([meanwhile])
        assert not posted.done.wait(timeout=1)
    finally:
        release.set()
        thread.join(timeout=60)
    posted.join()
    assert errors == []
    assert Statement.objects.count() == 2
