"""Filters with several values (issue 6, follow-up): union of people, never the sum, the same
in the dashboard, the drill-down, the exports, publication and the API; unknown values named."""

import datetime
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from openpyxl import load_workbook

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory
from tests.reports.pdf_text import pdf_text
from tests.trainees.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    ProgrammeFactory,
    TrainingEventFactory,
)
from trainees.reports.filters import ReportFilterForm
from trainees.reports.models import PublishedReport, ReportAPIToken
from trainees.reports.services import api_token_create

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def offices():
    """Three in Gao, three in Timbuktu, two of them in both, one in Mopti: 4 distinct people
    in Gao or Timbuktu, while the two offices' figures add up to 6."""
    gao = FieldOfficeFactory(code="gao", name="Gao")
    tbk = FieldOfficeFactory(code="tbk", name="Timbuktu")
    mopti = FieldOfficeFactory(code="mopti", name="Mopti")
    events = {
        office.code: TrainingEventFactory(
            place=PlaceFactory(field_office=office), start_date=D(2022, 3, 1)
        )
        for office in (gao, tbk, mopti)
    }
    people = [PersonFactory(given_names=f"P{i}", family_name=f"Diarra{i}") for i in range(5)]
    for person in people[:3]:
        ParticipationFactory(person=person, event=events["gao"])
    for person in people[1:4]:
        ParticipationFactory(person=person, event=events["tbk"])
    ParticipationFactory(person=people[4], event=events["mopti"])
    return people


def _trained(client, **params) -> int:
    from tests.reports.test_views import _figure

    response = client.get(reverse("reports_dashboard"), params)
    assert response.status_code == 200, response.content.decode()[:500]
    return int(_figure(response.content.decode(), "trained"))


def test_several_field_offices_count_the_distinct_union(client, coordinator, offices):
    gao = _trained(client, field_office="gao")
    tbk = _trained(client, field_office="tbk")
    both = _trained(client, field_office=["gao", "tbk"])
    assert (gao, tbk, both) == (3, 3, 4)  # not 6
    # The same value twice, and an empty value of an old link, change nothing.
    assert _trained(client, field_office=["gao", "tbk", "gao", ""]) == 4


