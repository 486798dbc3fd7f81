"""Rosters as field offices write them: read, never refused for what the trainer cannot fix."""

from datetime import date

import pytest
from django.utils import translation

from trainees.imports.cells import phones_read, read_date
from trainees.imports.columns import IGNORE, SYNONYMS, known_field, recognise
from trainees.imports.names import name_split
from trainees.imports.parsing import read_table
from trainees.imports.validation import validate_table
from trainees.models import Identifier, Person

TODAY = date(2026, 11, 27)
EVENT = date(2026, 10, 5)


def validate(text: str):
    table = read_table(text.encode(), "roster.csv")
    return validate_table(table, recognise(table.headers), event_date=EVENT, today=TODAY)


def codes(result):
    return [(p.row, p.code, p.level) for p in result.problems]


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "read", "note"),
    [
        ("06/04/71", date(1971, 4, 6), "date_two_digit_year"),
        ("6.4.71", date(1971, 4, 6), "date_two_digit_year"),
        ("12/03/05", date(2005, 3, 12), "date_two_digit_year"),
        ("12/03/26", date(2026, 3, 12), "date_two_digit_year"),  # the pivot: this year
        ("12/03/27", date(1927, 3, 12), "date_two_digit_year"),
        ("vers 1981", 1981, None),
        ("1981", 1981, None),
        ("né en 1981", 1981, None),
        ("Née vers 1981", 1981, None),
        ("~1981", 1981, None),
        ("31/12/1981", 1981, "date_placeholder"),
        ("01/01/1981", 1981, "date_placeholder"),
        ("01/01/81", 1981, "date_two_digit_year"),
        ("12 mars 1985", date(1985, 3, 12), None),
        ("1985-03-12", date(1985, 3, 12), None),
        ("19850312", date(1985, 3, 12), None),  # database exports: year first
        ("12031985", date(1985, 3, 12), None),  # or day first
        ("20101990", date(1990, 10, 20), None),  # 2010-19-90 cannot be: day first
    ],
)
def test_dates_as_field_offices_write_them(cell, read, note):
    parsed, notes = read_date(cell, today=TODAY)
    assert parsed == read
    assert (notes[0][0] if notes else None) == note


@pytest.mark.parametrize("cell", ["19851312", "45121985", "1234567"])
def test_eight_digits_that_are_no_date_either_way_are_refused(cell):
    from trainees.imports.cells import CellError

    with pytest.raises(CellError) as error:
        read_date(cell, today=TODAY)
    assert error.value.code in ("date_invalid", "date_impossible")


def test_two_digit_years_and_placeholders_are_flagged_in_the_preview():
    result = validate(
        "Nom;Prénom;Date de naissance\n"
        "Traoré;Awa;06/04/71\n"
        "Keïta;Moussa;31/12/1981\n"
        "Diallo;Fanta;né en 1979\n"
    )
    assert codes(result) == [
        (2, "date_two_digit_year", "warning"),
        (3, "date_placeholder", "warning"),
    ]
    with translation.override("en"):
        assert result.problems[0].message == (
            "“06/04/71”: the two-digit year was read as 1971; check it."
        )
        assert result.problems[1].message == (
            "31/12/1981 stands for an unknown day: only the year 1981 was kept."
        )
    assert result.rows[0]["birth_date"] == "1971-04-06"
    assert result.rows[1]["birth_year"] == 1981 and "birth_date" not in result.rows[1]
    assert result.rows[2]["birth_year"] == 1979 and "birth_date" not in result.rows[2]


# -- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "numbers"),
    [
        ("76 12 34 56 / 66 45 23 11", ["+22376123456", "+22366452311"]),
        ("76123456 - 66452311", ["+22376123456", "+22366452311"]),
        ("76 12 34 56 66 45 23 11", ["+22376123456", "+22366452311"]),
        ("Tél: 76123456 ou 90112233", ["+22376123456", "+22390112233"]),
        ("+33 6 12 34 56 78; 76123456", ["+33612345678", "+22376123456"]),
        ("00221 77 123 45 67", ["+221771234567"]),
        ("76123456, 76 12 34 56", ["+22376123456"]),
        ("néant", []),
    ],
)
def test_several_phones_in_one_cell_in_international_form(cell, numbers):
    assert phones_read(cell) == (numbers, [])


