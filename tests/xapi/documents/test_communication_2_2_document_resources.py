"""Communication 2.2 Document Resources: what the three resources share (JSON merge on
POST, Last-Modified, arbitrary content types, no prior knowledge needed)."""

import json

import pytest
from django.utils.http import parse_http_date

from lms.xapi.documents.models import ActivityProfile, AgentProfile, State
from tests.xapi.documents.helpers import ACTIVITY, AGENT, error_message, state_params

RESOURCES = [
    ("activities/state", state_params(), State),
    ("activities/profile", {"activityId": ACTIVITY, "profileId": "prefs"}, ActivityProfile),
    ("agents/profile", {"agent": AGENT, "profileId": "prefs"}, AgentProfile),
]

CREATE = {"If-None-Match": "*"}  # a new profile is PUT with a precondition (3.1)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), RESOURCES)
def test_2_2_s7_post_merges_top_level_properties_of_json_objects(docs, path, params, model):
    assert docs.post(path, params, {"x": "foo", "y": "bar", "o": {"a": 1}}).status_code == 204
    response = docs.post(path, params, {"x": "bash", "z": "faz", "o": {"b": 2}})

    assert response.status_code == 204
    got = docs.get(path, params)
    assert got.json() == {"x": "bash", "y": "bar", "z": "faz", "o": {"b": 2}}
    assert model.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), RESOURCES)
def test_2_2_s8_b1_post_onto_a_non_json_document_is_400_and_changes_nothing(
    docs, path, params, model
):
    docs.put(
        path, params, b"plain words", content_type="text/plain", headers={"If-None-Match": "*"}
    )

    response = docs.post(path, params, {"x": 1})

    assert response.status_code == 400
    assert error_message(response) == (
        "The existing document has the content type 'text/plain'; a POST merges documents "
        "only when both are 'application/json' JSON Objects, so nothing was changed "
        "(use PUT to replace the document)"
    )
    assert bytes(model.objects.get().content) == b"plain words"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            b"x=1",
            "application/x-www-form-urlencoded",
            "The posted document has the content type 'application/x-www-form-urlencoded'",
        ),
        (b"[1, 2]", "application/json", "The posted document is JSON but not a JSON Object"),
        (b"{not json", "application/json", "The posted document is not valid JSON"),
    ],
)
def test_2_2_s8_b1_posting_something_other_than_a_json_object_is_400(
    docs, body, content_type, message
):
    docs.put("activities/state", state_params(), {"kept": True})

    response = docs.post("activities/state", state_params(), body, content_type=content_type)

    assert response.status_code == 400
    assert error_message(response).startswith(message)
    assert json.loads(bytes(State.objects.get().content)) == {"kept": True}


@pytest.mark.django_db
def test_2_2_s7_post_without_an_existing_document_stores_it_as_sent(docs):
    response = docs.post("activities/state", state_params(), b"\x00\x01", content_type="image/png")

    assert response.status_code == 204
    got = docs.get("activities/state", state_params())
    assert got.content == b"\x00\x01"
    assert got["Content-Type"] == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), RESOURCES)
def test_1_5_b1_documents_keep_the_content_type_they_were_sent_with(docs, path, params, model):
    content_type = "text/csv; charset=utf-8"
    docs.put(path, params, b"a,b\n1,2\n", content_type=content_type, headers=CREATE)

    response = docs.get(path, params)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content == b"a,b\n1,2\n"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), RESOURCES)
def test_2_2_s6_b1_single_document_has_last_modified(docs, path, params, model):
    docs.put(path, params, {"a": 1}, headers=CREATE)

    response = docs.get(path, params)

    updated = model.objects.get().updated
    assert parse_http_date(response["Last-Modified"]) == int(updated.timestamp())


@pytest.mark.django_db
def test_2_2_s6_b2_multiple_documents_have_the_latest_last_modified(docs):
    docs.put("activities/state", state_params(stateId="one"), {"a": 1})
    docs.put("activities/state", state_params(stateId="two"), {"a": 2})

    response = docs.get("activities/state", state_params(stateId=None))

    latest = max(State.objects.values_list("updated", flat=True))
    assert parse_http_date(response["Last-Modified"]) == int(latest.timestamp())


@pytest.mark.django_db
def test_2_2_s4_b2_documents_for_unknown_activities_and_agents_are_accepted(docs):
    params = {
        "activityId": "urn:uuid:4b1b3a1c-0000-4000-8000-000000000001",
        "agent": {"account": {"homePage": "https://elsewhere.example", "name": "x-42"}},
        "stateId": "s",
    }

    assert docs.put("activities/state", params, {"new": True}).status_code == 204
    assert docs.get("activities/state", params).json() == {"new": True}