def test_drill_down_of_several_offices_has_as_many_people_as_the_figure(
    client, coordinator, offices
):
    response = client.get(reverse("reports_people"), {"field_office": ["gao", "tbk"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["page"].paginator.count == 4
    assert all(f"DIARRA{i}" in html.upper() for i in range(4))
    assert "DIARRA4" not in html.upper()  # Mopti only
    event = AuditEvent.objects.get(action="report.drilldown")
    assert event.detail["filters"] == {"field_office": ["gao", "tbk"]}


def test_drill_down_of_a_row_keeps_every_chosen_value(client, coordinator, offices):
    html = client.get(reverse("reports_dashboard"), {"field_office": ["gao", "tbk"]}).content
    html = html.decode()
    assert "field_office=gao&amp;field_office=tbk&amp;by=sex&amp;key=M" in html
    response = client.get(
        reverse("reports_people"), {"field_office": ["gao", "tbk"], "by": "sex", "key": "M"}
    )
    assert response.context["page"].paginator.count == 4


def test_the_dashboard_shows_checkboxes_in_a_details_per_filter(client, coordinator, offices):
    html = client.get(reverse("reports_dashboard"), {"field_office": ["gao", "tbk"]}).content
    html = html.decode()
    assert '<details data-filter="field_office">' in html
    assert "<summary>2 chosen</summary>" in html
    assert 'type="checkbox" name="field_office" value="gao"' in html
    assert 'value="gao" id="id_field_office_0" checked' in html or (
        'name="field_office" value="gao"' in html and "checked" in html
    )
    # The publish form carries every chosen value.
    assert '<input type="hidden" name="field_office" value="gao">' in html
    assert '<input type="hidden" name="field_office" value="tbk">' in html


def test_unknown_values_are_refused_naming_each(client, coordinator, offices):
    response = client.get(
        reverse("reports_dashboard"), {"field_office": ["gao", "atlantis", "narnia"]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Field office: Select a valid choice. atlantis, narnia is not one of the available "
        "choices." in html
    )


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("programme", "programmes"),
        ("kind", "event_kinds"),
        ("organisation_category", "organisation_categories"),
        ("organisation", "organisations"),
        ("field_office", "field_offices"),
        ("place", "places"),
        ("course", "courses"),
    ],
)
def test_every_list_filter_takes_several_values(name, attribute):
    eod, wam = ProgrammeFactory(code="eod"), ProgrammeFactory(code="wam")
    army = OrganisationFactory(code="army")
    police = OrganisationFactory(code="police", category="police")
    gao, tbk = FieldOfficeFactory(code="gao"), FieldOfficeFactory(code="tbk")
    one, two = PlaceFactory(field_office=gao), PlaceFactory(field_office=tbk)
    a = ParticipationFactory(
        event=TrainingEventFactory(programme=eod, place=one, course_public_id=_uuid(1)),
        organisation=army,
        course_public_id=_uuid(1),
    )
    b = ParticipationFactory(
        event=TrainingEventFactory(
            programme=wam, place=two, kind="practical", course_public_id=_uuid(2)
        ),
        organisation=police,
        course_public_id=_uuid(2),
    )
    values = {
        "programme": ["eod", "wam"],
        "kind": ["course", "practical"],
        "organisation_category": ["armed_forces", "police"],
        "organisation": ["army", "police"],
        "field_office": ["gao", "tbk"],
        "place": [str(one.pk), str(two.pk)],
        "course": [str(_uuid(1)), str(_uuid(2))],
    }[name]
    form = ReportFilterForm({name: values})
    assert form.is_valid(), form.errors
    scope = form.scope()
    assert [str(v) for v in getattr(scope, attribute)] == values
    assert form.filters()[name] == values
    from trainees.selectors.counting import people_count

    assert people_count(scope=scope) == 2
    assert {a.person_id, b.person_id} == set(
        scope_people(scope)
    )  # the union of both values' people


def _uuid(n: int):
    import uuid

    return uuid.UUID(int=n)


def scope_people(scope):
    from trainees.selectors.counting import people_in_scope

    return people_in_scope(scope=scope).values_list("pk", flat=True)


def test_exports_list_every_chosen_value(client, coordinator, offices):
    params = {"field_office": ["gao", "tbk"]}
    xlsx = client.get(reverse("reports_export", args=["xlsx"]), params)
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = [[c.value for c in row][:2] for row in book.worksheets[0].iter_rows()]
    assert ["Field office", "Gao, Timbuktu"] in rows
    assert ["Unique people trained", 4] in rows
    csv_text = client.get(reverse("reports_export", args=["csv"]), params).content.decode(
        "utf-8-sig"
    )
    assert '"Gao, Timbuktu"' in csv_text and "Unique people trained,4," in csv_text
    pdf = pdf_text(client.get(reverse("reports_export", args=["pdf"]), params).content)
    assert "Gao, Timbuktu" in pdf
    event = AuditEvent.objects.filter(action="report.export").first()
    assert event.detail["filters"] == {"field_office": ["gao", "tbk"]}


def test_a_published_report_keeps_its_multi_value_filters(client, coordinator, offices):
    response = client.post(
        reverse("reports_publish"),
        {"title": "Gao and Timbuktu", "field_office": ["gao", "tbk"]},
        follow=True,
    )
    assert response.status_code == 200
    report = PublishedReport.objects.get()
    assert report.scope["filters"] == {"field_office": ["gao", "tbk"]}
    assert report.scope["field_offices"] == ["gao", "tbk"]
    assert report.figures["headlines"][0]["value"] == 4
    html = response.content.decode()
    assert "<li>Field office: Gao, Timbuktu</li>" in html
    assert '<td class="num published">4</td><td class="num restated">4</td>' in html
    assert "Nothing has changed since publication." in html


def test_an_older_single_value_report_keeps_working(client, coordinator, offices):
    """Reports published before multi-value filters stored one string per filter and no
    people per row: the migration makes the string a list; either way the page works."""
    from trainees.reports.restatement import report_restate

    report = PublishedReport.objects.create(
        title="Old",
        scope={
            "outcomes": ["trained"],
            "field_offices": ["gao"],
            "age_scheme": "default",
            "date_from": None,
            "date_to": None,
            "filters": {"field_office": "gao", "date_from": "2022-01-01"},
        },
        figures={"headlines": [], "tables": [], "new_people": None, "reached": []},
    )
    from trainees.reports.selectors import report_build, report_frozen
    from trainees.selectors.counting import CountScope

    report.figures = report_frozen(report=report_build(scope=CountScope(field_offices=("gao",))))
    report.save()
    html = client.get(reverse("reports_published_detail", args=[report.pk])).content.decode()
    assert "<li>Field office: Gao</li>" in html
    migration = importlib.import_module(
        "trainees.reports.migrations.0002_published_report_row_people_multi_filters"
    )
    migration.filters_to_lists(django_apps, None)
    report.refresh_from_db()
    assert report.scope["filters"] == {"field_office": ["gao"], "date_from": "2022-01-01"}
    html = client.get(reverse("reports_published_detail", args=[report.pk])).content.decode()
    assert "<li>Field office: Gao</li>" in html
    assert report_restate(report=report).headline_rows[0]["restated"] == 3
    migration.filters_to_strings(django_apps, None)
    report.refresh_from_db()
    assert report.scope["filters"]["field_office"] == "gao"


@pytest.mark.parametrize("role", ["trainer", "lead_trainer"])
def test_roles_without_reports_stay_refused_with_several_values(client, sign_in_as, role, offices):
    sign_in_as(role)
    response = client.get(reverse("reports_people"), {"field_office": ["gao", "tbk"]})
    assert response.status_code == 403
    assert "DIARRA" not in response.content.decode().upper()


def test_a_user_restricted_to_offices_cannot_widen_beyond_them(make_user, offices):
    """The form offers a restricted user their offices only, for every value, and counts in
    them when none is chosen (the scope by role of the registry)."""
    from lms.accounts.models import FieldOffice

    trainer = make_user(role="trainer")
    FieldOffice.objects.get(code="gao").users.add(trainer)
    form = ReportFilterForm({"field_office": ["gao", "tbk"]}, user=trainer)
    assert not form.is_valid()
    assert "tbk is not one of the available choices" in str(form.errors["field_office"])
    form = ReportFilterForm({}, user=trainer)
    assert form.is_valid()
    assert form.scope().field_offices == ("gao",)
    nobody = make_user(role="trainer")
    form = ReportFilterForm({}, user=nobody)
    assert form.is_valid()
    from trainees.selectors.counting import people_count

    assert people_count(scope=form.scope()) == 0


@pytest.fixture
def token():
    from tests.factories import UserFactory

    _api_token, token = api_token_create(name="OCHA", user=UserFactory(role="administrator"))
    return token


def test_the_api_takes_repeated_parameters(client, token, offices):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get("/en/reports/api/figures?field_office=gao&field_office=tbk", **headers).json()
    assert body["filters"] == {"field_office": ["gao", "tbk"]}
    assert next(f for f in body["figures"] if f["code"] == "trained")["value"] == 4
    rows = client.get(
        "/en/reports/api/breakdowns/field_office?field_office=gao&field_office=tbk", **headers
    ).json()
    assert rows["total"] == 4 and rows["overlapping"] is True
    assert sorted(r["count"] for r in rows["rows"]) == [3, 3]
    bad = client.get("/en/reports/api/figures?field_office=gao&field_office=atlantis", **headers)
    assert bad.status_code == 400
    assert bad.json()["errors"] == {
        "field_office": ["Select a valid choice. atlantis is not one of the available choices."]
    }
    assert ReportAPIToken.objects.get().last_used_at is not None


def test_the_openapi_schema_documents_list_filters(client):
    schema = client.get("/en/reports/api/openapi.json").json()
    parameters = schema["paths"]["/en/reports/api/figures"]["get"]["parameters"]
    office = next(p for p in parameters if p["name"] == "field_office")
    assert "array" in str(office["schema"])
    date_from = next(p for p in parameters if p["name"] == "date_from")
    assert "array" not in str(date_from["schema"])


def test_in_french_the_unknown_value_is_named(client, coordinator, offices):
    from django.utils import translation

    with translation.override("fr"):
        response = client.get(reverse("reports_dashboard"), {"field_office": ["gao", "atlantis"]})
    assert response.status_code == 400
    assert "atlantis" in response.content.decode()
    assert "Sélectionnez un choix valide" in response.content.decode()
