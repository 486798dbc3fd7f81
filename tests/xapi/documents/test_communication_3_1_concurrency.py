"""Communication 3.1 Concurrency: ETags, If-Match / If-None-Match (412), and 409 for a
profile PUT without a precondition over an existing document."""

import hashlib

import pytest

from lms.xapi.documents.models import ActivityProfile, AgentProfile, State
from tests.xapi.documents.helpers import ACTIVITY, AGENT, error_message, state_params

PROFILES = [
    ("activities/profile", {"activityId": ACTIVITY, "profileId": "p"}, ActivityProfile),
    ("agents/profile", {"agent": AGENT, "profileId": "p"}, AgentProfile),
]
ALL = [*PROFILES, ("activities/state", state_params(), State)]

CREATE = {"If-None-Match": "*"}  # a new profile is PUT with a precondition (3.1)


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha1(content).hexdigest() + '"'  # noqa: S324 (the spec's ETag)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), ALL)
def test_3_1_s4_b1_b2_b4_get_has_the_quoted_sha1_of_the_content(docs, path, params, model):
    docs.put(path, params, b'{"a":1}', content_type="application/json", headers=CREATE)

    response = docs.get(path, params)

    assert response["ETag"] == etag_of(b'{"a":1}')
    assert response["ETag"] == f'"{model.objects.get().etag}"'


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), PROFILES)
def test_3_1_s4_b13_b14_profile_put_without_precondition_over_existing_is_409(
    docs, path, params, model
):
    docs.put(path, params, {"v": 1}, headers=CREATE)
    current = etag_of(b'{"v": 1}')

    response = docs.put(path, params, {"v": 2})

    assert response.status_code == 409
    kind = "Activity Profile" if model is ActivityProfile else "Agent Profile"
    assert error_message(response) == (
        f"The {kind} document already exists and the request has neither If-Match nor "
        "If-None-Match: check the current state of the document (GET it), then send "
        f"If-Match with its current ETag ({current}) to replace it"
    )
    assert docs.get(path, params).json() == {"v": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), PROFILES)
def test_3_1_s4_b5_put_with_the_current_etag_replaces(docs, path, params, model):
    docs.put(path, params, {"v": 1}, headers=CREATE)
    current = docs.get(path, params)["ETag"]

    assert docs.put(path, params, {"v": 2}, headers={"If-Match": current}).status_code == 204
    assert docs.get(path, params).json() == {"v": 2}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), ALL)
def test_3_1_s4_b9_b10_put_with_a_stale_etag_is_412_and_changes_nothing(docs, path, params, model):
    docs.put(path, params, {"v": 1}, headers={"If-None-Match": "*"})
    stale = docs.get(path, params)["ETag"]
    docs.put(path, params, {"v": 2}, headers={"If-Match": stale})

    response = docs.put(path, params, {"v": 3}, headers={"If-Match": stale})

    assert response.status_code == 412
    assert error_message(response).startswith("If-Match: the ")
    assert docs.get(path, params).json() == {"v": 2}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), ALL)
def test_3_1_s4_b6_if_none_match_star_over_an_existing_document_is_412(docs, path, params, model):
    assert docs.put(path, params, {"v": 1}, headers={"If-None-Match": "*"}).status_code == 204

    response = docs.put(path, params, {"v": 2}, headers={"If-None-Match": "*"})

    assert response.status_code == 412
    assert docs.get(path, params).json() == {"v": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), PROFILES)
def test_3_1_s4_b5_if_match_on_a_missing_document_is_412(docs, path, params, model):
    response = docs.put(path, params, {"v": 1}, headers={"If-Match": etag_of(b"x")})

    assert response.status_code == 412
    assert error_message(response).endswith(
        "it does not match '" + etag_of(b"x") + "', so nothing was changed"
    )
    assert not model.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "model"), PROFILES)
def test_3_1_s4_b7_b11_post_and_delete_check_if_match(docs, path, params, model):
    docs.put(path, params, {"v": 1}, headers=CREATE)
    wrong = etag_of(b"something else")

    assert docs.post(path, params, {"w": 2}, headers={"If-Match": wrong}).status_code == 412
    assert docs.delete(path, params, headers={"If-Match": wrong}).status_code == 412
    assert docs.get(path, params).json() == {"v": 1}
    right = docs.get(path, params)["ETag"]
    assert docs.post(path, params, {"w": 2}, headers={"If-Match": right}).status_code == 204
    merged = docs.get(path, params)
    assert merged.json() == {"v": 1, "w": 2}
    assert docs.delete(path, params, headers={"If-Match": merged["ETag"]}).status_code == 204
    assert not model.objects.exists()


@pytest.mark.django_db
def test_3_1_s3_b4_an_unquoted_or_listed_etag_matches_too(docs):
    params = {"activityId": ACTIVITY, "profileId": "p"}
    docs.put("activities/profile", params, {"v": 1}, headers=CREATE)
    bare = docs.get("activities/profile", params)["ETag"].strip('"')

    listed = f'"0000", {bare.upper()}'
    assert (
        docs.put("activities/profile", params, {"v": 2}, headers={"If-Match": listed}).status_code
        == 204
    )


@pytest.mark.django_db
def test_3_1_s3_state_writes_need_no_precondition(docs):
    params = state_params()
    docs.put("activities/state", params, {"v": 1})

    assert docs.put("activities/state", params, {"v": 2}).status_code == 204
    assert docs.post("activities/state", params, {"w": 3}).status_code == 204
    assert docs.get("activities/state", params).json() == {"v": 2, "w": 3}
