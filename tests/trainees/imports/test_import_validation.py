from datetime import date

import pytest
from django.utils import translation

from trainees.imports.columns import recognise
from trainees.imports.parsing import read_table
from trainees.imports.validation import validate_table

TODAY = date(2026, 11, 27)
EVENT = date(2026, 10, 5)


def validate(text: str):
    table = read_table(text.encode(), "roster.csv")
    return validate_table(table, recognise(table.headers), event_date=EVENT, today=TODAY)


def messages(result, language="en"):
    with translation.override(language):
        return [(p.row, p.column, p.message) for p in result.problems]


def test_clean_rows():
    result = validate(
        "Nom;Prénom;Sexe;Date de naissance;Matricule;Téléphone;Résultat;Note\n"
        "TRAORÉ;Awa;F;25/03/1990;ab-123;76 12 34 56;réussi;85,5\n"
        "Keita;Moussa;homme;vers 1985;;;présent;\n"
        "Diallo;Fanta;Female;1991-02-03;;;Completed;\n"
    )
    assert result.ok
    assert result.rows == [
        {
            "row": 2,
            "family_name": "TRAORÉ",
            "given_names": "Awa",
            "sex": "F",
            "birth_date": "1990-03-25",
            "birth_year": 1990,
            "identifiers": {"service_number": "AB123", "phone": ["+22376123456"]},
            "outcome": "passed",
            "score": "85.50",
        },
        {
            "row": 3,
            "family_name": "Keita",
            "given_names": "Moussa",
            "sex": "M",
            "birth_year": 1985,
            "outcome": "attended",
        },
        {
            "row": 4,
            "family_name": "Diallo",
            "given_names": "Fanta",
            "sex": "F",
            "birth_date": "1991-02-03",
            "birth_year": 1991,
            "outcome": "completed",
        },
    ]


def test_age_gives_a_birth_year_from_the_event_date():
    result = validate("Nom complet;Âge\nTraoré Awa;30\n")
    assert result.rows[0]["birth_year"] == 1996


BAD = (
    "Nom;Prénom;Date de naissance;Année de naissance;NINA;Téléphone;Résultat;Sexe\n"
    ";Awa;31/02/1990;;;;présent;F\n"
    "Keita;Moussa;;2031;12345;;absent;X\n"
    "Diallo;;12/03/90;;;12ab;réussi;F\n"
    ";;;;;;présent;F\n"
)


def test_every_problem_by_row_and_column_in_english():
    assert messages(validate(BAD), "en") == [
        (
            2,
            "Date de naissance",
            "“31/02/1990” is an impossible date (there is no such day): left empty.",
        ),
        (
            2,
            "Nom",
            "Only one name (“Awa”): imported and matched on what the row gives; add the other "
            "name if it is known.",
        ),
        (3, "Année de naissance", "The year of birth 2031 is in the future: left empty."),
        (
            3,
            "NINA",
            "NINA “12345” is not valid: a NINA has 14 digits followed by one letter. "
            "It was left out.",
        ),
        (
            3,
            "Résultat",
            "“absent” is not a result (présent/attended, terminé/completed, réussi/passed or "
            "échoué/failed): the import's default result was used.",
        ),
        (3, "Sexe", "“X” is not a sex (write F or M, femme/homme, female/male): left empty."),
        (4, "Date de naissance", "“12/03/90”: the two-digit year was read as 1990; check it."),
        (
            4,
            "Téléphone",
            "“12ab” is not a phone number: left out.",
        ),
        (
            4,
            "Prénom",
            "Only one name (“Diallo”): imported and matched on what the row gives; add the "
            "other name if it is known.",
        ),
        (5, "Nom", "No name on this row: the row is left out."),
    ]
    result = validate(BAD)
    assert result.rows_left_out == {5}
    assert result.ok is False  # a row is left out
    assert result.rows[2]["birth_date"] == "1990-03-12"
    assert result.rows[1]["outcome"] == "attended"


def test_problems_are_in_french_for_a_french_reader():
    result = validate("Nom;Prénom;Année de naissance\nKeita;;2031\n")
    assert messages(result, "fr")[0] == (
        2,
        "Année de naissance",
        "L'année de naissance 2031 est dans le futur\u202f: laissée vide.",
    )


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("12/03/2027", "birth_date_future"),
        ("10/10/2026", "birth_date_after_event"),
        ("01/05/1850", "birth_date_too_old"),
        ("12/05/1919", "birth_date_too_old"),
        ("hier", "date_invalid"),
        ("30/02/2000", "date_impossible"),
    ],
)
def test_impossible_birth_dates_are_left_empty_with_a_warning(cell, code):
    result = validate(f"Nom complet;Date de naissance\nAwa Traoré;{cell}\n")
    assert [(p.code, p.level) for p in result.problems] == [(code, "warning")]
    assert "birth_date" not in result.rows[0] and "birth_year" not in result.rows[0]


def test_a_birth_date_before_1920_is_not_recorded_but_still_compared():
    from trainees.imports.registry import row_record
    from trainees.matching import PersonRecord, RegistryIndex, match_record

    result = validate("Nom;Prénom;Date de naissance\nTraoré;Awa;19/04/1908\n")
    row = result.rows[0]
    assert [p.code for p in result.problems] == ["birth_date_too_old"]
    assert "birth_date" not in row and "birth_year" not in row
    assert row_record(row, "r").birth_date == date(1908, 4, 19)
    # One digit mistyped (1908 for 1998): the comparison tolerates it and the row links.
    awa = PersonRecord(
        "awa", "Awa", "Traoré", sex="F", birth_date=date(1998, 4, 19), organisation="AMSS"
    )
    decision = match_record(row_record(row, "r"), RegistryIndex([awa]))
    assert (decision.outcome, decision.candidate) == ("link", "awa")
    assert "birth_date_typo" in decision.codes


def test_a_file_without_a_name_column():
    result = validate("Village;Téléphone\nGao;76123456\n")
    assert [p.code for p in result.problems] == ["file_no_name_column"]
    assert result.rows == []
