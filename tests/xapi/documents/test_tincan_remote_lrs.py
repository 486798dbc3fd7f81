"""The document and agents resources driven as a real client does: TinCanPython's
RemoteLRS against the running LRS (pytest-django's live_server)."""

import json

import pytest
from tincan import Activity, Agent, RemoteLRS
from tincan.documents import ActivityProfileDocument, AgentProfileDocument, StateDocument
from tincan.http_request import HTTPRequest

from lms.xapi import scopes
from lms.xapi.documents.models import State
from tests.xapi.documents.helpers import ACTIVITY, SECRET, lrs_client_make

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lrs(live_server):
    client = lrs_client_make(scopes.STATE, scopes.PROFILE, scopes.STATEMENTS_READ)
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/",
        version="1.0.1",  # the latest TinCanPython knows; this LRS answers 1.0.x
        username=client.key,
        password=SECRET,
    )


def header(response, name):
    return response.response.getheader(name)


def test_state_save_retrieve_ids_delete_and_clear(lrs):
    activity = Activity(id=ACTIVITY)
    agent = Agent(mbox="mailto:awa@example.org", name="Awa")
    for state_id, page in (("bookmark", 3), ("scores", 9)):
        saved = lrs.save_state(
            StateDocument(
                id=state_id,
                activity=activity,
                agent=agent,
                content=json.dumps({"page": page}),
                content_type="application/json",
            )
        )
        assert saved.success, saved.data

    got = lrs.retrieve_state(activity, agent, "bookmark")
    assert got.success
    assert json.loads(bytes(got.content.content)) == {"page": 3}
    assert header(got, "ETag").startswith('"')
    assert header(got, "Content-Type") == "application/json"
    ids = lrs.retrieve_state_ids(activity, agent)
    assert ids.content == ["bookmark", "scores"]

    deleted = lrs.delete_state(got.content)
    assert deleted.success
    assert lrs.retrieve_state_ids(activity, agent).content == ["scores"]
    assert lrs.clear_state(activity, agent).success
    assert lrs.retrieve_state_ids(activity, agent).content == []
    assert not State.objects.exists()


def _profile_create(lrs, resource, params, content, content_type):
    """TinCanPython sends no precondition for a new profile (it only sends If-Match with a
    known ETag), which this LRS refuses (400, Communication 3.1 as the ADL reference LRS
    reads it): the first PUT goes through its transport with If-None-Match: *."""
    request = HTTPRequest(method="PUT", resource=resource, content=content)
    request.headers["Content-Type"] = content_type
    request.headers["If-None-Match"] = "*"
    request.query_params = params
    return lrs._send_request(request)


def test_activity_profile_save_twice_needs_the_etag(lrs):
    activity = Activity(id=ACTIVITY)
    document = ActivityProfileDocument(
        id="settings", activity=activity, content='{"level": 1}', content_type="application/json"
    )
    refused = lrs.save_activity_profile(document)
    assert refused.response.status == 400
    created = _profile_create(
        lrs,
        "activities/profile",
        {"profileId": "settings", "activityId": ACTIVITY},
        '{"level": 1}',
        "application/json",
    )
    assert created.success

    again = lrs.save_activity_profile(document)
    assert again.response.status == 409
    current = lrs.retrieve_activity_profile(activity, "settings")
    document.etag = header(current, "ETag")
    document.content = '{"level": 2}'
    assert lrs.save_activity_profile(document).success
    assert json.loads(
        bytes(lrs.retrieve_activity_profile(activity, "settings").content.content)
    ) == {"level": 2}
    assert lrs.retrieve_activity_profile_ids(activity).content == ["settings"]


def test_agent_profile_save_and_retrieve(lrs):
    agent = Agent(account={"home_page": "https://lms.example", "name": "0b7e"})
    document = AgentProfileDocument(
        id="prefs", agent=agent, content="langue=fr", content_type="text/plain"
    )
    assert lrs.save_agent_profile(document).response.status == 400
    params = {"profileId": "prefs", "agent": json.dumps(agent.as_version("1.0.1"))}
    assert _profile_create(lrs, "agents/profile", params, "langue=fr", "text/plain").success

    got = lrs.retrieve_agent_profile(agent, "prefs")
    assert bytes(got.content.content) == b"langue=fr"
    assert header(got, "Content-Type") == "text/plain"
    assert lrs.retrieve_agent_profile_ids(agent).content == ["prefs"]
    got.content.etag = header(got, "ETag")
    assert lrs.delete_agent_profile(got.content).success
    assert lrs.retrieve_agent_profile_ids(agent).content == []


def test_person_for_an_agent(lrs):
    # TinCanPython has no call for the Agents Resource: its own request, its transport.
    agent = Agent(mbox="mailto:awa@example.org", name="Awa")
    request = HTTPRequest(method="GET", resource="agents")
    request.query_params = {"agent": agent.to_json("1.0.1")}

    response = lrs._send_request(request)

    assert response.success
    assert json.loads(response.data) == {
        "objectType": "Person",
        "name": ["Awa"],
        "mbox": ["mailto:awa@example.org"],
    }
