"""Report screens: access by role, bad filters, drill-down, exports, audit, query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    TrainingEventFactory,
)
from trainees.matching.records import LINK_PROBABILITY

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "url",
    ["/en/reports/", "/en/reports/people/", "/en/reports/export/xlsx/", "/en/reports/published/"],
)
@pytest.mark.parametrize("role", ["trainee", "trainer", "lead_trainer"])
def test_roles_without_access_are_refused(client, sign_in_as, role, url):
    ParticipationFactory(person=PersonFactory(given_names="Awa", family_name="Sangaré"))
    sign_in_as(role)
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only coordinators and administrators can see the reports." in html
    assert "SANGARÉ" not in html.upper()
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("reports_dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_administrator_sees_the_dashboard(client, sign_in_as):
    sign_in_as("administrator")
    assert client.get(reverse("reports_dashboard")).status_code == 200


def test_impossible_period_gets_a_clear_message(client, coordinator):
    response = client.get(
        reverse("reports_dashboard"), {"date_from": "2023-01-01", "date_to": "2022-12-31"}
    )
    assert response.status_code == 400
    assert (
        "To: The end of the period (Dec. 31, 2022) is before its start (Jan. 1, 2023)."
        in response.content.decode()
    )


def test_unknown_filter_gets_a_clear_message(client, coordinator):
    response = client.get(reverse("reports_dashboard"), {"region": "gao"})
    assert response.status_code == 400
    assert "Unknown filter: region." in response.content.decode()


def test_unknown_choice_is_refused(client, coordinator):
    response = client.get(reverse("reports_dashboard"), {"field_office": "atlantis"})
    assert response.status_code == 400
    assert "Field office: Select a valid choice." in response.content.decode()


@pytest.fixture
def registry():
    gao, mopti = FieldOfficeFactory(code="gao", name="Gao"), FieldOfficeFactory(code="mopti")
    in_gao = TrainingEventFactory(place=PlaceFactory(field_office=gao), start_date=D(2022, 4, 1))
    in_mopti = TrainingEventFactory(
        place=PlaceFactory(field_office=mopti), start_date=D(2023, 4, 1)
    )
    army = OrganisationFactory(code="test-army", name_fr="FAMa")
    people = [PersonFactory(given_names=f"P{i}", family_name=f"Keïta{i}") for i in range(7)]
    for person in people[:5]:
        ParticipationFactory(person=person, event=in_gao, organisation=army)
    for person in people[3:]:
        ParticipationFactory(person=person, event=in_mopti)
    return people


def _figure(html: str, code: str) -> str:
    start = html.index(f'data-figure="{code}">')
    chunk = html[start : start + 300]
    return chunk.split(">", 2)[1 if "<a" not in chunk.split(">", 1)[1][:3] else 2].split("<")[0]


def test_dashboard_shows_headlines_breakdowns_and_charts(client, coordinator, registry):
    response = client.get(reverse("reports_dashboard"), {"date_from": "2022-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _figure(html, "trained") == "7"
    assert _figure(html, "participations") == "9"
    assert "7 since the start" in html
    # Breakdowns are folded with their tables; charts come from the breakdown endpoint.
    assert html.count('<details class="breakdown"') >= 10
    assert "<svg" not in html
    # One script of the dashboard's own; the others are the offline queue's, on every page.
    own = html.count("<script") - html.count('<script src="/static/offline/')
    assert own == 1 and '<script src="/static/reports/breakdowns.js"' in html
    assert "Headcounts, not unique people: never added to the figures above." in html
    assert '<a href="/en/reports/methodology/#trained">' in html or "#trained" in html


def test_drill_down_lists_exactly_the_people_of_the_cell(client, coordinator, registry):
    response = client.get(
        reverse("reports_people"), {"field_office": "gao", "by": "year", "key": "2022"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong data-count>5</strong>" in html
    assert html.count("<tr>") == 6  # header + 5 people
    assert "FAMa" in html
    event = AuditEvent.objects.get(action="report.drilldown")
    assert event.detail["count"] == 5 and len(event.detail["shown"]) == 5
    assert event.detail["filters"] == {"field_office": ["gao"]}


def test_drill_down_of_a_not_recorded_row(client, coordinator, registry):
    response = client.get(reverse("reports_people"), {"by": "organisation", "key": ""})
    assert "<strong data-count>4</strong>" in response.content.decode()


def test_drill_down_with_a_bad_row_is_refused(client, coordinator):
    response = client.get(reverse("reports_people"), {"by": "year", "key": "twenty"})
    assert response.status_code == 400
    assert "Unknown row: twenty." in response.content.decode()
    response = client.get(reverse("reports_people"), {"by": "shoe_size", "key": "42"})
    assert response.status_code == 400
    assert "Unknown breakdown: shoe_size." in response.content.decode()


def test_drill_down_is_paginated_with_a_constant_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    event = TrainingEventFactory()
    for i in range(60):
        ParticipationFactory(person=PersonFactory(family_name=f"N{i:02d}"), event=event)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reports_people"))
    html = response.content.decode()
    assert "<strong data-count>60</strong>" in html
    assert "Page 1 of 2" in html
    assert html.count("<tr>") == 51


def test_dashboard_queries_do_not_grow_with_rows(
    client, coordinator, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reports_dashboard")).status_code == 200
        return len(ctx.captured_queries)

    ParticipationFactory(organisation=OrganisationFactory())
    few = count_queries()
    for year in range(2015, 2024):
        office = FieldOfficeFactory()
        event = TrainingEventFactory(
            place=PlaceFactory(field_office=office), start_date=D(year, 3, 1)
        )
        org = OrganisationFactory()
        for _ in range(3):
            ParticipationFactory(event=event, organisation=org)
    many = count_queries()
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("reports_dashboard"))


def test_exports_contain_the_screens_numbers_and_are_logged(client, coordinator, registry):
    params = {"field_office": "gao", "date_from": "2022-01-01", "date_to": "2022-12-31"}
    html = client.get(reverse("reports_dashboard"), params).content.decode()
    screen = _figure(html, "trained")
    assert screen == "5"

    xlsx = client.get(reverse("reports_export", args=["xlsx"]), params)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    first = book.worksheets[0]
    rows = [[c.value for c in row] for row in first.iter_rows()]
    assert ["Field office", "Gao"] in [r[:2] for r in rows]
    assert ["Unique people trained", 5] in [r[:2] for r in rows]
    assert len(book.worksheets) == 1 + 12 + 1 + 7
    sex = next(ws for ws in book.worksheets if ws.title.endswith("Sex"))
    assert [c.value for c in sex[3]][:3] == ["Male", "M", 5]

    csv_text = client.get(reverse("reports_export", args=["csv"]), params).content.decode(
        "utf-8-sig"
    )
    assert "Unique people trained,5," in csv_text

    pdf = client.get(reverse("reports_export", args=["pdf"]), params)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    actions = list(AuditEvent.objects.values_list("action", "detail__format"))
    assert actions.count(("report.export", "xlsx")) == 1
    assert ("report.export", "pdf") in actions and ("report.export", "csv") in actions


def test_unknown_export_format_is_not_found(client, coordinator):
    assert client.get("/en/reports/export/docx/").status_code == 404


def test_publish_freezes_the_figures_and_redirects_to_the_report(client, coordinator, registry):
    response = client.post(
        reverse("reports_publish"), {"title": "Gao 2022", "field_office": "gao"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Gao 2022</h1>" in html
    assert '<td class="num published">5</td><td class="num restated">5</td>' in html
    assert "Nothing has changed since publication." in html
    assert AuditEvent.objects.filter(action="report.publish").count() == 1
    index = client.get(reverse("reports_published_index")).content.decode()
    assert "Gao 2022" in index


def test_publish_with_bad_filters_publishes_nothing(client, coordinator):
    from trainees.reports.models import PublishedReport

    response = client.post(reverse("reports_publish"), {"title": "X", "colour": "red"})
    assert response.status_code == 400
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize(
    ("language", "heading", "link"),
    [
        ("en", "Methodology", f"{LINK_PROBABILITY}"),
        ("fr", "Méthodologie", f"{LINK_PROBABILITY}".replace(".", ",")),
    ],
)
def test_methodology_page_in_both_languages(client, language, heading, link):
    from tests.trainees.factories import ProgrammeFactory

    ProgrammeFactory(code="awareness", name_en="Awareness", qualifying_outcomes=["attended"])
    response = client.get(f"/{language}/reports/methodology/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert f"At {link} or above" in html or f"À partir de {link}" in html
    assert "<code>awareness</code></td><td>attended</td>" in html
    assert "5-12" in html
