"""The partial index an import builds must decide exactly as the whole registry would."""

from tests.trainees.imports.rosters import registry_insert
from trainees.imports.registry import registry_index_for, registry_index_full
from trainees.imports.services import _explain_left_out
from trainees.matching import match_batch
from trainees.synthetic import (
    as_record,
    generate_people,
    generate_rosters,
    registry_rows,
)


def test_partial_index_decides_as_the_full_registry(db):
    people = generate_people(3000, seed=41)
    registry_insert(registry_rows(people[:2500], seed=42))
    roster = generate_rosters(people, 1, 400, seed=43)[0]
    records = [as_record(row, i) for i, row in enumerate(roster)]
    partial = registry_index_for(records)
    full = registry_index_full()
    assert len(partial) < len(full)
    by_partial = match_batch(records, partial)
    _explain_left_out(by_partial.decisions, records, partial)
    by_full = match_batch(records, full)
    assert [d.to_dict() for d in by_partial.decisions] == [d.to_dict() for d in by_full.decisions]
    assert by_partial.groups == by_full.groups
