"""Malformed, oversized, deeply nested and wrongly typed input to every LRS resource answers
a 4xx, never a 500 (docs/security.md). Bounded: about 2,400 cases in all."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.xapi.conftest import basic, make_client, statement

pytestmark = pytest.mark.django_db

RESOURCES = {
    "/xapi/statements": ("GET", "PUT", "POST"),
    "/xapi/activities/state": ("GET", "PUT", "POST", "DELETE"),
    "/xapi/activities/profile": ("GET", "PUT", "POST", "DELETE"),
    "/xapi/agents/profile": ("GET", "PUT", "POST", "DELETE"),
    "/xapi/agents": ("GET",),
    "/xapi/activities": ("GET",),
    "/xapi/about": ("GET",),
}
PARAMS = (
    "statementId", "voidedStatementId", "agent", "verb", "activity", "registration",
    "related_activities", "related_agents", "since", "until", "limit", "format",
    "attachments", "ascending", "activityId", "stateId", "profileId", "method", "content",
)  # fmt: skip
FAST = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every code point, lone surrogates included: json.dumps writes them as \ud800 escapes.
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
iri_like = st.one_of(
    any_text,
    st.integers(1, 6000).map(lambda n: "http://example.org/" + "a" * n),
    st.sampled_from(["mailto:a@b", "http://", "x:", "%zz", "http://example.org/\ud800"]),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text, iri_like
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=20,
)


def _nested(depth: int, kind: str) -> str:
    return ('{"a":' * depth + "1" + "}" * depth) if kind == "object" else "[" * depth + "]" * depth


deep = st.builds(_nested, st.integers(20, 5000), st.sampled_from(["object", "array"]))
PROPERTIES = ("id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
              "authority", "version", "attachments")  # fmt: skip


@st.composite
def statements_mutated(draw):
    """A valid statement with one property replaced, removed or made deeper."""
    data = statement()
    prop = draw(st.sampled_from(PROPERTIES))
    action = draw(st.sampled_from(["replace", "remove", "nest"]))
    if action == "remove":
        data.pop(prop, None)
    elif action == "nest":
        data[prop] = json.loads(_nested(draw(st.integers(20, 60)), "object"))
    else:
        data[prop] = draw(json_values)
    return json.dumps(data)


bodies = st.one_of(
    statements_mutated(),
    json_values.map(json.dumps),
    deep,
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.lists(statements_mutated(), max_size=3).map(lambda items: "[" + ",".join(items) + "]"),
)


def _query(draw_params: dict) -> str:
    # Values percent-encoded from their UTF-8 bytes, surrogates kept: invalid UTF-8 on the wire.
    return "&".join(
        f"{urllib.parse.quote(key)}="
        f"{urllib.parse.quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for key, value in draw_params.items()
    )


queries = st.dictionaries(
    st.one_of(st.sampled_from(PARAMS), any_text.filter(lambda t: t.isascii())),
    st.one_of(any_text, bodies, iri_like),
    max_size=4,
).map(_query)


@pytest.fixture
def auth(db):
    return basic(make_client())


def _send(auth, method, path, query, body, content_type="application/json", version="1.0.3"):
    client = Client(raise_request_exception=False)
    headers = {"Authorization": auth}
    if version is not None:
        headers["X-Experience-API-Version"] = version
    url = f"{path}?{query}" if query else path
    response = client.generic(method, url, body.encode("utf-8", "surrogatepass"),
                              content_type=content_type, headers=headers)  # fmt: skip
    assert response.status_code < 500, (method, url, body[:300], response.content[:300])
    return response


@FAST
@given(body=bodies)
def test_statement_bodies_never_answer_500(auth, body):
    response = _send(auth, "POST", "/xapi/statements", "", body)
    assert response.status_code in (200, 400, 409, 413), response.content[:300]


@FAST
@given(body=bodies, method=st.sampled_from(["PUT", "POST new", "POST merge"]))
def test_statement_put_and_state_post_bodies_never_answer_500(auth, body, method):
    """A State POST takes one road when no document exists yet and another when it merges:
    each example says which, so a failure replays the same way (the database outlives the
    examples of one test)."""
    if method == "PUT":
        query = "statementId=7f0f4a2e-37c4-4d27-9b0e-2b9d8e8f3a11"
        _send(auth, "PUT", "/xapi/statements", query, body)
        return
    agent = urllib.parse.quote(json.dumps({"mbox": "mailto:awa@example.org"}))
    query = f"activityId=http://example.org/a&agent={agent}&stateId="
    if method == "POST new":
        _send(auth, "DELETE", "/xapi/activities/state", query + "new", "")
        _send(auth, "POST", "/xapi/activities/state", query + "new", body)
    else:
        _send(auth, "PUT", "/xapi/activities/state", query + "merged", '{"kept": 1}')
        _send(auth, "POST", "/xapi/activities/state", query + "merged", body)


@pytest.mark.parametrize("kind", ["object", "array"])
def test_a_new_state_document_nested_too_deep_is_refused_by_name(auth, kind):
    agent = urllib.parse.quote(json.dumps({"mbox": "mailto:awa@example.org"}))
    query = f"activityId=http://example.org/a&agent={agent}&stateId=deep"
    response = _send(auth, "POST", "/xapi/activities/state", query, _nested(5000, kind))
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["error"]["message"]
    response = _send(auth, "GET", "/xapi/activities/state", query, "")
    assert response.status_code == 404


@FAST
@given(resource=st.sampled_from(sorted(RESOURCES)), data=st.data())
def test_every_resource_and_method_with_malformed_query_never_answers_500(auth, resource, data):
    method = data.draw(st.sampled_from(RESOURCES[resource]))
    query = data.draw(queries)
    body = data.draw(bodies) if method in ("PUT", "POST") else ""
    _send(auth, method, resource, query, body)


@FAST
@given(
    resource=st.sampled_from(sorted(RESOURCES)),
    content_type=st.one_of(
        st.sampled_from(
            [
                "application/json",
                "multipart/mixed; boundary=x",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/mixed",
            ]
        ),
        any_text.filter(lambda t: t.isascii() and "\n" not in t and "\r" not in t),
    ),
    version=st.one_of(st.none(), st.sampled_from(["1.0.3", "1.0", "2.0.0", "0.9", "x"])),
    body=bodies,
)
def test_content_types_and_versions_never_answer_500(auth, resource, content_type, version, body):
    method = "POST" if "POST" in RESOURCES[resource] else "GET"
    _send(auth, method, resource, "", body, content_type=content_type, version=version)


@FAST
@given(agent=json_values, method=st.sampled_from(["GET", "PUT", "DELETE"]))
def test_agent_parameters_never_answer_500(auth, agent, method):
    query = "activityId=http://example.org/a&stateId=s&agent=" + urllib.parse.quote(
        json.dumps(agent).encode("utf-8", "surrogatepass"), safe=""
    )
    _send(auth, method, "/xapi/activities/state", query, "{}" if method == "PUT" else "")
    _send(auth, "GET", "/xapi/agents", "agent=" + query.rsplit("agent=", 1)[1], "")
    _send(auth, "GET", "/xapi/statements", "agent=" + query.rsplit("agent=", 1)[1], "")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (_nested(1000, "object"), "nested deeper than 32 levels"),
        (_nested(40, "array"), "nested deeper than 32 levels"),
        (json.dumps(statement(verb={"id": "http://example.org/v", "display": {"en": "\ud800"}})),
         "not valid Unicode"),
        (json.dumps(statement(verb={"id": "http://example.org/" + "v" * 3000})),
         "this LRS stores IRIs of at most 2,048"),
    ],
)  # fmt: skip
def test_the_limits_are_named_in_the_answer(auth, body, words):
    response = _send(auth, "POST", "/xapi/statements", "", body)
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]
