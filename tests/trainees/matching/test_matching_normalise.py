"""Name and identifier normalisation."""

import pytest

from trainees.matching import (
    IdentifierError,
    canonical_name,
    identifier_error,
    name_tokens,
    normalise_identifier,
    normalise_phone,
    normalise_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Traoré", "traore"),
        ("KEÏTA", "keita"),
        ("  Maïga   Haïdara ", "maiga haidara"),
        ("Ag-Attaher", "ag attaher"),
        ("N'Diaye", "ndiaye"),
        ("N\u2019Diaye", "ndiaye"),
        ("Sidibé.", "sidibe"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def test_particles_attach_to_the_following_token():
    assert name_tokens("Mohamed Ag Attaher") == ("mohamed", "ag+attaher")
    assert name_tokens("Mohamed Ag-Attaher") == ("mohamed", "ag+attaher")
    assert name_tokens("Fatimata Walet Intalla") == ("fatimata", "walet+intalla")
    assert name_tokens("Sidi Ould Mohamed") == ("sidi", "ould+mohamed")
    assert name_tokens("Mohamed El Moctar") == ("mohamed", "al+moctar")
    assert name_tokens("Abdoul Karim") == ("abd+karim",)


def test_particle_spellings_share_a_form_but_meanings_stay_apart():
    assert canonical_name("Mohamed El Moctar") == canonical_name("Mohamed Al Mokhtar")
    assert canonical_name("Welet Intalla") == canonical_name("Walet Intalla")
    assert canonical_name("Ag Intalla") != canonical_name("Walet Intalla")


def test_glued_particle_is_split_when_the_rest_is_a_known_name():
    assert canonical_name("Agattaher") == canonical_name("Ag Attaher")
    assert canonical_name("Abdoulkarim") == canonical_name("Abdoul Karim")
    # Abdoulaye is a name of its own, never "abd+aye".
    assert canonical_name("Abdoulaye") == ("abdoulaye",)


def test_a_known_name_typed_on_the_other_keyboard_layout_is_that_name():
    # AZERTY/QWERTY: one a/q or z/w key swapped.
    assert canonical_name("KULIBQLI") == canonical_name("Coulibaly")
    assert canonical_name("Cqmara") == canonical_name("Camara")
    assert canonical_name("Ag Qttaher") == canonical_name("Ag Attaher")
    # Names unknown to the table, or two swaps away, are left as they are.
    assert canonical_name("Qadir") == ("qadir",)
    assert canonical_name("Cqmqra") == ("cqmqra",)


def test_trailing_particle_and_civility():
    assert name_tokens("Mohamed Ag") == ("mohamed", "ag")
    assert name_tokens("Mme Aminata Traoré") == ("aminata", "traore")
    assert name_tokens("M.") == ("m",)  # nothing else left: kept


@pytest.mark.parametrize(
    "raw",
    [
        "76123456",
        "76 12 34 56",
        "76.12.34.56",
        "+223 76 12 34 56",
        "+223.76.12.34.56",
        "0022376123456",
        "00 223 76-12-34-56",
        "22376123456",
        "(+223) 76 12 34 56",
    ],
)
def test_malian_phone_forms_are_one_number(raw):
    assert normalise_phone(raw) == "+22376123456"


def test_foreign_phone_keeps_its_country_code():
    assert normalise_phone("+33 6 12 34 56 78") == "+33612345678"
    assert normalise_phone("00227 90 12 34 56") == "+22790123456"


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        (
            "7612345",
            "phone_length",
            "Phone number '7612345' is not a Malian number: expected 8 digits after the "
            "optional +223, got 7.",
        ),
        (
            "16123456",
            "phone_prefix",
            "Phone number '16123456' is not a Malian number: a Malian number starts with "
            "2, 4, 5, 6, 7, 8 or 9.",
        ),
        (
            "76-12-AB-56",
            "phone_characters",
            "Phone number '76-12-AB-56' contains characters other than digits, spaces, dots, "
            "dashes and a leading +.",
        ),
    ],
)
def test_wrong_phone_has_a_clear_message(raw, code, message):
    with pytest.raises(IdentifierError) as info:
        normalise_phone(raw)
    assert info.value.code == code
    assert str(info.value) == message


def test_identifiers_normalise_per_type():
    assert normalise_identifier("nina", "1 1 85 1234567 001 k") == "11851234567001K"
    assert normalise_identifier("passport", "aa 123-4567") == "AA1234567"
    assert normalise_identifier("service_number", "m-012.345") == "M012345"
    assert normalise_identifier("un_index", "0123 4567") == "01234567"
    assert normalise_identifier("phone", "76 12 34 56") == "+22376123456"


@pytest.mark.parametrize(
    ("id_type", "value", "code"),
    [
        ("nina", "1851234567001K", "nina_format"),
        ("nina", "118512345670011", "nina_format"),
        ("passport", "ABCDEFG", "passport_format"),
        ("passport", "A1", "passport_format"),
        ("service_number", "AB", "service_number_format"),
        ("un_index", "12AB567", "un_index_format"),
        ("email", "x@example.org", "identifier_type"),
        ("nina", "  ", "identifier_empty"),
    ],
)
def test_wrong_identifiers_are_reported(id_type, value, code):
    error = identifier_error(id_type, value)
    assert error is not None and error.code == code
    assert error.message


def test_nina_message():
    assert identifier_error("nina", "12345").message == (
        "NINA '12345' is not valid: a NINA has 14 digits followed by one letter "
        "(for example 1 1 85 1234567 001 K)."
    )
    assert identifier_error("nina", "1 1 85 1234567 001 K") is None


def test_canonical_identifiers_are_fixed_points():
    for id_type, value in [
        ("nina", "11851234567001K"),
        ("passport", "AA1234567"),
        ("phone", "+22376123456"),
        ("phone", "+33612345678"),
        ("service_number", "M012345"),
        ("un_index", "01234567"),
    ]:
        assert normalise_identifier(id_type, value) == value
