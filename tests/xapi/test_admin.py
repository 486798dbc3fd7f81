"""The LRS screens of the Wagtail admin: LRS clients (administrators only, secret shown
once) and the statement browser."""

import uuid

import pytest

from lms.core.models import AuditEvent
from lms.xapi.emitter import ActivityRef, Verb, statement_emit
from lms.xapi.models import LRSClient
from tests.factories import totp_enable


@pytest.fixture
def trainer_client(client, make_user):
    user = make_user("trainer")
    totp_enable(user)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_administrator_creates_a_client_and_sees_the_secret_once(admin_client):
    response = admin_client.post(
        "/admin/xapi_clients/new/",
        {"name": "H5P", "scopes": ["statements/write", "statements/read/mine"], "active": "on"},
    )
    assert response.status_code == 200
    client = LRSClient.objects.get()
    secret = response.context["secret"]
    assert secret.encode() in response.content
    assert client.secret_check(secret)
    assert secret not in client.secret_hash
    assert client.scopes == ["statements/write", "statements/read/mine"]
    listing = admin_client.get("/admin/xapi_clients/")
    assert listing.status_code == 200
    assert secret.encode() not in listing.content
    assert AuditEvent.objects.filter(action="xapi.client.create").count() == 1


@pytest.mark.django_db
def test_administrator_deactivates_a_client(admin_client):
    client = LRSClient(name="Old tool", scopes=["all"])
    client.secret_set("x")
    client.save()
    response = admin_client.post(
        f"/admin/xapi_clients/edit/{client.pk}/", {"name": "Old tool", "scopes": ["all"]}
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.active is False


@pytest.mark.django_db
def test_trainer_cannot_manage_clients_or_browse_statements(trainer_client):
    # Wagtail answers a refused admin page by sending the user back to the dashboard.
    for url in ("/admin/xapi_clients/", "/admin/xapi/statements/", "/admin/xapi_clients/new/"):
        response = trainer_client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.django_db
def test_statement_browser_filters_paginates_and_audits(
    admin_client, django_assert_max_num_queries
):
    course = ActivityRef(kind="course", uuid=uuid.uuid4(), name={"fr": "C", "en": "C"})
    person = uuid.uuid4()
    for index in range(30):
        statement_emit(
            event_key=f"e{index}",
            person_uuid=person,
            verb=Verb.PASSED if index % 2 else Verb.FAILED,
            activity=course,
        )
    with django_assert_max_num_queries(20):
        response = admin_client.get(
            "/admin/xapi/statements/", {"verb": str(Verb.PASSED), "actor": str(person)}
        )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 15
    assert "15 statements" in response.content.decode() or "15 déclarations" in (
        response.content.decode()
    )
    first = response.context["page"][0]
    detail = admin_client.get(f"/admin/xapi/statements/{first.statement_id}/")
    assert detail.status_code == 200
    assert str(person) in detail.content.decode()
    assert AuditEvent.objects.filter(action="xapi.statement.view").count() == 1
    page_two = admin_client.get("/admin/xapi/statements/", {"p": "2"})
    assert len(page_two.context["page"]) == 5
