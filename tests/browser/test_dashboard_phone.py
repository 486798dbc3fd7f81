"""The dashboard at 360 px: folded breakdowns, each label above its bar, nothing wider than
the screen; opening a breakdown fetches its chart only on a wide screen. A screenshot is kept
in tests/browser/screenshots/ (not in git) to look at."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, FieldOfficeFactory, UserFactory, totp_code, totp_enable
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)

SHOTS = Path(__file__).parent / "screenshots"


def _registry():
    gao = FieldOfficeFactory(code="gao", name="Gao")
    event = TrainingEventFactory(
        place=PlaceFactory(field_office=gao), start_date=datetime.date(2024, 3, 1)
    )
    long_name = OrganisationFactory(
        code="long", name_fr="Direction nationale de la protection civile et des secours"
    )
    for i in range(6):
        person = PersonFactory(
            given_names="Awa", family_name=f"Traoré{i}", sex="F" if i % 2 else "M"
        )
        ParticipationFactory(person=person, event=event, organisation=long_name)


@pytest.fixture
def coordinator_page(page, sign_in):
    """The French dashboard's data and a signed-in coordinator."""
    _registry()
    user = UserFactory(username="coord360", role="coordinator")
    secret = totp_enable(user)
    sign_in("coord360", PASSWORD, "fr")
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/fr/my-learning/$"))
    return page


def _no_page_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360 px"


def test_dashboard_at_360_px(coordinator_page):
    page = coordinator_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/fr/reports/")
    sex = page.locator("details#t-trained-sex")
    expect(sex).not_to_have_attribute("open", "")
    sex.locator("summary").click()
    table = sex.locator('table[data-table="trained-sex"]')
    expect(table).to_be_visible()
    # Each label sits above its bar, and is as tall as body text (not 5 px).
    label = table.locator("tbody th").first
    bar = label.locator("meter")
    expect(bar).to_be_visible()
    label_box, bar_box = label.bounding_box(), bar.bounding_box()
    assert bar_box["y"] > label_box["y"] + 10
    assert bar_box["width"] > 150
    font = page.evaluate("el => parseFloat(getComputedStyle(el).fontSize)", label.element_handle())
    assert font >= 14
    # No chart is fetched on a phone: the table is the chart.
    expect(sex.locator("svg")).to_have_count(0)
    _no_page_overflow(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-360.png"), full_page=True)

    # The staff navigation is one line, and the header is not taller than on a desktop.
    nav = page.locator(".main-nav ul")
    assert nav.bounding_box()["height"] < 60


def test_wide_screen_fetches_the_chart_when_opened(coordinator_page):
    page = coordinator_page
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto("/fr/reports/")
    organisations = page.locator("details#t-trained-organisation")
    organisations.locator("summary").click()
    expect(organisations.locator('svg[role="img"]')).to_have_count(1)
    expect(organisations.locator("table")).to_contain_text("Direction nationale")


def test_other_tables_scroll_in_their_own_box_at_360_px(coordinator_page):
    page = coordinator_page
    page.set_viewport_size({"width": 360, "height": 780})
    for url in ["/fr/my-learning/", "/fr/reports/people/", "/fr/reports/people/?by=sex&key=F"]:
        page.goto(url)
        _no_page_overflow(page)
