"""A coordinator filters the dashboard by year and field office, opens a drill-down, exports
XLSX and PDF and publishes the report, in French and English; the files say what the
screen says."""

import datetime
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD, FieldOfficeFactory, UserFactory, totp_code, totp_enable
from tests.reports.pdf_text import pdf_text
from tests.trainees.factories import (
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)

TEXT = {
    "fr": {
        "filters": "Filtres",
        "from": "Du",
        "to": "Au",
        "office": "Bureau de terrain",
        "show": "Afficher",
        "people": "Personnes derrière le chiffre",
        "xlsx": "Télécharger en XLSX",
        "pdf": "Télécharger le rapport bailleur en PDF",
        "title": "Titre du rapport publié",
        "publish": "Publier ce rapport",
        "trained": "Personnes uniques formées",
        "unchanged": "Rien n'a changé depuis la publication.",
    },
    "en": {
        "filters": "Filters",
        "from": "From",
        "to": "To",
        "office": "Field office",
        "show": "Show",
        "people": "People behind the figure",
        "xlsx": "Download XLSX",
        "pdf": "Download PDF donor report",
        "title": "Title of the published report",
        "publish": "Publish this report",
        "trained": "Unique people trained",
        "unchanged": "Nothing has changed since publication.",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_coordinator_filters_drills_down_exports_and_publishes(page, sign_in, language):
    text = TEXT[language]
    gao = FieldOfficeFactory(code="gao", name="Gao")
    mopti = FieldOfficeFactory(code="mopti", name="Mopti")
    gao_2022 = TrainingEventFactory(
        place=PlaceFactory(field_office=gao), start_date=datetime.date(2022, 5, 3)
    )
    gao_2021 = TrainingEventFactory(
        place=PlaceFactory(field_office=gao), start_date=datetime.date(2021, 5, 3)
    )
    mopti_2022 = TrainingEventFactory(
        place=PlaceFactory(field_office=mopti), start_date=datetime.date(2022, 6, 1)
    )
    for i in range(4):
        person = PersonFactory(given_names="Awa", family_name=f"Coulibaly{i}")
        ParticipationFactory(person=person, event=gao_2022)
        ParticipationFactory(person=person, event=gao_2021)
    ParticipationFactory(event=gao_2022, outcome="failed")
    ParticipationFactory(event=mopti_2022)
    user = UserFactory(username="coord", role="coordinator")
    secret = totp_enable(user)
    sign_in("coord", PASSWORD, language)
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/my-learning/$"))

    page.goto(f"/{language}/reports/")
    page.get_by_text(text["filters"], exact=True).click()
    page.get_by_label(text["from"], exact=True).fill("2022-01-01")
    page.get_by_label(text["to"], exact=True).fill("2022-12-31")
    offices = page.locator('details[data-filter="field_office"]')
    expect(page.get_by_role("group", name=text["office"])).to_be_visible()
    offices.locator("summary").click()
    offices.get_by_label("Gao", exact=True).check()
    page.get_by_role("button", name=text["show"]).click()
    expect(page).to_have_url(re.compile("field_office=gao"))
    trained = page.locator('[data-figure="trained"]')
    expect(trained).to_have_text("4")
    screen = {
        code: page.locator(f'[data-figure="{code}"]').inner_text()
        for code in ("trained", "participations")
    }
    assert screen == {"trained": "4", "participations": "5"}

    trained.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["people"])
    expect(page.locator("[data-count]")).to_have_text("4")
    expect(page.locator("tbody tr")).to_have_count(4)
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name=text["xlsx"]).click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    values = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert values[text["trained"]] == int(screen["trained"])
    assert values["Participations"] == int(screen["participations"])

    with page.expect_download() as info:
        page.get_by_role("link", name=text["pdf"]).click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    drawn = [
        re.sub(r"\\(\d{3})", lambda m: chr(int(m.group(1), 8)), item)
        for item in re.findall(r"\((.*?)\) Tj", pdf_text(pdf))
    ]
    # The label may wrap onto two lines of its cell: the next number drawn is its value.
    start = next(i for i, item in enumerate(drawn) if item and text["trained"].startswith(item))
    assert next(item for item in drawn[start + 1 :] if item.isdigit()) == screen["trained"]

    page.get_by_label(text["title"]).fill("Gao 2022")
    page.get_by_role("button", name=text["publish"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gao 2022")
    row = page.locator('[data-table="restatement"] tr[data-figure="trained"]')
    expect(row.locator(".published")).to_have_text(screen["trained"])
    expect(row.locator(".restated")).to_have_text(screen["trained"])
    expect(page.get_by_text(text["unchanged"])).to_be_visible()