def test_several_phones_become_several_identifiers(imported):
    imported("Nom;Prénom;Téléphone\nTraoré;Awa;76 12 34 56 / +227 90 12 34 56\n")
    assert sorted(Identifier.objects.values_list("type", "value_normalised")) == [
        ("phone", "+22376123456"),
        ("phone", "+22790123456"),  # Niger's code written: kept
    ]


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "order", "split"),
    [
        ("Awa Traoré", "given_first", ("Awa", "Traoré", True)),
        ("TRAORE Awa", "given_first", ("Awa", "TRAORE", True)),
        ("Traoré Awa", None, ("Awa", "Traoré", True)),
        ("Moussa Keïta", "family_first", ("Moussa", "Keïta", True)),
        ("Mohamed Ag Attaher", None, ("Mohamed", "Ag Attaher", True)),
        ("Fatoumata Walet Mohamed", None, ("Fatoumata", "Walet Mohamed", True)),
        ("Mahamadou Issa Maïga", None, ("Mahamadou Issa", "Maïga", True)),
        # Names the lists do not know: the header's order, flagged as unsure.
        ("Abdoulaye Zongo", "given_first", ("Abdoulaye", "Zongo", False)),
        ("Zongo Abdoulaye", "family_first", ("Abdoulaye", "Zongo", False)),
        ("ZONGO Abdoulaye", None, ("Abdoulaye", "ZONGO", False)),
    ],
)
def test_a_whole_name_column_is_split_with_the_name_lists(cell, order, split):
    assert name_split(cell, order=order) == split


def test_whole_name_split_on_the_person_and_flagged_when_unsure(imported):
    roster = imported(
        "Prénom(s) et Nom;Sexe\nAwa Traoré;F\nAbdoulaye Zongo;M\nMariam Coulibaly Diarra;F\n"
    )
    assert sorted((p.given_names, p.family_name) for p in Person.objects.all()) == [
        ("Abdoulaye", "Zongo"),
        ("Awa", "Traoré"),
        ("Mariam Coulibaly", "Diarra"),
    ]
    flagged = [(p["row"], p["code"]) for p in roster.problems]
    assert flagged == [(3, "name_split_unsure"), (4, "name_split_unsure")]
    with translation.override("en"):
        from trainees.imports.problems import Problem

        assert Problem.from_dict(roster.problems[0]).message == (
            "“Abdoulaye Zongo” was split into given names “Abdoulaye” and family name "
            "“Zongo”: check the order."
        )


def test_a_row_with_only_one_name_is_imported_matched_and_flagged(imported, person):
    awa = person(given_names="Awa", family_name="Traoré", birth_year=1990, sex="F")
    Identifier.objects.create(person=awa, type="service_number", value_normalised="M123456")
    roster = imported(
        "Nom;Prénom;Sexe;Année de naissance;Matricule\n;Awa;F;1990;M123456\nKeïta;;M;1985;\n"
    )
    assert roster.summary["rows"] == 2 and roster.summary["left_out"] == 0
    assert [(p["row"], p["code"], p["level"]) for p in roster.problems] == [
        (2, "name_one", "warning"),
        (3, "name_one", "warning"),
    ]
    rows = {r.row_number: r for r in roster.rows.select_related("person")}
    assert rows[2].person == awa  # matched on the name and service number it has
    assert rows[3].person.family_name == "Keïta" and rows[3].person.given_names == ""


def test_a_row_without_any_name_is_the_only_one_left_out(imported):
    roster = imported("Nom;Prénom;Sexe\nTraoré;Awa;F\n;;M\n")
    assert roster.status == "confirmed"
    assert Person.objects.count() == 1
    assert roster.rows.get(row_number=3).action == "error"


# -- identifiers and residence -----------------------------------------------------------


def test_a_foreign_national_id_with_its_country_and_residence_on_the_person(imported):
    imported(
        "Nom;Prénom;National ID;Pays;Résidence\n"
        "Diop;Mamadou;1234567;Sénégal;Gao, quartier Château\n"
        "Issoufou;Amadou;NER-7654321;;Ménaka\n"
        "Traoré;Awa;1 1 85 1234567 001 K;;Sévaré\n"
        "Kaboré;Paul;998877;;\n"
    )
    ids = sorted(Identifier.objects.values_list("type", "value_normalised", "country"))
    assert ids == [
        ("national_id", "NE:7654321", "NE"),
        ("national_id", "SN:1234567", "SN"),
        ("national_id", "XX:998877", "XX"),
        ("nina", "11851234567001K", ""),
    ]
    assert Person.objects.get(family_name="Diop").residence == "Gao, quartier Château"
    assert Person.objects.get(family_name="Traoré").residence == "Sévaré"


