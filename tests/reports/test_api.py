"""The report API: token authentication, filters, figures only, every call logged."""

import pytest

from lms.core.models import AuditEvent
from tests.factories import FieldOfficeFactory, UserFactory
from tests.trainees.factories import ParticipationFactory, PersonFactory, PlaceFactory
from trainees.reports.models import ReportAPIToken
from trainees.reports.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    admin = UserFactory(role="administrator")
    return api_token_create(name="OCHA 5W", user=admin)[1]


def _get(client, path, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/en/reports/api{path}", params, headers=headers)


def test_no_token_is_401_with_a_clear_message(client):
    response = _get(client, "/figures")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: send a report API token as "
        "'Authorization: Bearer <token>'. Administrators make tokens in the admin."
    }
    assert _get(client, "/figures", token="wrong").status_code == 401


def test_a_revoked_token_is_refused(client, token):
    api_token_revoke(api_token=ReportAPIToken.objects.get(), user=None)
    assert _get(client, "/figures", token=token).status_code == 401


def test_only_the_hash_of_the_token_is_stored(token):
    stored = ReportAPIToken.objects.get()
    assert token not in (stored.key_hash, stored.prefix) and token.startswith(stored.prefix)


def test_figures_follow_the_filters_and_carry_no_personal_data(client, token):
    gao = FieldOfficeFactory(code="gao")
    person = PersonFactory(given_names="Fatoumata", family_name="Diarra")
    ParticipationFactory(person=person, event__place=PlaceFactory(field_office=gao))
    ParticipationFactory()
    response = _get(client, "/figures", token=token, field_office="gao")
    assert response.status_code == 200
    body = response.json()
    assert body["filters"] == {"field_office": ["gao"]}
    figures = {f["code"]: f["value"] for f in body["figures"]}
    assert figures == {
        "trained": 1,
        "participations": 1,
        "certificates": 0,
        "briefed": 0,
        "reached": 0,
    }
    assert "Diarra" not in response.content.decode()
    event = AuditEvent.objects.get(action="report.api.figures")
    assert event.detail["filters"] == {"field_office": ["gao"]}
    assert event.target_id == str(ReportAPIToken.objects.get().pk)
    assert ReportAPIToken.objects.get().last_used_at is not None


def test_breakdown_says_when_rows_overlap(client, token):
    person = PersonFactory()
    ParticipationFactory(person=person, event__start_date="2021-05-01")
    ParticipationFactory(person=person, event__start_date="2022-05-01")
    body = _get(client, "/breakdowns/year", token=token).json()
    assert body["total"] == 1 and body["overlapping"] is True
    assert [(r["key"], r["count"]) for r in body["rows"]] == [("2021", 1), ("2022", 1)]
    body = _get(client, "/breakdowns/new_year", token=token).json()
    assert [(r["key"], r["count"]) for r in body["rows"]] == [("2021", 1)]


@pytest.mark.parametrize(
    ("params", "detail", "errors"),
    [
        (
            {"date_from": "2023-01-01", "date_to": "2022-01-01"},
            "Invalid filter: date_to.",
            {
                "date_to": [
                    "The end of the period (Jan. 1, 2022) is before its start (Jan. 1, 2023)."
                ]
            },
        ),
        (
            {"date_from": "yesterday"},
            "Invalid filter: date_from.",
            {"date_from": ["Enter a valid date."]},
        ),
        ({"colour": "red"}, "Invalid filter: filters.", {"filters": ["Unknown filter: colour."]}),
    ],
)
def test_bad_filters_are_400_naming_the_filter(client, token, params, detail, errors):
    response = _get(client, "/figures", token=token, **params)
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "errors": errors}


def test_unknown_breakdown_is_400(client, token):
    response = _get(client, "/breakdowns/shoe_size", token=token)
    assert response.status_code == 400
    assert response.json()["detail"] == "Unknown breakdown: shoe_size."


def test_reached_headcounts(client, token):
    from tests.trainees.factories import ProgrammeFactory
    from trainees.models import AggregateCount, AggregateSession

    session = AggregateSession.objects.create(
        title="EORE",
        programme=ProgrammeFactory(code="eore"),
        kind="risk_education",
        date="2022-03-01",
        age_scheme="fine",
    )
    AggregateCount.objects.create(session=session, sex="F", age_band="5_12", count=40)
    AggregateCount.objects.create(session=session, sex="M", age_band="25_59", count=12)
    body = _get(client, "/reached/age_band", token=token).json()
    assert body["unit"] == "headcount" and body["total"] == 52
    assert [(r["key"], r["count"]) for r in body["rows"]] == [("under_18", 40), ("18_plus", 12)]


def test_openapi_schema_is_served(client):
    response = client.get("/en/reports/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/en/reports/api/figures", "/en/reports/api/breakdowns/{by}"} <= set(schema["paths"])
    assert (
        "BearerAuth" in str(schema["components"]["securitySchemes"])
        or schema["components"]["securitySchemes"]
    )
