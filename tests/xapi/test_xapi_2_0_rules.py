"""xAPI 2.0 (IEEE 9274.1.1) beside 1.0.3 on one endpoint, chosen per request by
X-Experience-API-Version: each 2.0 difference, named after its clause (as the ADL
conformance suite's test/v2_0 names them)."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest

from lms.xapi import scopes
from lms.xapi.models import Statement
from lms.xapi.spec.primitives import parse_timestamp
from tests.xapi.conftest import XAPIClient, basic, statement
from tests.xapi.documents.helpers import ACTIVITY, AGENT, Documents, basic_auth, lrs_client_make

V2 = "2.0.0"
CONTEXT_AGENT = {
    "objectType": "contextAgent",
    "agent": {"objectType": "Agent", "mbox": "mailto:instructor@example.org"},
    "relevantTypes": ["https://w3id.org/xapi/cmi5/context/categories/moveon"],
}
CONTEXT_GROUP = {
    "objectType": "contextGroup",
    "group": {
        "objectType": "Group",
        "name": "Team Gao",
        "member": [{"mbox": "mailto:awa@example.org"}, {"mbox": "mailto:ben@example.org"}],
    },
    "relevantTypes": ["http://example.org/types/team"],
}


@pytest.fixture
def xapi2(client, lrs_client):
    return XAPIClient(client, lrs_client, version=V2)


@pytest.fixture
def docs2(client, db):
    documents = Documents(client, basic_auth(lrs_client_make(scopes.ALL)))
    original = documents.call

    def call(method, path, params, **kwargs):
        headers = {"X-Experience-API-Version": V2, **(kwargs.pop("headers", None) or {})}
        return original(method, path, params, headers=headers, **kwargs)

    documents.call = call
    return documents


def _get_one(client, statement_id, **params):
    response = client.get("/xapi/statements", {"statementId": statement_id, **params})
    assert response.status_code == 200, response.content
    return response


# -- Communication 3.3 versioning, 2.8 About --


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "answered"),
    [
        ("2.0.0", "2.0.0"),
        ("2.0", "2.0.0"),
        ("2.0.1", "2.0.0"),
        ("1.0.3", "1.0.3"),
        ("1.0.0", "1.0.3"),
    ],
)
def test_communication_3_3_version_negotiated_per_request(xapi, header, answered):
    xapi.version = header
    response = xapi.post("/xapi/statements", statement())
    assert response.status_code == 200, response.content
    assert response["X-Experience-API-Version"] == answered
    assert xapi.get("/xapi/statements")["X-Experience-API-Version"] == answered


@pytest.mark.django_db
def test_communication_3_3_header_required_except_about(client):
    assert client.get("/xapi/statements").status_code in (400, 401)
    both = client.get("/xapi/about")
    assert both.json()["version"] == ["2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    about = client.get("/xapi/about", headers={"X-Experience-API-Version": "2.0.0"})
    assert about.json()["version"][:2] == ["2.0.0", "1.0.3"]
    assert about["X-Experience-API-Version"] == "2.0.0"
    # A 1.0.x client is told the versions it can use (TinCanPython refuses others).
    old = client.get("/xapi/about", headers={"X-Experience-API-Version": "1.0.1"})
    assert old.status_code == 200
    assert old.json()["version"] == ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    assert old["X-Experience-API-Version"] == "1.0.3"


# -- Data 2.4.6 contextAgents and contextGroups --


@pytest.mark.django_db
def test_data_2_4_6_context_agents_and_groups_are_validated_and_kept(xapi2, xapi):
    data = statement(context={"contextAgents": [CONTEXT_AGENT], "contextGroups": [CONTEXT_GROUP]})
    statement_id = xapi2.post("/xapi/statements", data).json()[0]
    got = _get_one(xapi2, statement_id).json()
    assert got["context"]["contextAgents"] == [CONTEXT_AGENT]
    assert got["context"]["contextGroups"] == [CONTEXT_GROUP]
    assert got["version"] == "2.0.0"
    # Stored once; a 1.0.3 client gets what 1.0.3 can carry (docs/xapi.md).
    old = _get_one(xapi, statement_id).json()
    assert "contextAgents" not in old.get("context", {})
    assert "contextGroups" not in old.get("context", {})
    assert old["version"] == "1.0.3"
    listed = xapi.get("/xapi/statements").json()["statements"][0]
    assert "contextAgents" not in listed.get("context", {})
    # A re-send of the same statement is the same statement (Data 2.3.1).
    assert xapi2.post("/xapi/statements", dict(data, id=statement_id)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "item", "message"),
    [
        ("contextAgents", dict(CONTEXT_AGENT, objectType="Should fail"), "must be 'contextAgent'"),
        ("contextAgents", {"objectType": "contextAgent", "agent": {"key": "x"}}, "not a property"),
        ("contextAgents", dict(CONTEXT_AGENT, relevantTypes=[]), "at least one type"),
        ("contextAgents", dict(CONTEXT_AGENT, relevantTypes=["abc"]), "absolute IRI"),
        ("contextAgents", {"objectType": "contextAgent"}, "agent: is required"),
        ("contextGroups", dict(CONTEXT_GROUP, objectType="contextAgent"), "'contextGroup'"),
        ("contextGroups", dict(CONTEXT_GROUP, group=CONTEXT_AGENT["agent"]), "must be 'Group'"),
        ("contextGroups", dict(CONTEXT_GROUP, relevantTypes=[]), "at least one type"),
    ],
)
@pytest.mark.parametrize("where", ["statement", "substatement"])
def test_data_2_4_6_invalid_context_agents_and_groups_are_400(xapi2, key, item, message, where):
    context = {key: [item]}
    if where == "statement":
        data = statement(context=context)
    else:
        data = statement(
            object={
                "objectType": "SubStatement",
                "actor": {"mbox": "mailto:ben@example.org"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
                "object": {"id": "http://example.org/activities/x"},
                "context": context,
            }
        )
    response = xapi2.post("/xapi/statements", data)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_data_2_4_6_context_agents_in_a_1_0_3_request_are_400(xapi):
    response = xapi.post("/xapi/statements", statement(context={"contextAgents": [CONTEXT_AGENT]}))
    assert response.status_code == 400
    assert "is an xAPI 2.0 property" in response.json()["error"]["message"]


# -- Data 2.4.7 / 4.5 timestamps --


@pytest.mark.django_db
@pytest.mark.parametrize(
    "timestamp",
    ["2008-09-15T15:53:00.601-00", "2008-09-15T15:53:00.601-0000", "2008-09-15T15:53:00.601-00:00"],
)
def test_data_4_5_negative_zero_offsets_are_refused(xapi2, timestamp):
    assert xapi2.post("/xapi/statements", statement(timestamp=timestamp)).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2008-09-15 15:53:00.601+00:00", "2008-09-15T15:53:00.601Z"),
        ("2008-09-15T17:53:00.601+02:00", "2008-09-15T15:53:00.601Z"),
        ("2008-09-15T10:23:00.123456-05:30", "2008-09-15T15:53:00.123456Z"),
        ("2008-09-15T15:53:00+00:00", "2008-09-15T15:53:00.000Z"),
    ],
)
def test_data_2_4_7_rfc_3339_timestamps_are_converted_to_utc_keeping_precision(xapi2, sent, stored):
    statement_id = xapi2.post("/xapi/statements", statement(timestamp=sent)).json()[0]
    assert _get_one(xapi2, statement_id).json()["timestamp"] == stored


@pytest.mark.django_db
@pytest.mark.parametrize("ahead", [timedelta(seconds=3), timedelta(days=2)])
def test_data_2_4_7_future_timestamps_are_accepted(xapi2, ahead):
    moment = (datetime.now(UTC) + ahead).isoformat()
    assert xapi2.post("/xapi/statements", statement(timestamp=moment)).status_code == 200


@pytest.mark.django_db
def test_data_2_4_7_timestamp_is_stored_when_missing(xapi2):
    statement_id = xapi2.post("/xapi/statements", statement()).json()[0]
    got = _get_one(xapi2, statement_id).json()
    assert got["timestamp"] == got["stored"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "POST list"])
def test_data_2_4_7_null_timestamp_is_set_to_stored_in_2_0(xapi2, method):
    statement_id = str(uuid.uuid4())
    sent = statement(id=statement_id, timestamp=None)
    if method == "PUT":
        response = xapi2.put(f"/xapi/statements?statementId={statement_id}", sent)
        assert response.status_code == 204, response.content
    else:
        body = [sent, statement()] if method == "POST list" else sent
        response = xapi2.post("/xapi/statements", body)
        assert response.status_code == 200, response.content
    got = _get_one(xapi2, statement_id).json()
    assert got["timestamp"] == got["stored"]


@pytest.mark.django_db
def test_data_2_4_7_other_nulls_stay_refused_in_2_0_and_1_0_3_is_unchanged(xapi2, xapi):
    refused = xapi.post("/xapi/statements", statement(timestamp=None))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "statement.timestamp: must not be null"
    registration = xapi2.post("/xapi/statements", statement(context={"registration": None}))
    assert registration.status_code == 400
    sub = {"objectType": "SubStatement", **statement(timestamp=None)}
    nested = xapi2.post("/xapi/statements", statement(object=sub))
    assert nested.status_code == 400
    assert nested.json()["error"]["message"] == "statement.object.timestamp: must not be null"


# -- Last-Modified and ETags --------------------------------------------------------------------


@pytest.mark.django_db
def test_communication_2_1_3_statement_get_has_last_modified_equal_to_stored(xapi2):
    statement_id = xapi2.post("/xapi/statements", statement()).json()[0]
    response = _get_one(xapi2, statement_id)
    stored = parse_timestamp(response.json()["stored"], "stored").replace(microsecond=0)
    modified = datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert modified.replace(tzinfo=UTC) == stored
    later = xapi2.post("/xapi/statements", statement()).json()[0]
    latest = _get_one(xapi2, later).json()["stored"]
    for fmt in ("exact", "ids"):
        page = xapi2.get("/xapi/statements", {"format": fmt})
        listed = datetime.strptime(page["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
        assert listed.replace(tzinfo=UTC) == parse_timestamp(latest, "s").replace(microsecond=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("activities/state", {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"}),
        ("activities/profile", {"activityId": ACTIVITY, "profileId": "p"}),
        ("agents/profile", {"agent": AGENT, "profileId": "p"}),
    ],
)
def test_communication_2_2_every_document_has_last_modified_and_a_quoted_etag(docs2, path, params):
    created = docs2.put(path, params, {"a": 1}, headers={"If-None-Match": "*"})
    assert created.status_code == 204, created.content
    got = docs2.get(path, params)
    assert got["ETag"].startswith('"') and got["ETag"].endswith('"')
    assert got["Last-Modified"].endswith("GMT")
    owner = {key: value for key, value in params.items() if key not in ("stateId", "profileId")}
    listed = docs2.get(path, owner)
    assert listed.json() == [params.get("stateId") or params.get("profileId")]
    assert listed["Last-Modified"].endswith("GMT")
    assert listed["ETag"].startswith('"')


# -- Communication 3.1 concurrency on State --


@pytest.mark.django_db
def test_communication_3_1_state_put_without_precondition_on_existing_document_is_409(docs2, docs):
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    assert docs2.put("activities/state", params, {"page": 1}).status_code == 204
    conflict = docs2.put("activities/state", params, {"page": 2})
    assert conflict.status_code == 409
    assert json.loads(docs2.get("activities/state", params).content) == {"page": 1}
    # xAPI 1.0.3 keeps its rule: the State resource needs no precondition.
    assert docs.put("activities/state", params, {"page": 3}).status_code == 204


@pytest.mark.django_db
def test_communication_3_1_state_wrong_if_match_is_412(docs2):
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    assert docs2.put("activities/state", params, {"page": 1}).status_code == 204
    stale = docs2.put("activities/state", params, {"page": 2}, headers={"If-Match": '"0000"'})
    assert stale.status_code == 412
    current = docs2.get("activities/state", params)["ETag"]
    replaced = docs2.put("activities/state", params, {"page": 2}, headers={"If-Match": current})
    assert replaced.status_code == 204


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_communication_3_1_state_post_and_delete_with_a_wrong_if_match_are_412(docs2, method):
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    assert docs2.post("activities/state", params, {"page": 1}).status_code == 204
    stale = {"If-Match": '"1234"'}
    if method == "POST":
        refused = docs2.post("activities/state", params, {"seen": True}, headers=stale)
    else:
        refused = docs2.delete("activities/state", params, headers=stale)
    assert refused.status_code == 412
    assert json.loads(docs2.get("activities/state", params).content) == {"page": 1}
    current = {"If-Match": docs2.get("activities/state", params)["ETag"]}
    if method == "POST":
        accepted = docs2.post("activities/state", params, {"seen": True}, headers=current)
    else:
        accepted = docs2.delete("activities/state", params, headers=current)
    assert accepted.status_code == 204


@pytest.mark.django_db
def test_communication_2_2_last_modified_moves_when_the_document_changes(docs2):
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    assert docs2.post("activities/state", params, {"page": 1}).status_code == 204
    before = parsedate_to_datetime(docs2.get("activities/state", params)["Last-Modified"])
    time.sleep(1.05)  # Last-Modified has whole seconds (RFC 9110 HTTP-date)
    assert docs2.post("activities/state", params, {"seen": True}).status_code == 204
    after = parsedate_to_datetime(docs2.get("activities/state", params)["Last-Modified"])
    assert after > before


@pytest.fixture
def docs(client, db):
    return Documents(client, basic_auth(lrs_client_make(scopes.ALL, name="1.0.3 tool")))


# -- Data 4.6 durations --


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "again", "status"),
    [
        ("PT1.234S", "PT1.23S", 200),
        ("PT1.2S", "PT1.20S", 200),
        ("PT1S", "PT1.001S", 200),
        ("PT1.2S", "PT1.21S", 409),
    ],
)
def test_data_4_6_durations_are_compared_to_a_hundredth_of_a_second(xapi2, first, again, status):
    statement_id = str(uuid.uuid4())
    data = statement(id=statement_id, result={"duration": first})
    assert xapi2.post("/xapi/statements", data).status_code == 200
    resent = dict(data, result={"duration": again})
    assert xapi2.post("/xapi/statements", resent).status_code == status


# -- Communication 2.1.2 batches --


@pytest.mark.django_db
def test_communication_2_1_2_a_batch_with_one_rejected_statement_stores_nothing(xapi2):
    batch = [statement(), statement(timestamp="2008-09-15T15:53:00.601-00:00"), statement()]
    response = xapi2.post("/xapi/statements", batch)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statement[1].timestamp")
    assert Statement.objects.count() == 0


# -- Communication 1.3 alternate request syntax --


@pytest.mark.django_db
def test_communication_1_3_alternate_request_syntax_is_refused_in_2_0(client, lrs_client):
    form = {
        "Authorization": basic(lrs_client),
        "X-Experience-API-Version": V2,
        "Content-Type": "application/json",
        "content": json.dumps(statement()),
    }
    response = client.post(
        "/xapi/statements?method=POST",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "no alternate request syntax" in response.json()["error"]["message"]
    assert response["X-Experience-API-Version"] == "2.0.0"
    assert Statement.objects.count() == 0
    form["X-Experience-API-Version"] = "1.0.3"
    allowed = client.post(
        "/xapi/statements?method=POST",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert allowed.status_code == 200, allowed.content


# -- Communication 2.5 Activities --


@pytest.mark.django_db
def test_communication_2_5_unknown_activity_is_200_with_its_id_in_2_0(xapi2, xapi):
    unknown = "http://example.org/activities/never-seen"
    response = xapi2.get("/xapi/activities", {"activityId": unknown})
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": unknown}
    assert xapi.get("/xapi/activities", {"activityId": unknown}).status_code == 404


# -- Data 2.4.10 version --


@pytest.mark.django_db
def test_data_2_4_10_statement_versions_by_request_version(xapi2, xapi):
    assert xapi2.post("/xapi/statements", statement(version="2.0.0")).status_code == 200
    assert xapi2.post("/xapi/statements", statement(version="1.0.3")).status_code == 200
    assert xapi.post("/xapi/statements", statement(version="2.0.0")).status_code == 400
    assert xapi2.post("/xapi/statements", statement(version="3.0.0")).status_code == 400


@pytest.mark.django_db
def test_communication_2_1_3_consistent_through_in_2_0(xapi2):
    response = xapi2.get("/xapi/statements", {"LIMIT": "1"})
    assert response.status_code == 400
    assert response["X-Experience-API-Consistent-Through"].endswith("Z")


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
@pytest.mark.parametrize(
    "timestamp",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "9999-12-31T24:00:00Z"],
)
def test_data_4_5_timestamps_outside_the_utc_calendar_are_400_not_500(xapi, version, timestamp):
    xapi.version = version
    response = xapi.post("/xapi/statements", statement(timestamp=timestamp))
    assert response.status_code == 400
    assert "outside the years 1 to 9999" in response.json()["error"]["message"]
