"""The matching index kept warm between imports decides exactly as a cold one, whatever
changed in the registry in between (imports, edits, identifiers, merges and their undo)."""

import pytest

from tests.trainees.imports.rosters import registry_insert, roster_csv
from trainees.imports.registry import registry_index_for, row_record
from trainees.imports.services import (
    _explain_left_out,
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)
from trainees.imports.warm import (
    registry_index_prewarm,
    registry_index_warm,
    registry_index_warm_clear,
    warm_index_stats,
)
from trainees.matching import match_batch
from trainees.models import Person
from trainees.review.services import person_merge, person_unmerge
from trainees.services import identifier_add, person_names_set
from trainees.synthetic import as_record, generate_people, generate_rosters, registry_rows


def _cold(records):
    index = registry_index_for(records)
    result = match_batch(records, index)
    _explain_left_out(result.decisions, records, index)
    return [d.to_dict() for d in result.decisions], result.groups


def _warm(records):
    with registry_index_warm() as index:
        result = match_batch(records, index)
        _explain_left_out(result.decisions, records, index)
    return [d.to_dict() for d in result.decisions], result.groups


@pytest.fixture
def registry(db):
    registry_index_warm_clear()
    people = generate_people(1200, seed=61)
    registry_insert(registry_rows(people[:1000], seed=62))
    yield people
    registry_index_warm_clear()


def _roster(people, seed):
    return generate_rosters(people, 1, 150, seed=seed)[0]


def test_warm_index_decides_as_a_cold_one_through_every_kind_of_change(registry, event, admin_user):
    records = [as_record(row, i) for i, row in enumerate(_roster(registry, 63))]
    assert _warm(records) == _cold(records)
    assert warm_index_stats["last"] == "built"
    assert _warm(records) == _cold(records)
    assert warm_index_stats["last"] == "reused"

    # An import creates and links people: the warm index takes in the new ones only.
    roster = _roster(registry, 64)
    roster_import = roster_import_create(
        event=event, file_name="a.csv", data=roster_csv(roster), user=None, enqueue=False
    )
    roster_import = roster_import_analyse(roster_import=roster_import)
    roster_import = roster_import_confirm(roster_import=roster_import, user=None)
    assert roster_import.status == "confirmed"
    assert roster_import.summary["new"] > 0
    builds = warm_index_stats["builds"]
    assert _warm(records) == _cold(records)
    assert (warm_index_stats["last"], warm_index_stats["builds"]) == ("updated", builds)

    # A name corrected and an identifier added: updated in place, not rebuilt.
    first = row_record({"given_names": "Aminata", "family_name": "Sangaré", "birth_year": 1991}, 0)
    person = Person.objects.filter(merged_into__isnull=True).order_by("pk").first()
    before = _warm([first])[0][0]
    assert before["outcome"] == "new"
    person_names_set(person=person, given_names="Aminata", family_name="Sangaré")
    Person.objects.filter(pk=person.pk).update(birth_year=1991, birth_date=None)
    person.refresh_from_db()
    person.save(update_fields=["updated_at"])
    identifier_add(person=person, id_type="nina", value="11851234567001K")
    probe = [first, *records]
    assert _warm(probe) == _cold(probe)
    assert _warm(probe)[0][0]["candidate"] == person.pk
    assert warm_index_stats["builds"] == builds

    # A merge, then its undo: the warm index is rebuilt and still decides as a cold one.
    survivor, merged = Person.objects.filter(merged_into__isnull=True).order_by("pk")[1:3]
    merge = person_merge(survivor=survivor, merged=merged, user=admin_user, reason="test")
    assert _warm(probe) == _cold(probe)
    assert warm_index_stats["builds"] == builds + 1
    with registry_index_warm() as index:
        assert merged.pk not in index and survivor.pk in index
    person_unmerge(merge=merge, user=admin_user, reason="test")
    assert _warm(probe) == _cold(probe)
    assert warm_index_stats["builds"] == builds + 2
    with registry_index_warm() as index:
        assert merged.pk in index


def test_a_deleted_person_rebuilds_the_warm_index(registry):
    records = [as_record(row, i) for i, row in enumerate(_roster(registry, 65))]
    _warm(records)
    builds = warm_index_stats["builds"]
    gone = Person.objects.order_by("pk").first()
    gone.delete()
    assert _warm(records) == _cold(records)
    assert warm_index_stats["builds"] == builds + 1
    with registry_index_warm() as index:
        assert gone.pk not in index


def test_switched_off_or_not_built_yet_gives_no_warm_index(registry, settings):
    with registry_index_warm(build=False) as index:
        assert index is None  # a web process confirming: no index built there
    with registry_index_warm() as index:
        assert len(index) == Person.objects.count()
    with registry_index_warm(build=False) as index:
        assert index is not None  # built now: used
    settings.REGISTRY_WARM_INDEX = False
    with registry_index_warm() as index:
        assert index is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_index_as_it_starts_and_the_first_import_reuses_it():
    registry_index_warm_clear()
    people = generate_people(300, seed=71)
    registry_insert(registry_rows(people[:250], seed=72))
    records = [as_record(row, i) for i, row in enumerate(_roster(people, 73))]
    try:
        builds = warm_index_stats["builds"]
        thread = registry_index_prewarm()
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert warm_index_stats["builds"] == builds + 1
        assert warm_index_stats["last"] == "built"
        assert _warm(records) == _cold(records)
        assert warm_index_stats["last"] == "reused"  # the import did not build it again
        assert warm_index_stats["builds"] == builds + 1
    finally:
        registry_index_warm_clear()


def test_no_prewarm_when_the_warm_index_is_switched_off(settings):
    settings.REGISTRY_WARM_INDEX = False
    assert registry_index_prewarm() is None


def test_only_the_worker_process_that_runs_tasks_builds_the_index(settings, monkeypatch):
    from trainees.apps import _runs_tasks

    monkeypatch.delenv("RUN_MAIN", raising=False)
    settings.DEBUG = False
    assert _runs_tasks([])
    assert not _runs_tasks(["--reload"])  # the file-watching parent
    settings.DEBUG = True
    assert not _runs_tasks([])  # auto-reload is the default with DEBUG
    assert _runs_tasks(["--no-reload"])
    assert _runs_tasks(["--batch"])
    monkeypatch.setenv("RUN_MAIN", "true")  # the reloader's child runs the tasks
    assert _runs_tasks([])
