"""Communication 2.3 State Resource: single documents, ids with since, delete all,
registration, parameters, and who may use it."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.xapi import scopes
from lms.xapi.documents.models import State
from lms.xapi.spec import agent_ifi_key
from tests.xapi.documents.helpers import (
    ACTIVITY,
    AGENT,
    REGISTRATION,
    Documents,
    error_message,
    state_params,
)

PATH = "activities/state"


@pytest.mark.django_db
def test_2_3_s3_put_get_delete_one_state_document(docs):
    assert docs.put(PATH, state_params(), {"page": 3}).status_code == 204

    got = docs.get(PATH, state_params())
    assert got.status_code == 200
    assert got.json() == {"page": 3}
    assert got["X-Experience-API-Version"] == "1.0.3"

    assert docs.delete(PATH, state_params()).status_code == 204
    missing = docs.get(PATH, state_params())
    assert missing.status_code == 404
    assert error_message(missing) == "There is no State document with this id ('bookmark')"


@pytest.mark.django_db
def test_2_3_s3_head_answers_like_get_without_a_body(docs):
    docs.put(PATH, state_params(), {"page": 3})

    response = docs.call("HEAD", PATH, state_params())

    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == docs.get(PATH, state_params())["ETag"]


@pytest.mark.django_db
def test_2_3_s3_put_replaces_without_preconditions(docs):
    docs.put(PATH, state_params(), {"page": 3})

    response = docs.put(PATH, state_params(), {"page": 4})

    assert response.status_code == 204
    assert docs.get(PATH, state_params()).json() == {"page": 4}
    assert State.objects.count() == 1


@pytest.mark.django_db
def test_2_3_s3_registration_keeps_documents_apart(docs):
    docs.put(PATH, state_params(), {"where": "none"})
    docs.put(PATH, state_params(registration=REGISTRATION), {"where": "registered"})

    assert docs.get(PATH, state_params()).json() == {"where": "none"}
    assert docs.get(PATH, state_params(registration=REGISTRATION)).json() == {"where": "registered"}
    other = str(uuid.uuid4())
    assert docs.get(PATH, state_params(registration=other)).status_code == 404
    assert State.objects.count() == 2


@pytest.mark.django_db
def test_2_3_s3_the_agent_is_matched_by_its_identifier_not_its_name(docs):
    docs.put(PATH, state_params(), {"page": 1})
    renamed = {"mbox": "mailto:awa@EXAMPLE.org", "name": "Awa T."}

    assert docs.get(PATH, state_params(agent=renamed)).json() == {"page": 1}


@pytest.mark.django_db
def test_2_3_s4_ids_with_since_exclusive(docs):
    docs.put(PATH, state_params(stateId="old"), {"a": 1})
    docs.put(PATH, state_params(stateId="new"), {"a": 2})
    State.objects.filter(state_id="old").update(updated=timezone.now() - timedelta(hours=2))
    cutoff = timezone.now() - timedelta(hours=1)

    everything = docs.get(PATH, state_params(stateId=None))
    recent = docs.get(PATH, state_params(stateId=None, since=cutoff.isoformat()))
    exact = State.objects.get(state_id="new").updated
    at_new = docs.get(PATH, state_params(stateId=None, since=exact.isoformat()))

    assert everything.status_code == 200
    assert everything.json() == ["new", "old"]
    assert recent.json() == ["new"]
    assert at_new.json() == []
    assert everything["ETag"].startswith('"')


@pytest.mark.django_db
def test_2_3_s4_ids_of_one_registration_or_of_all(docs):
    docs.put(PATH, state_params(stateId="plain"), {"a": 1})
    docs.put(PATH, state_params(stateId="registered", registration=REGISTRATION), {"a": 2})

    assert docs.get(PATH, state_params(stateId=None)).json() == ["plain", "registered"]
    assert docs.get(PATH, state_params(stateId=None, registration=REGISTRATION)).json() == [
        "registered"
    ]


@pytest.mark.django_db
def test_2_3_s5_delete_all_states_of_an_activity_and_agent(docs):
    for state_id in ("a", "b"):
        docs.put(PATH, state_params(stateId=state_id), {"x": state_id})
    docs.put(PATH, state_params(stateId="c", registration=REGISTRATION), {"x": "c"})
    other_agent = {"mbox": "mailto:moussa@example.org"}
    docs.put(PATH, state_params(agent=other_agent), {"x": "kept"})

    response = docs.delete(PATH, state_params(stateId=None))

    assert response.status_code == 204
    assert list(State.objects.values_list("state_id", "agent_key")) == [
        ("bookmark", agent_ifi_key(other_agent))
    ]


@pytest.mark.django_db
def test_2_3_s5_delete_all_of_one_registration(docs):
    docs.put(PATH, state_params(stateId="plain"), {"a": 1})
    docs.put(PATH, state_params(stateId="registered", registration=REGISTRATION), {"a": 2})

    docs.delete(PATH, state_params(stateId=None, registration=REGISTRATION))

    assert list(State.objects.values_list("state_id", flat=True)) == ["plain"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"agent": AGENT, "stateId": "s"}, "activityId: is required"),
        ({"activityId": ACTIVITY, "stateId": "s"}, "agent: is required"),
        (
            state_params(activityId="not an iri"),
            "activityId: must be an absolute IRI with a scheme (such as 'https:'), "
            "got 'not an iri'",
        ),
        (state_params(agent="{oops"), "agent: must be an Agent Object in JSON"),
        (
            state_params(agent={"mbox": "mailto:a@example.org", "openid": "http://a.example"}),
            "agent: an Agent must have exactly one identifier, but has 'mbox' and 'openid'",
        ),
        (
            state_params(agent={"objectType": "Group", "member": [AGENT]}),
            "agent.objectType: must be an Agent, not a Group; for an Identified Group, send an "
            "Agent Object with the Group's identifier",
        ),
        (
            state_params(registration="not-a-uuid"),
            "registration: must be a UUID in standard form (8-4-4-4-12 hexadecimal), "
            "got 'not-a-uuid'",
        ),
        (
            state_params(stateid="x"),
            "stateid: parameter names are case-sensitive: did you mean 'stateId'?",
        ),
        (
            state_params(profileId="x"),
            "profileId: is not a parameter of this request "
            "(expected: activityId, agent, registration, stateId)",
        ),
        (state_params(since="2024-01-01T00:00:00Z"), "since: is not a parameter of this request"),
        (state_params(stateId=None, since="yesterday"), "since: must be an ISO 8601 timestamp"),
    ],
)
def test_3_2_s3_b7_bad_parameters_are_400_naming_the_parameter(docs, params, message):
    response = docs.get(PATH, params)

    assert response.status_code == 400
    assert error_message(response).startswith(message)


@pytest.mark.django_db
def test_2_3_s3_put_needs_a_state_id(docs):
    response = docs.put(PATH, state_params(stateId=None), {"a": 1})

    assert response.status_code == 400
    assert error_message(response) == "stateId: is required"
    assert not State.objects.exists()


@pytest.mark.django_db
def test_4_0_no_credentials_is_401(client):
    response = Documents(client, None).get(PATH, state_params())

    assert response.status_code == 401


@pytest.mark.django_db
def test_3_2_s3_b10_a_client_without_the_state_scope_is_403(docs_for):
    reader = docs_for(scopes.STATEMENTS_READ, scopes.PROFILE)

    response = reader.put(PATH, state_params(), {"a": 1})

    assert response.status_code == 403
    assert not State.objects.exists()


@pytest.mark.django_db
def test_a_client_with_the_state_scope_only_may_use_the_state(docs_for):
    assert docs_for(scopes.STATE).put(PATH, state_params(), {"a": 1}).status_code == 204


@pytest.mark.django_db
def test_a_signed_in_user_uses_the_state_of_their_own_agent_only(client, make_user, monkeypatch):
    user = make_user("trainee")
    mine = {"account": {"homePage": "http://127.0.0.1:8000", "name": "person-uuid-1"}}
    monkeypatch.setattr(
        "lms.xapi.protocol.user_agent_keys", lambda *, user: frozenset({agent_ifi_key(mine)})
    )
    client.force_login(user)
    session = Documents(client, None)

    assert session.put(PATH, state_params(agent=mine), {"page": 2}).status_code == 204
    assert session.get(PATH, state_params(agent=mine)).json() == {"page": 2}
    refused = session.get(PATH, state_params(agent=AGENT))

    assert refused.status_code == 403
    assert error_message(refused) == (
        "agent: a signed-in user may only use the State of their own agent"
    )
    assert session.get("activities/profile", {"activityId": ACTIVITY}).status_code == 403
