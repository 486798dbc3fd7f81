"""Seven rules of xAPI 1.0.3 the ADL conformance suite checks: each test is named after
the clause it checks."""

import hashlib
import json

import pytest
from django.apps import apps

from lms.xapi import scopes
from lms.xapi.models import Statement
from tests.xapi.conftest import statement
from tests.xapi.documents.helpers import ACTIVITY, AGENT, Documents, basic_auth, lrs_client_make

HEADER = "X-Experience-API-Consistent-Through"
PARENT = {"id": "http://example.org/activities/programme-1"}


@pytest.fixture
def docs(client, db):
    return Documents(client, basic_auth(lrs_client_make(scopes.ALL)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"LIMIT": "1"}, {"statementId": "not-a-uuid"}, {"verb": "not an iri"}, {"more": "bad"}],
)
def test_communication_2_1_3_consistent_through_on_error_answers(xapi, params):
    response = xapi.get("/xapi/statements", params)
    assert response.status_code == 400
    assert response[HEADER].endswith("Z")


@pytest.mark.django_db
def test_communication_2_1_3_consistent_through_on_401_404_and_409(client, xapi):
    assert HEADER in client.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3"})
    missing = xapi.get("/xapi/statements", {"statementId": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"})
    assert missing.status_code == 404 and HEADER in missing
    data = statement(id="6690e6c9-3ef0-4ed3-8b37-7f3964730bee")
    assert xapi.post("/xapi/statements", data).status_code == 200
    conflict = xapi.post("/xapi/statements", dict(data, verb={"id": "http://example.org/v"}))
    assert conflict.status_code == 409 and HEADER in conflict
    no_version = client.get("/xapi/statements")
    assert no_version.status_code == 400 and HEADER in no_version


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["exact", "ids", "canonical"])
def test_data_2_4_6_2_single_context_activity_comes_back_as_array(xapi, fmt):
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:ben@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
        "object": {"id": "http://example.org/activities/x"},
        "context": {"contextActivities": {"grouping": PARENT}},
    }
    data = statement(context={"contextActivities": {"parent": PARENT, "other": [PARENT]}})
    ids = xapi.post("/xapi/statements", [data, statement(object=sub)]).json()
    for statement_id, where in zip(ids, ("top", "sub"), strict=True):
        got = xapi.get("/xapi/statements", {"statementId": statement_id, "format": fmt}).json()
        context = got["context"] if where == "top" else got["object"]["context"]
        groups = context["contextActivities"]
        assert all(isinstance(value, list) for value in groups.values())
        assert [item["id"] for item in groups.get("parent", groups.get("grouping"))] == [
            PARENT["id"]
        ]
    listed = xapi.get("/xapi/statements", {"format": fmt}).json()["statements"]
    assert isinstance(listed[-1]["context"]["contextActivities"]["parent"], list)


@pytest.mark.django_db
def test_data_2_4_6_2_migration_turns_stored_single_context_activities_into_arrays(xapi):
    from importlib import import_module

    statement_id = xapi.post(
        "/xapi/statements", statement(context={"contextActivities": {"parent": [PARENT]}})
    ).json()[0]
    row = Statement.objects.get(statement_id=statement_id)
    legacy = json.loads(row.raw)
    legacy["context"]["contextActivities"]["parent"] = PARENT
    Statement.objects.filter(pk=row.pk).update(raw=json.dumps(legacy))
    migration = import_module("lms.xapi.migrations.0005_lrs_context_activities_arrays")
    migration.forwards(apps, None)
    stored = json.loads(Statement.objects.get(pk=row.pk).raw)
    assert stored["context"]["contextActivities"]["parent"] == [PARENT]
    assert stored["stored"] == legacy["stored"]


@pytest.mark.django_db
def test_data_2_4_10_version_1_0_is_accepted(xapi):
    response = xapi.post("/xapi/statements", statement(version="1.0"))
    assert response.status_code == 200, response.content
    assert xapi.post("/xapi/statements", statement(version="1.1.0")).status_code == 400


@pytest.mark.django_db
def test_communication_2_1_3_format_ids_keeps_only_the_activity_id(xapi):
    parent = dict(PARENT, objectType="Activity")
    data = statement(context={"contextActivities": {"parent": [parent]}})
    statement_id = xapi.post("/xapi/statements", data).json()[0]
    got = xapi.get("/xapi/statements", {"statementId": statement_id, "format": "ids"}).json()
    assert got["object"] == {"id": data["object"]["id"]}
    assert got["context"]["contextActivities"]["parent"] == [{"id": PARENT["id"]}]


def _multipart(encoding: str) -> tuple[bytes, str]:
    content = b"raw attachment bytes"
    sha2 = hashlib.sha256(content).hexdigest()
    attachment = {
        "usageType": "http://example.org/usage/photo",
        "display": {"en": "photo"},
        "contentType": "text/plain",
        "length": len(content),
        "sha2": sha2,
    }
    boundary = "xyzboundary"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
            + json.dumps(statement(attachments=[attachment]))
            + f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--".encode()
    )
    return body, f'multipart/mixed; boundary="{boundary}"'


@pytest.mark.django_db
def test_communication_1_5_2_attachment_part_in_base64_is_refused(xapi):
    body, content_type = _multipart("base64")
    response = xapi.post("/xapi/statements", body, content_type=content_type)
    assert response.status_code == 400
    assert "Content-Transfer-Encoding 'base64'" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0
    body, content_type = _multipart("binary")
    assert xapi.post("/xapi/statements", body, content_type=content_type).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("activities/profile", {"activityId": ACTIVITY, "profileId": "p1"}),
        ("agents/profile", {"agent": AGENT, "profileId": "p1"}),
    ],
)
def test_communication_3_1_new_profile_put_without_precondition_is_400(docs, path, params):
    response = docs.put(path, params, {"a": 1})
    assert response.status_code == 400
    assert "If-None-Match: *" in response.json()["error"]["message"]
    assert docs.get(path, params).status_code == 404
    assert docs.put(path, params, {"a": 1}, headers={"If-None-Match": "*"}).status_code == 204


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("activities/profile", {"activityId": ACTIVITY, "profileId": "p1"}),
        ("agents/profile", {"agent": AGENT, "profileId": "p1"}),
        ("activities/state", {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s1"}),
    ],
)
def test_communication_2_2_s7_new_document_post_of_invalid_json_is_400(docs, path, params):
    response = docs.post(path, params, b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]
    assert docs.get(path, params).status_code == 404
