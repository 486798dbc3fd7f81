"""Several values per filter, chosen with the keyboard on a phone-sized screen, in French and
English: the figure is the distinct union, the drill-down and the published report agree."""

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

TEXT = {
    "fr": {"filters": "Filtres", "office": "Bureau de terrain", "show": "Afficher",
           "all": "Tous", "title": "Titre du rapport publié", "publish": "Publier ce rapport"},
    "en": {"filters": "Filters", "office": "Field office", "show": "Show", "all": "All",
           "title": "Title of the published report", "publish": "Publish this report"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
def test_two_offices_chosen_with_the_keyboard_count_the_union(page, sign_in, language):
    text = TEXT[language]
    gao = FieldOfficeFactory(code="gao", name="Gao")
    tbk = FieldOfficeFactory(code="tbk", name="Timbuktu")
    mopti = FieldOfficeFactory(code="mopti", name="Mopti")
    day = datetime.date(2022, 5, 3)
    events = [
        TrainingEventFactory(place=PlaceFactory(field_office=office), start_date=day)
        for office in (gao, tbk, mopti)
    ]
    people = [PersonFactory(given_names="Awa", family_name=f"Keita{i}") for i in range(4)]
    for person in people[:2]:
        ParticipationFactory(person=person, event=events[0])
    for person in people[1:3]:
        ParticipationFactory(person=person, event=events[1])
    ParticipationFactory(person=people[3], event=events[2])
    user = UserFactory(username="coord", role="coordinator")
    secret = totp_enable(user)
    sign_in("coord", PASSWORD, language)
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/my-learning/$"))

    page.goto(f"/{language}/reports/")
    filters = page.get_by_text(text["filters"], exact=True)
    filters.focus()
    page.keyboard.press("Enter")
    summary = page.locator('details[data-filter="field_office"] summary')
    expect(summary).to_have_text(text["all"])
    summary.focus()
    page.keyboard.press("Enter")  # opens the office list
    gao_box = page.get_by_label("Gao", exact=True)
    tbk_box = page.get_by_label("Timbuktu", exact=True)
    gao_box.focus()
    page.keyboard.press("Space")
    tbk_box.focus()
    page.keyboard.press("Space")
    expect(gao_box).to_be_checked()
    expect(tbk_box).to_be_checked()
    expect(page.get_by_label("Mopti", exact=True)).not_to_be_checked()
    page.get_by_role("button", name=text["show"]).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("field_office=gao&field_office=tbk"))
    expect(page.locator('[data-figure="trained"]')).to_have_text("3")  # not 2 + 2
    expect(page.locator('details[data-filter="field_office"] summary')).to_have_text(
        re.compile("^2 ")
    )
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator('[data-figure="trained"] a').click()
    expect(page.locator("[data-count]")).to_have_text("3")
    page.go_back()

    page.get_by_label(text["title"]).fill("Gao + Timbuktu")
    page.get_by_role("button", name=text["publish"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gao + Timbuktu")
    expect(page.locator(".filters-shown")).to_contain_text("Gao, Timbuktu")
    row = page.locator('[data-table="restatement"] tr[data-figure="trained"]')
    expect(row.locator(".published")).to_have_text("3")
