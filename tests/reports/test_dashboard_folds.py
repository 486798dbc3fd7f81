"""The dashboard on a phone: folded breakdowns, charts on demand, a small page."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.trainees.factories import OrganisationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_organisations():
    # More organisations than a breakdown shows inline: that one is loaded when opened.
    for i in range(40):
        org = OrganisationFactory(code=f"org-{i}", name_fr=f"Organisation {i}")
        ParticipationFactory(organisation=org, date=datetime.date(2022, 3, 1))


def test_breakdowns_are_folded_and_long_ones_load_on_demand(
    client, coordinator, many_organisations
):
    response = client.get(reverse("reports_dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 150_000
    assert '<details class="breakdown" id="t-trained-sex"' in html
    assert " open" not in html.split('<details class="breakdown"', 1)[1].split(">", 1)[0]
    # The short ones carry their table (bars under each label); the long one a link.
    assert 'data-table="trained-sex"' in html
    assert 'data-table="trained-organisation"' not in html
    assert "/en/reports/breakdown/trained/organisation/?" in html


def _fold(html: str, by: str) -> str:
    return html.split(f'id="t-trained-{by}"', 1)[1].split("</details>", 1)[0]


def test_the_first_screen_counts_the_longest_breakdowns_when_opened(
    client, coordinator, many_organisations
):
    # Cold: organisations, places and months are counted by the endpoint, not the page.
    html = client.get(reverse("reports_dashboard")).content.decode()
    for by in ("organisation", "place", "month"):
        assert "Show the rows</a>" in _fold(html, by), by
    assert "Show the 40 rows" in _fold(html, "field_office")  # counted, too long to show
    url = reverse("reports_breakdown", args=["trained", "organisation"])
    fragment = client.get(url, headers={"X-Requested-With": "fetch"}).content.decode()
    assert fragment.count('<meter min="0"') == 40
    # The whole report the endpoint stored now serves the dashboard too.
    html = client.get(reverse("reports_dashboard")).content.decode()
    assert "Show the 40 rows" in _fold(html, "organisation")


def test_the_breakdown_endpoint_sends_the_chart_and_the_whole_table(
    client, coordinator, many_organisations
):
    url = reverse("reports_breakdown", args=["trained", "organisation"])
    fragment = client.get(url, headers={"X-Requested-With": "fetch"})
    text = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in text and '<svg role="img"' in text
    assert text.count('<meter min="0"') == 40
    page = client.get(url)
    assert "<html" in page.content.decode() and "Back to the dashboard" in page.content.decode()


def test_an_unknown_breakdown_is_404(client, coordinator):
    response = client.get(reverse("reports_breakdown", args=["trained", "shoe_size"]))
    assert response.status_code == 404
    assert "Unknown breakdown: shoe_size." in response.content.decode()


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_the_breakdown_endpoint_is_for_readers_of_reports(client, sign_in_as, role):
    sign_in_as(role)
    url = reverse("reports_breakdown", args=["trained", "sex"])
    assert client.get(url).status_code == 403


def test_xlsx_sheet_names_are_whole_names(client, coordinator, many_organisations):
    from django.utils import translation

    with translation.override("fr"):
        response = client.get(reverse("reports_export", args=["xlsx"]))
    names = load_workbook(io.BytesIO(response.content)).sheetnames
    assert "Catégorie d'organisation" in names and "Atteints · Bureau de terrain" in names
    assert all("(" not in name and len(name) <= 31 for name in names), names