def test_a_foreign_id_without_a_country_is_flagged(preview):
    roster = preview("Nom;Prénom;CNI\nKaboré;Paul;998877\n")
    assert roster.status == "ready"
    assert [p["code"] for p in roster.problems] == ["national_id_country_unknown"]


# -- headers ---------------------------------------------------------------------------------

#: Every spelling the field was seen to write (issue's list first), and what it means.
FIELD_HEADERS = [
    ("N°", "row_number"),
    ("No", "row_number"),
    ("N° d'ordre", "row_number"),
    ("Mle", "service_number"),
    ("Matricule", "service_number"),
    ("N° Matricule", "service_number"),
    ("Nom(s)", "full_name"),
    ("Prénom(s)", "given_names"),
    ("Sexe (M/F)", "sex"),
    ("Genre", "sex"),
    ("Date naiss.", "birth_date"),
    ("Date/Année de naissance", "birth_date"),
    ("Date de naissance (jj/mm/aaaa)", "birth_date"),
    ("Âge", "age"),
    ("Age (ans)", "age"),
    ("Corps", "organisation"),
    ("Corps/Structure", "organisation"),
    ("Structure", "unit"),
    ("Unité", "unit"),
    ("Service", "unit"),
    ("Grade", "rank"),
    ("Fonction", "rank"),
    ("Grade/Fonction", "rank"),
    ("Téléphone", "phone"),
    ("Tél.", "phone"),
    ("Tél 2", "phone"),
    ("Contact", "phone"),
    ("NINA", "nina"),
    ("N° NINA", "nina"),
    ("national_id", "national_id"),
    ("CNI", "national_id"),
    ("Nationalité", "country"),
    ("Résidence", "residence"),
    ("Village", "residence"),
    ("Address", "residence"),
    ("soc_sec_id", "national_id"),
    ("address_1", "residence"),
    ("Suburb", "residence"),
    ("Cercle", "residence"),
    ("Observation", IGNORE),
    ("Observations", IGNORE),
    ("Signature", IGNORE),
    ("Émargement", IGNORE),
    ("Prénom(s) et Nom", "full_name"),
    ("Nom et prénom(s)", "full_name"),
    ("Nom complet", "full_name"),
    ("NOM ET PRENOMS", "full_name"),
    ("Service number", "service_number"),
    ("N° de service", "service_number"),
]


@pytest.mark.parametrize(("header", "field"), FIELD_HEADERS)
def test_every_listed_header_spelling_maps(header, field):
    found = recognise([header])[0]
    assert found == field, (header, found)


def test_the_header_table_holds_at_least_sixty_spellings():
    assert len({k for k in SYNONYMS if k == k.strip()}) >= 60
    assert known_field("Service") == "unit"
    assert known_field("Structure") == "unit"
    assert known_field("N°") == "row_number"


def test_a_service_column_is_the_unit_and_never_a_service_number(imported):
    from trainees.models import Participation

    roster = imported(
        "N°;Nom;Prénom;Service;Matricule\n1;Traoré;Awa;Logistique;M123456\n2;Keïta;Moussa;Génie;\n"
    )
    assert roster.problems == []
    assert sorted(Participation.objects.values_list("unit", flat=True)) == ["Génie", "Logistique"]
    assert list(Identifier.objects.values_list("type", "value_normalised")) == [
        ("service_number", "M123456")
    ]


def test_two_phone_columns_add_up(imported):
    from trainees.imports.forms import ColumnMappingForm

    form = ColumnMappingForm(
        {"col_0": "family_name", "col_1": "given_names", "col_2": "phone", "col_3": "phone"},
        headers=["Nom", "Prénom", "Tél. 1", "Tél. 2"],
        mapping={},
    )
    assert form.is_valid(), form.errors
    imported("Nom;Prénom;Tél. 1;Tél. 2\nTraoré;Awa;76123456;66123456\n")
    assert sorted(Identifier.objects.values_list("value_normalised", flat=True)) == [
        "+22366123456",
        "+22376123456",
    ]


def test_residence_columns_are_joined_in_column_order(preview):
    roster_import = preview(
        "Nom;Prénom;Village;Commune;Cercle\nTraoré;Awa;Sosso Koira;Gao;Gao\nMaïga;Ali;;Ansongo;\n"
    )
    rows = {r.row_number: r.values for r in roster_import.rows.all()}
    assert rows[2]["residence"] == "Sosso Koira, Gao, Gao"
    assert rows[3]["residence"] == "Ansongo"
    assert set(roster_import.mapping.values()) >= {"residence"}
