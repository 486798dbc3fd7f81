"""A trainer imports a roster with errors, sees them by row and column, fixes the file and
imports it; a coordinator reviews a candidate pair and merges it; the counts follow."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, FieldOfficeFactory, UserFactory, totp_code, totp_enable
from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)
from trainees.review.services import review_pair_propose
from trainees.selectors.counting import CountScope, people_count

TEXT = {
    "fr": {
        "event": "Activité de formation",
        "file": "Fichier de la liste",
        "read": "Lire le fichier",
        "error": "Prénoms\u202f: valeur obligatoire.",
        "future": "L'année de naissance 2091 est dans le futur.",
        "ready": "Prêt à importer",
        "confirm": "Confirmer l'import",
        "imported": "Importé. 3 lignes, 3 personnes\u202f: 3 nouvelles, 0 reliées, 0 à vérifier.",
        "merge": "Même personne\u202f: fusionner",
        "merged": "1 paire décidée. Personnes dans le registre\u202f: 4 (avant\u202f: 5).",
    },
    "en": {
        "event": "Training event",
        "file": "Roster file",
        "read": "Read the file",
        "error": "Given names: a value is required.",
        "future": "The year of birth 2091 is in the future.",
        "ready": "Ready to import",
        "confirm": "Confirm the import",
        "imported": "Imported. 3 rows, 3 people: 3 new, 0 linked, 0 to review.",
        "merge": "Same person: merge",
        "merged": "1 pair decided. People in the registry: 4 (before: 5).",
    },
}

WITH_ERRORS = "Nom;Prénom;Sexe;Année de naissance\nTraoré;Awa;F;1990\nKeita;;M;2091\n"
FIXED = (
    "Nom;Prénom;Sexe;Année de naissance\n"
    "Traoré;Awa;F;1990\nKeita;Moussa;M;1985\nDiarra;Fatoumata;F;1992\n"
)


def counted() -> int:
    return people_count(scope=CountScope(outcomes=("attended",)))


def sign_in_with_code(page, sign_in, user, secret, language):
    sign_in(user.username, PASSWORD, language)
    expect(page).to_have_url(re.compile(f"/{language}/accounts/2fa/authenticate/$"))
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/my-learning/$"))


def upload(page, language, content: str):
    t = TEXT[language]
    page.goto(f"/{language}/registry/imports/")
    page.get_by_label(t["event"]).select_option(index=1)
    page.get_by_label(t["file"]).set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name=t["read"]).click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_trainer_imports_then_coordinator_merges(page, sign_in, language):
    t = TEXT[language]
    office = FieldOfficeFactory(code="gao", name="Gao")
    trainer = UserFactory(username="trainer", role="trainer")
    trainer.field_offices.add(office)
    trainer_secret = totp_enable(trainer)
    coordinator = UserFactory(username="coordinator", role="coordinator")
    coordinator_secret = totp_enable(coordinator)
    TrainingEventFactory(title="EOD Gao", place=PlaceFactory(field_office=office))
    born = datetime.date(1979, 5, 2)
    a = PersonFactory(given_names="Mariam", family_name="Coulibaly", sex="F", birth_date=born)
    b = PersonFactory(given_names="Mariam", family_name="Koulibaly", sex="F", birth_date=born)
    ParticipationFactory(person=a, outcome="attended")
    ParticipationFactory(person=b, outcome="attended")
    review_pair_propose(person_a=a, person_b=b, score=0.82, reasons=[])
    assert counted() == 2

    sign_in_with_code(page, sign_in, trainer, trainer_secret, language)
    upload(page, language, WITH_ERRORS)
    errors = page.locator("section.errors table")
    expect(errors.locator("tr", has_text=t["error"])).to_contain_text("3")
    expect(errors.locator("tr", has_text=t["error"])).to_contain_text("Prénom")
    expect(errors.locator("tr", has_text=t["future"])).to_contain_text("Année de naissance")
    assert counted() == 2

    upload(page, language, FIXED)
    expect(page.get_by_role("heading", name=t["ready"])).to_be_visible()
    page.get_by_role("button", name=t["confirm"]).click()
    expect(page.locator(".messages")).to_contain_text(t["imported"])
    assert counted() == 5

    page.context.clear_cookies()
    sign_in_with_code(page, sign_in, coordinator, coordinator_secret, language)
    page.goto(f"/{language}/registry/review/")
    page.get_by_role("button", name=t["merge"]).first.click()
    expect(page.locator(".messages")).to_contain_text(t["merged"])
    assert counted() == 4
