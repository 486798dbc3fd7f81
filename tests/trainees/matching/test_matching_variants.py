"""The variant table: the same name is one key, different names never are."""

import pytest

from trainees.matching import VARIANT_GROUPS, canonical_name, normalise_text, token_similarity
from trainees.matching.variants import canonical_token


@pytest.mark.parametrize(
    "spellings",
    [
        ("Mohamed", "Mohammed", "Mouhamed", "Mahamed", "Muhammad"),
        ("Moussa", "Mousa"),
        ("Oumar", "Umar", "Omar"),
        ("Boubacar", "Aboubacar", "Boubakar"),
        ("Amadou", "Hamadou", "Ahmadou"),
        ("Ibrahim", "Ibrahima", "Brahima"),
        ("Fatoumata", "Fatimata", "Fatouma"),
        ("Aïssata", "Aissata", "Aichata"),
        ("Mariam", "Mariame", "Mariama"),
        ("Coulibaly", "Kulibali"),
        ("Diarra", "Jara"),
        ("Keïta", "Keita"),
        ("Traoré", "Traore", "TRAORE"),
        ("Maïga", "Maiga"),
        ("Touré", "Toure"),
        ("Diallo", "Jallo"),
        ("Cissé", "Cisse", "Sissé"),
        ("Sidibé", "Sidibe"),
        ("Dicko", "Dikko"),
        ("Haïdara", "Haidara"),
    ],
)
def test_variants_share_one_key(spellings):
    keys = {canonical_name(s) for s in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Touré", "Traoré"),
        ("Mamadou", "Mohamed"),
        ("Moussa", "Mamadou"),
        ("Fatoumata", "Fanta"),
        ("Keita", "Konaté"),
        ("Fatoumata", "Fatima"),
        ("Amadou", "Ahmed"),
        ("Awa", "Hawa"),
        ("Aïssata", "Aïcha"),
        ("Boubacar", "Bakary"),
        ("Oumar", "Oumarou"),
        ("Mahamane", "Mohamed"),
        ("Kadiatou", "Kadidia"),
        ("Salif", "Sali"),
    ],
)
def test_different_names_are_never_the_same(a, b):
    (ka,), (kb,) = canonical_name(a), canonical_name(b)
    assert ka != kb
    assert token_similarity(ka, kb) == (0.0, "none")


def test_every_spelling_belongs_to_one_group():
    seen: dict[str, str] = {}
    for key, spellings in VARIANT_GROUPS.items():
        for spelling in (key, *spellings):
            norm = normalise_text(spelling)
            assert seen.setdefault(norm, key) == key, (spelling, seen[norm], key)
            assert canonical_token(norm) == key


def test_keys_are_their_own_canonical_form():
    for key in VARIANT_GROUPS:
        assert key == normalise_text(key).replace(" ", "")


def test_a_typo_of_an_unknown_spelling_is_only_near():
    sim, kind = token_similarity("coulibaly", "coulbaly")
    assert kind == "fuzzy" and 0.8 <= sim < 1.0
    assert token_similarity("traore", "toure")[0] == 0.0
