"""The partial index an import builds must decide exactly as the whole registry would."""

from tests.trainees.imports.rosters import registry_insert
from trainees.imports.registry import registry_index_for, registry_index_full, row_record
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
    partial, full = _partial_decides_as_full(roster)
    assert len(partial) < len(full)


def test_partial_index_loads_the_people_born_on_a_row_s_date(db):
    from datetime import date

    from trainees.matching import PersonRecord

    def registry_row(given, family, birth):
        return {"given_names": given, "family_name": family, "full_name": None, "sex": "M",
                "birth_date": birth, "birth_year": None, "identifiers": {}}  # fmt: skip

    registry_insert(
        [
            registry_row("Marco", "Maleszka", date(1939, 12, 23)),
            registry_row("Salif", "Keita", date(1939, 12, 24)),
            registry_row("Awa", "Diarra", date(1939, 1, 1)),  # a placeholder: no date key
        ]
    )
    records = [
        PersonRecord(
            key=0,
            given_names="Maroc",
            family_name="Malezka",
            sex="M",
            birth_date=date(1939, 12, 23),
        ),
        PersonRecord(
            key=1, given_names="Mamadou", family_name="Sow", sex="M", birth_date=date(1939, 1, 1)
        ),
    ]
    partial, _full = _partial_decides_as_full(records=records)
    # Marco Maleszka only: his names share no key with the row's, his date does.
    assert len(partial) == 1
    assert match_batch(records, partial).decisions[0].outcome == "link"


def _partial_decides_as_full(roster=None, records=None):
    if records is None:
        records = [as_record(row, i) for i, row in enumerate(roster)]
    partial = registry_index_for(records)
    full = registry_index_full()
    by_partial = match_batch(records, partial)
    _explain_left_out(by_partial.decisions, records, partial)
    by_full = match_batch(records, full)
    assert [d.to_dict() for d in by_partial.decisions] == [d.to_dict() for d in by_full.decisions]
    assert by_partial.groups == by_full.groups
    return partial, full


def _import(event, rows):
    from tests.trainees.imports.rosters import roster_csv
    from trainees.imports.services import (
        roster_import_analyse,
        roster_import_confirm,
        roster_import_create,
    )

    roster_import = roster_import_create(
        event=event, file_name="liste.csv", data=roster_csv(rows), user=None, enqueue=False
    )
    roster_import = roster_import_analyse(roster_import=roster_import)
    return roster_import_confirm(roster_import=roster_import, user=None)


def _row(given, family, **kw):
    return {"given_names": given, "family_name": family, "sex": "F", **kw}


def test_a_row_meets_the_person_through_every_roster_row_they_were(db, event):
    """Issue 11: a person is every record the registry has of them. The third roster's row
    agrees with what the second roster said of her (birth date, phone), not with the first
    row the person was created from (no birth date)."""
    from datetime import date

    from trainees.imports.models import RosterRow
    from trainees.models import Person

    first = _import(event, [_row("Fatoumata", "Sangaré", identifiers={"service_number": "S1234"})])
    assert first.summary["new"] == 1
    person = Person.objects.get()
    second = _import(
        event,
        [
            _row(
                "Fatimata", "Sangare", birth_date=date(1978, 11, 21),
                identifiers={"service_number": "S1234", "phone": "76 12 34 56"},
            )
        ],
    )  # fmt: skip
    assert second.summary["link"] == 1
    row = RosterRow.objects.get(roster_import=second)
    assert (row.person_id, row.name_key, row.birth_year) == (person.pk, "fatoumata sangare", 1978)

    third = [
        row_record(
            {"given_names": "Fatimata", "family_name": "SANGARE", "sex": "F",
             "birth_date": "1978-11-21", "identifiers": {"phone": ["+22376123456"]}},
            0,
        )
    ]  # fmt: skip
    full = registry_index_full()
    assert full.alias_count == 1  # the first row says nothing the person does not
    partial = registry_index_for(third)
    decisions = [match_batch(third, index).decisions[0] for index in (partial, full)]
    assert decisions[0].to_dict() == decisions[1].to_dict()
    assert (decisions[0].outcome, decisions[0].candidate) == ("link", person.pk)
    assert "birth_date_equal" in decisions[0].codes

    # The person alone, as before the registry kept every row: only the shared phone.
    from trainees.imports.registry import person_record_rows
    from trainees.matching import RegistryIndex

    alone = RegistryIndex(person_record_rows())
    assert match_batch(third, alone).decisions[0].outcome != "link"


def test_partial_index_with_roster_rows_decides_as_the_full_registry(db, event):
    people = generate_people(800, seed=44)
    registry_insert(registry_rows(people[:600], seed=45))
    for seed in (46, 47):
        _import(event, generate_rosters(people, 1, 120, seed=seed)[0])
    partial, full = _partial_decides_as_full(generate_rosters(people, 1, 200, seed=48)[0])
    assert full.alias_count > 0 and partial.alias_count > 0


def test_rows_stored_before_the_match_keys_get_them_from_the_migration(db, event):
    import importlib

    from django.apps import apps

    from trainees.imports.models import RosterRow

    _import(event, [_row("Aminata", "Coulibaly", birth_year=1990), _row("Awa", "Traoré")])
    RosterRow.objects.update(name_key="", birth_year=None)
    migration = importlib.import_module("trainees.migrations.0016_roster_row_match_keys")
    migration.match_keys_fill(apps, None)
    keys = sorted(RosterRow.objects.values_list("name_key", "birth_year"))
    assert keys == [("aminata coulibaly", 1990), ("awa traore", None)]
