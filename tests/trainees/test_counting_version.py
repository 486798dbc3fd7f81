"""The registry's data version under real commits (issue 6): exact cache invalidation, and on
PostgreSQL no queue of concurrent writers on the version row.

These tests commit for real (``transaction=True``): on PostgreSQL the version is bumped by a
deferred trigger at commit (migration ``trainees/0007_registry_version_bump_at_commit``), which
the ordinary test transaction never reaches.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.models import Participation, Person
from trainees.reports.cache import registry_version
from trainees.reports.selectors import report_build
from trainees.selectors.counting import CountScope

pytestmark = pytest.mark.django_db(transaction=True)


def _trained() -> int:
    return report_build(scope=CountScope(), figure="trained").headline("trained").value


def _trained_participation(**kwargs):
    event = TrainingEventFactory(programme=ProgrammeFactory(code="eod_iedd"))
    return ParticipationFactory(event=event, outcome="completed", **kwargs)


def test_each_committed_write_moves_the_version_and_restates_the_cached_figure():
    _trained_participation()
    assert _trained() == 1
    before = registry_version()
    assert _trained() == 1  # a cache hit: nothing changed
    assert registry_version() == before
    _trained_participation()  # autocommit: each statement commits
    assert registry_version() > before
    assert _trained() == 2
    person = Person.objects.first()
    Participation.objects.filter(person=person).update(voided=True)
    assert _trained() == 1


def test_a_transaction_sees_its_own_write_as_a_new_version_and_a_rollback_none():
    _trained_participation()
    assert _trained() == 1
    before = registry_version()
    with transaction.atomic():
        _trained_participation()
        inside = registry_version()
        assert inside > before
        assert _trained() == 2  # its own write, never the cached figure
        _trained_participation()  # a write after that read moves the version again
        assert registry_version() > inside
        assert _trained() == 3
    assert _trained() == 3
    committed = registry_version()

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        _trained_participation()
        assert _trained() == 4
        raise Rollback
    assert registry_version() == committed
    assert _trained() == 3


def test_a_rolled_back_savepoint_keeps_the_outer_write_counted():
    _trained_participation()
    assert _trained() == 1
    before = registry_version()
    with transaction.atomic():
        _trained_participation()
        try:
            with transaction.atomic():
                PersonFactory()
                raise ValueError
        except ValueError:
            pass
    assert registry_version() > before
    assert _trained() == 2


def test_concurrent_writers_do_not_wait_for_each_other_on_the_version():
    """A writer keeps its transaction open; another writer commits meanwhile without waiting
    for it (lock timeout 2 s), and each commit restates the cached figure."""
    if connection.vendor != "postgresql":
        # SQLite allows one writer at a time by design: there is nothing to overlap. What
        # SQLite must guarantee (exact invalidation) is tested above.
        assert connection.vendor == "sqlite"
        return
    _trained_participation()
    assert _trained() == 1
    wrote, release = threading.Event(), threading.Event()
    errors = []

    def slow_writer():
        try:
            with transaction.atomic():
                _trained_participation()
                wrote.set()
                release.wait(timeout=30)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert wrote.wait(timeout=30)
        before = registry_version()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            _trained_participation()
        assert registry_version() == before + 1
        assert _trained() == 2  # the open transaction's row is not visible yet
    finally:
        release.set()
        thread.join(timeout=30)
    assert errors == []
    assert registry_version() == before + 2
    assert _trained() == 3
