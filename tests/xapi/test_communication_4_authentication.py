"""Communication 4: HTTP Basic client credentials, scopes, authority, read/mine and the
signed-in user's session."""

import json

import pytest

from lms.xapi import scopes
from lms.xapi.models import LRSClient, Statement
from lms.xapi.scopes import scopes_allow
from tests.xapi.conftest import SECRET, XAPIClient, basic, make_client, statement


def test_scopes_all_grants_everything_and_read_implies_mine():
    assert scopes_allow({scopes.ALL}, scopes.DEFINE)
    assert scopes_allow({scopes.STATEMENTS_READ}, scopes.STATEMENTS_READ_MINE)
    assert not scopes_allow({scopes.STATEMENTS_READ_MINE}, scopes.STATEMENTS_READ)
    assert not scopes_allow({scopes.STATE}, scopes.STATEMENTS_WRITE)


@pytest.mark.django_db
def test_no_credentials_is_401_with_basic_challenge(client):
    response = client.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="xAPI"'
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.django_db
@pytest.mark.parametrize("active,secret", [(True, "wrong"), (False, SECRET)])
def test_wrong_secret_or_inactive_client_is_401(client, active, secret):
    lrs_client = make_client(active=active)
    response = client.get(
        "/xapi/statements",
        headers={"X-Experience-API-Version": "1.0.3", "Authorization": basic(lrs_client, secret)},
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_secret_is_stored_hashed(lrs_client):
    assert SECRET not in lrs_client.secret_hash
    assert LRSClient.objects.get().secret_check(SECRET)


@pytest.mark.django_db
def test_client_without_the_scope_is_403(client):
    reader = XAPIClient(client, make_client(scopes_list=[scopes.STATEMENTS_READ]))
    response = reader.post("/xapi/statements", statement())
    assert response.status_code == 403
    assert "statements/write" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_authority_is_the_clients_agent_and_overrides_a_claimed_one(xapi, lrs_client):
    claimed = {"objectType": "Agent", "mbox": "mailto:boss@example.org"}
    xapi.post("/xapi/statements", statement(authority=claimed))
    stored = json.loads(Statement.objects.get().raw)
    assert stored["authority"] == lrs_client.authority_agent
    assert stored["authority"]["account"]["name"] == f"client:{lrs_client.key}"


@pytest.mark.django_db
def test_read_mine_only_returns_what_the_client_stored(client):
    writer = XAPIClient(client, make_client(name="writer"))
    mine_client = make_client(
        name="mine", scopes_list=[scopes.STATEMENTS_WRITE, scopes.STATEMENTS_READ_MINE]
    )
    mine = XAPIClient(client, mine_client)
    other_id = writer.post("/xapi/statements", statement()).json()[0]
    own_id = mine.post("/xapi/statements", statement()).json()[0]
    listed = mine.get("/xapi/statements").json()["statements"]
    assert [item["id"] for item in listed] == [own_id]
    assert mine.get("/xapi/statements", {"statementId": other_id}).status_code == 404
    assert mine.get("/xapi/statements", {"statementId": own_id}).status_code == 200


@pytest.mark.django_db
def test_session_user_reads_only_their_own_agent_and_cannot_write(client, make_user, monkeypatch):
    from lms.xapi import protocol

    user = make_user()
    own_key = "account:http://127.0.0.1:8000|11111111-2222-4333-8444-555555555555"
    monkeypatch.setattr(protocol, "user_agent_keys", lambda *, user: frozenset({own_key}))
    writer = XAPIClient(client, make_client())
    own = statement(
        actor={
            "objectType": "Agent",
            "account": {
                "homePage": "http://127.0.0.1:8000",
                "name": "11111111-2222-4333-8444-555555555555",
            },
        }
    )
    own_id = writer.post("/xapi/statements", own).json()[0]
    writer.post("/xapi/statements", statement())
    client.force_login(user)
    session = XAPIClient(client, None)
    listed = session.get("/xapi/statements").json()["statements"]
    assert [item["id"] for item in listed] == [own_id]
    assert session.post("/xapi/statements", statement()).status_code == 403


@pytest.mark.django_db
def test_session_user_without_a_person_sees_nothing(client, make_user):
    XAPIClient(client, make_client()).post("/xapi/statements", statement())
    client.force_login(make_user())
    response = XAPIClient(client, None).get("/xapi/statements")
    assert response.status_code == 200
    assert response.json()["statements"] == []


@pytest.mark.django_db
def test_session_user_reads_the_statements_of_their_registry_person(client, make_user, settings):
    """No stub: the person comes from trainees.selectors.person_for_user."""
    from trainees.models import Person

    user = make_user()
    person = Person.objects.create(user=user, given_names="Awa", family_name="Traoré")
    own = statement(
        actor={"account": {"homePage": settings.SITE_URL, "name": str(person.public_id)}}
    )
    own_id = XAPIClient(client, make_client()).post("/xapi/statements", own).json()[0]
    XAPIClient(client, make_client(name="other")).post("/xapi/statements", statement())
    client.force_login(user)
    listed = XAPIClient(client, None).get("/xapi/statements").json()["statements"]
    assert [item["id"] for item in listed] == [own_id]
