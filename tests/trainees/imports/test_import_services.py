import datetime

from tests.trainees.factories import PersonFactory
from trainees.imports.models import RosterRow
from trainees.models import Identifier, MatchDecision, Participation, Person
from trainees.review.models import ReviewPair
from trainees.services import identifier_add

ROSTER = (
    "Nom;Prénom(s);Sexe;Date de naissance;Matricule;Téléphone;Résultat;Note\n"
    "TRAORÉ;Awa;F;25/03/1990;AB1234;76 12 34 56;réussi;85\n"
    "Keïta;Moussa;M;12/07/1985;;;présent;\n"
    "Coulibaly;Fatoumata;F;1992;;66 00 11 22;échoué;40\n"
)


def counts():
    return (
        Person.objects.count(),
        Participation.objects.count(),
        Identifier.objects.count(),
        ReviewPair.objects.count(),
    )


def test_preview_lists_what_will_happen_and_writes_no_person(preview):
    roster_import = preview(ROSTER)
    assert roster_import.status == "ready"
    hidden = {"registry_version", "model_version", "within_pairs"}
    summary = {k: v for k, v in roster_import.summary.items() if k not in hidden}
    assert roster_import.summary["within_pairs"] == []
    assert roster_import.summary["model_version"].startswith("priors-")
    assert summary == {
        "rows": 3,
        "people": 3,
        "new": 3,
        "link": 0,
        "review": 0,
        "same": 0,
        "error": 0,
    }
    assert list(roster_import.rows.values_list("row_number", "action")) == [
        (2, "new"),
        (3, "new"),
        (4, "new"),
    ]
    assert counts() == (0, 0, 0, 0)


def test_confirm_writes_people_identifiers_participations_and_decisions(imported, event):
    roster_import = imported(ROSTER)
    assert roster_import.status == "confirmed"
    assert counts() == (3, 3, 3, 0)
    awa = Person.objects.get(family_name="TRAORÉ")
    assert (awa.given_names, awa.sex, awa.birth_date) == ("Awa", "F", datetime.date(1990, 3, 25))
    assert sorted(awa.identifiers.values_list("type", "value_normalised")) == [
        ("phone", "+22376123456"),
        ("service_number", "AB1234"),
    ]
    part = Participation.objects.get(person=awa)
    assert (part.event, part.outcome, part.score, part.source) == (event, "passed", 85.0, "roster")
    assert (part.import_public_id, part.source_file, part.source_row) == (
        roster_import.public_id,
        "liste.csv",
        2,
    )
    assert part.statement_id is not None
    assert MatchDecision.objects.filter(subject_kind="roster_row").count() == 3
    assert list(roster_import.rows.values_list("row_number", "person__family_name")) == [
        (2, "TRAORÉ"),
        (3, "Keïta"),
        (4, "Coulibaly"),
    ]


def test_importing_the_same_file_twice_changes_nothing(imported):
    imported(ROSTER)
    before = counts()
    again = imported(ROSTER)
    assert again.status == "unchanged"
    assert counts() == before


def test_the_same_people_in_another_file_link_and_add_no_participation(imported):
    imported(ROSTER)
    before = counts()
    lines = ROSTER.splitlines()
    reordered = "\n".join([lines[0], lines[3], lines[1], lines[2]]).replace("TRAORÉ", "Traore")
    roster_import = imported(reordered, name="autre.csv")
    assert roster_import.status == "confirmed"
    assert roster_import.summary["link"] == 3
    assert roster_import.summary["participations_existing"] == 3
    assert counts() == before


def test_the_same_person_twice_in_one_file_is_one_person_with_one_participation(imported):
    roster = ROSTER + "Traore;Awa;F;25/03/1990;AB 1234;;présent;\n"
    roster_import = imported(roster)
    assert counts()[:2] == (3, 3)
    assert list(roster_import.rows.values_list("row_number", "action", "same_as_row")) == [
        (2, "new", None),
        (3, "new", None),
        (4, "new", None),
        (5, "same", 2),
    ]
    awa = Person.objects.get(family_name="TRAORÉ")
    assert Participation.objects.get(person=awa).outcome == "passed"


def test_an_existing_person_is_linked_through_the_service_number(imported):
    someone = PersonFactory(
        given_names="Awa", family_name="Traoré", sex="F", birth_date=datetime.date(1990, 3, 25)
    )
    identifier_add(person=someone, id_type="service_number", value="AB1234")
    roster_import = imported(ROSTER)
    row = roster_import.rows.get(row_number=2)
    assert (row.action, row.person) == ("link", someone)
    assert "identifier_match" in [r["code"] for r in row.reasons]
    assert Person.objects.count() == 3


def test_an_uncertain_match_creates_a_person_and_a_review_pair(imported):
    someone = PersonFactory(
        given_names="Moussa", family_name="Keita", sex="M", birth_date=None, birth_year=None
    )
    roster_import = imported(ROSTER)
    row = roster_import.rows.get(row_number=3)
    assert row.action == "review"
    assert row.person != someone
    pair = ReviewPair.objects.get()
    assert {pair.person_a, pair.person_b} == {someone, row.person}
    assert pair.status == "open"


def test_unknown_columns_ask_for_a_mapping_then_import(preview):
    from trainees.imports.services import roster_import_analyse, roster_import_map

    roster_import = preview("Nom;Prénom;Village\nTraoré;Awa;Gao\n")
    assert roster_import.status == "mapping"
    assert [p["code"] for p in roster_import.problems] == ["file_columns_unknown"]
    roster_import_map(
        roster_import=roster_import,
        mapping={0: "family_name", 1: "given_names", 2: "ignore"},
        enqueue=False,
    )
    roster_import = roster_import_analyse(roster_import=roster_import)
    assert roster_import.status == "ready"
    assert RosterRow.objects.get().values == {
        "row": 2,
        "family_name": "Traoré",
        "given_names": "Awa",
        "outcome": "attended",
    }
