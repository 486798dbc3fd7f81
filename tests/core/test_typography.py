import pytest

from lms.core.typography import NNBSP, french_typography, typography


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("Période : 2026", f"Période{NNBSP}: 2026"),
        ("Période: 2026", f"Période{NNBSP}: 2026"),
        ("« Sensibilisation »", f"«{NNBSP}Sensibilisation{NNBSP}»"),
        (f"«{NNBSP}{NNBSP}Sensibilisation{NNBSP} »", f"«{NNBSP}Sensibilisation{NNBSP}»"),
        ("Vraiment ? Oui !", f"Vraiment{NNBSP}? Oui{NNBSP}!"),
        ("à 08:17, https://exemple.org/?next=/fr/", "à 08:17, https://exemple.org/?next=/fr/"),
    ],
)
def test_french_typography_spaces_high_punctuation_and_guillemets_once(text, typeset):
    assert french_typography(text) == typeset
    # The catalogue is typeset on every rebuild: a second pass must change nothing.
    assert french_typography(typeset) == typeset


def test_typography_leaves_english_alone():
    assert typography("Period: 2026", "en") == "Period: 2026"
