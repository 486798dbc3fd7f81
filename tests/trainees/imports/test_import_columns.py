import pytest

from trainees.imports.columns import IGNORE, recognise


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom de famille", "family_name"),
        ("PRÉNOM(S)", "given_names"),
        ("Prenoms", "given_names"),
        ("Nom complet", "full_name"),
        ("Nom et prénom(s)", "full_name"),
        ("Sexe", "sex"),
        ("Genre", "sex"),
        ("Date de naissance", "birth_date"),
        ("date naissance", "birth_date"),
        ("Né(e) le", "birth_date"),
        ("Année de naissance", "birth_year"),
        ("Âge", "age"),
        ("N° Matricule", "service_number"),
        ("NINA", "nina"),
        ("N° passeport", "passport"),
        ("Téléphone", "phone"),
        ("Tél.", "phone"),
        ("Organisation", "organisation"),
        ("Unité", "unit"),
        ("Grade", "rank"),
        ("Résultat", "outcome"),
        ("Note", "score"),
        ("Family name", "family_name"),
        ("Given names", "given_names"),
        ("First name", "given_names"),
        ("Full name", "full_name"),
        ("Gender", "sex"),
        ("DOB", "birth_date"),
        ("Date of birth", "birth_date"),
        ("Year of birth", "birth_year"),
        ("Service number", "service_number"),
        ("Phone number", "phone"),
        ("UN index number", "un_index"),
        ("Organization", "organisation"),
        ("Outcome", "outcome"),
        ("Score", "score"),
    ],
)
def test_headers_are_recognised_in_french_and_english(header, field):
    assert recognise([header]) == {0: field}


def test_nom_is_family_name_beside_given_names_and_full_name_alone():
    assert recognise(["Nom", "Prénom"]) == {0: "family_name", 1: "given_names"}
    assert recognise(["Nom", "Sexe"]) == {0: "full_name", 1: "sex"}
    assert recognise(["Name", "Gender"]) == {0: "full_name", 1: "sex"}


def test_unknown_and_repeated_columns_are_left_for_mapping():
    assert recognise(["Nom", "Prénom", "Ethnie", "Téléphone", "Tel", "", "Sexe", "Genre"]) == {
        0: "family_name",
        1: "given_names",
        2: None,
        3: "phone",
        4: "phone",  # phones add up: "Tél. 1", "Tél. 2"
        5: IGNORE,
        6: "sex",
        7: None,
    }
