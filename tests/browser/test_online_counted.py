"""A trainee completes a course online; the coordinator's figure of people trained goes up by
one and the drill-down names her (the course engine's statements reach the registry)."""

import re

import pytest
from playwright.sync_api import expect

from tests.courses.builders import course_make, course_translate, home_page_make
from tests.factories import PASSWORD, UserFactory, totp_code, totp_enable
from tests.trainees.factories import ParticipationFactory, PersonFactory

TEXT = {
    "fr": {
        "login": ("Identifiant", "Mot de passe"),
        "enrol": "Inscrivez-vous à ce cours",
        "done": "Marquer comme terminé et continuer",
        "people": "Personnes derrière le chiffre",
    },
    "en": {
        "login": ("Login", "Password"),
        "enrol": "Enrol in this course",
        "done": "Mark as done and continue",
        "people": "People behind the figure",
    },
}


def sign_in(page, username, language, secret=None):
    labels = TEXT[language]["login"]
    page.goto(f"/{language}/accounts/login/")
    page.get_by_label(re.compile(f"^{labels[0]}")).fill(username)
    page.get_by_label(re.compile(f"^{labels[1]}")).fill(PASSWORD)
    page.keyboard.press("Enter")
    if secret is not None:
        expect(page).to_have_url(re.compile("/2fa/authenticate/$"))
        page.get_by_label(re.compile("Code")).fill(totp_code(secret))
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/my-learning/$"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_online_completion_raises_the_coordinators_figure(page, browser, live_server, language):
    text = TEXT[language]
    home = home_page_make()
    course = course_make(
        title="Sensibilisation aux engins explosifs",
        questions=0,
        modules=(("Reconnaître", False),),
        programme_code="eod_iedd",
        home=home,
    )
    shown = course_translate(course, "en") if language == "en" else course
    ParticipationFactory(person=PersonFactory(given_names="Moussa", family_name="Keïta"))
    UserFactory(
        username="awa",
        role="trainee",
        first_name="Awa",
        last_name="Sangaré",
        preferred_language=language,
    )
    coordinator = UserFactory(username="coord", role="coordinator")
    sign_in(page, "coord", language, totp_enable(coordinator))
    page.goto(f"/{language}/reports/")
    trained = page.locator('[data-figure="trained"]')
    expect(trained).to_have_text("1")

    # The trainee, in her own browser, enrols and finishes the only module.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    trainee = context.new_page()
    sign_in(trainee, "awa", language)
    trainee.goto(shown.url)
    trainee.get_by_role("button", name=text["enrol"]).click()
    trainee.get_by_role("link", name=re.compile("^Reconnaître")).first.click()
    trainee.get_by_role("button", name=text["done"]).click()
    expect(trainee.get_by_role("heading", level=1)).to_have_text(shown.title)
    context.close()

    page.reload()
    expect(trained).to_have_text("2")
    page.goto(f"/{language}/reports/?kind=online")
    expect(trained).to_have_text("1")
    trained.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["people"])
    expect(page.locator("[data-count]")).to_have_text("1")
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text("SANGARÉ Awa")
    expect(row).to_contain_text("Sensibilisation aux engins explosifs")
