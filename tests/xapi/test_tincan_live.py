"""The running LRS driven by TinCanPython's RemoteLRS, as a real xAPI client would."""

import base64
import json
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode

import pytest
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    LanguageMap,
    RemoteLRS,
    Statement,
    StatementRef,
    Verb,
)

from lms.xapi.models import Statement as StoredStatement
from tests.xapi.conftest import SECRET, make_client


@pytest.fixture
def remote(live_server, migration_data):
    client = make_client(name="TinCan")
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/",
        username=client.key,
        password=SECRET,
    )


def _statement(index: int) -> Statement:
    return Statement(
        actor=Agent(name="Awa", mbox="mailto:awa@example.org"),
        verb=Verb(
            id="http://adlnet.gov/expapi/verbs/experienced",
            display=LanguageMap({"en-US": "experienced"}),
        ),
        object=Activity(
            id=f"http://example.org/activities/module-{index}",
            definition=ActivityDefinition(name=LanguageMap({"en-US": f"Module {index}"})),
        ),
    )


def test_remote_lrs_save_query_more_and_void(remote):
    about = remote.about()
    assert about.success and "1.0.3" in about.content.version

    single = remote.save_statement(_statement(0))
    assert single.success, single.data
    saved_id = single.content.id

    batch = remote.save_statements([_statement(index) for index in range(1, 6)])
    assert batch.success, batch.data
    assert StoredStatement.objects.count() == 6

    first = remote.query_statements({"limit": 4})
    assert first.success, first.data
    assert len(first.content.statements) == 4
    assert first.content.more
    second = remote.more_statements(first.content)
    assert second.success, second.data
    assert len(second.content.statements) == 2
    seen = {str(item.id) for item in first.content.statements + second.content.statements}
    assert len(seen) == 6

    fetched = remote.retrieve_statement(saved_id)
    assert fetched.success
    assert fetched.content.object.id == "http://example.org/activities/module-0"

    voiding = Statement(
        actor=Agent(mbox="mailto:awa@example.org"),
        verb=Verb(
            id="http://adlnet.gov/expapi/verbs/voided", display=LanguageMap({"en-US": "voided"})
        ),
        object=StatementRef(id=saved_id),
    )
    assert remote.save_statement(voiding).success
    assert not remote.retrieve_statement(saved_id).success
    voided = remote.retrieve_voided_statement(saved_id)
    assert voided.success and str(voided.content.id) == str(saved_id)

    conflict = _statement(9)
    conflict.id = str(uuid.uuid4())
    assert remote.save_statement(conflict).success
    conflict.verb = Verb(id="http://adlnet.gov/expapi/verbs/failed")
    assert remote.save_statement(conflict).response.status == 409


class Client20:
    """A small xAPI 2.0 client of our own (TinCanPython knows 1.0.x only): 2.0 headers on
    every request, JSON in and out, over real HTTP to the live server."""

    def __init__(self, endpoint: str, key: str, secret: str) -> None:
        self.endpoint = endpoint
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "2.0.0",
            "Content-Type": "application/json",
        }

    def call(self, method: str, resource: str, params=None, body=None):
        url = self.endpoint + resource + (f"?{urlencode(params)}" if params else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=self.headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return (
                    response.status,
                    dict(response.headers),
                    json.loads(response.read() or b"null"),
                )
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"null")


def test_a_1_0_3_client_and_a_2_0_client_share_one_store(remote, live_server):
    client = make_client(name="Player 2.0")
    player = Client20(f"{live_server.url}/xapi/", client.key, SECRET)
    context_agent = {
        "objectType": "contextAgent",
        "agent": {"objectType": "Agent", "mbox": "mailto:instructor@example.org"},
        "relevantTypes": ["http://example.org/types/instructor"],
    }
    sent = {
        "actor": {"objectType": "Agent", "mbox": "mailto:awa@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
        "object": {"id": "http://example.org/activities/module-20"},
        "context": {"contextAgents": [context_agent]},
        "timestamp": "2026-12-04 10:00:00.250+01:00",
    }
    status, headers, ids = player.call("POST", "statements", body=sent)
    assert status == 200, ids
    assert headers["X-Experience-API-Version"] == "2.0.0"
    by_player = ids[0]

    # The 1.0.3 client reads the 2.0 statement (without what 1.0.3 cannot carry) ...
    fetched = remote.retrieve_statement(by_player)
    assert fetched.success, fetched.data
    assert fetched.content.object.id == "http://example.org/activities/module-20"
    assert fetched.content.context is None or not hasattr(fetched.content.context, "contextAgents")
    listed = remote.query_statements({"limit": 10})
    assert listed.success, listed.data
    assert by_player in {str(item.id) for item in listed.content.statements}

    # ... and writes its own, which the 2.0 client reads back, its 2.0 statement intact.
    saved = remote.save_statement(_statement(21))
    assert saved.success, saved.data
    status, _, page = player.call("GET", "statements", {"limit": 10})
    assert status == 200
    by_id = {item["id"]: item for item in page["statements"]}
    assert by_id[by_player]["context"]["contextAgents"] == [context_agent]
    assert by_id[by_player]["timestamp"] == "2026-12-04T09:00:00.250Z"
    assert str(saved.content.id) in by_id
    assert StoredStatement.objects.count() == 2
