"""Communication 2.4 Agents Resource: the Person Object."""

import types

import pytest

from lms.core.models import AuditEvent
from lms.xapi import scopes
from lms.xapi.spec import agent_ifi_key
from tests.xapi.documents.helpers import AGENT, error_message

ACCOUNT = {"account": {"homePage": "https://lms.example", "name": "0b7e-person"}}


@pytest.fixture
def registry(monkeypatch):
    """A registry that knows AGENT and an account as one person."""
    calls = []

    def person_agents(*, agent_key):
        calls.append(agent_key)
        return [AGENT, ACCOUNT] if agent_key == agent_ifi_key(AGENT) else []

    fake = types.SimpleNamespace(person_agents=person_agents)
    monkeypatch.setattr("trainees.selectors", fake, raising=False)
    monkeypatch.setitem(__import__("sys").modules, "trainees.selectors", fake)
    return calls


@pytest.mark.django_db
def test_2_4_s3_b3_an_unknown_agent_still_gets_a_person(docs):
    agent = {"objectType": "Agent", "openid": "http://openid.example/moussa", "name": "Moussa"}

    response = docs.get("agents", {"agent": agent})

    assert response.status_code == 200
    assert response.json() == {
        "objectType": "Person",
        "name": ["Moussa"],
        "openid": ["http://openid.example/moussa"],
    }


@pytest.mark.django_db
def test_2_4_s5_every_identifier_known_for_the_person_with_the_all_scope(docs, registry):
    response = docs.get("agents", {"agent": AGENT})

    assert response.json() == {
        "objectType": "Person",
        "name": ["Awa"],
        "mbox": ["mailto:awa@example.org"],
        "account": [{"homePage": "https://lms.example", "name": "0b7e-person"}],
    }
    event = AuditEvent.objects.get()
    assert event.action == "xapi.person_view"
    assert event.detail["agent"] == agent_ifi_key(AGENT)
    assert event.detail["identifiers"] == 1


@pytest.mark.django_db
def test_2_4_s3_b1_other_identifiers_need_explicit_permission(docs_for, registry):
    reader = docs_for(scopes.STATEMENTS_READ)

    response = reader.get("agents", {"agent": AGENT})

    assert response.json() == {
        "objectType": "Person",
        "name": ["Awa"],
        "mbox": ["mailto:awa@example.org"],
    }
    assert registry == []
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_2_4_s3_b2_a_client_without_a_reading_scope_is_403(docs_for):
    response = docs_for(scopes.STATEMENTS_WRITE).get("agents", {"agent": AGENT})

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "agent: is required"),
        ({"agent": AGENT, "stateId": "x"}, "stateId: is not a parameter of this request"),
        ({"agent": {"name": "nobody"}}, "agent: an Agent must be identified by one of"),
    ],
)
def test_2_4_s2_bad_parameters(docs, params, message):
    response = docs.get("agents", params)

    assert response.status_code == 400
    assert error_message(response).startswith(message)


@pytest.mark.django_db
def test_2_4_only_get_is_allowed(docs):
    response = docs.put("agents", {"agent": AGENT}, {"a": 1})

    assert response.status_code == 405
