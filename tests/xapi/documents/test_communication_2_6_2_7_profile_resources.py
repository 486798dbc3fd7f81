"""Communication 2.6 Agent Profile and 2.7 Activity Profile Resources."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.xapi import scopes
from lms.xapi.documents.models import ActivityProfile, AgentProfile
from tests.xapi.documents.helpers import ACTIVITY, AGENT, error_message

PROFILES = [
    ("activities/profile", {"activityId": ACTIVITY}, ActivityProfile),
    ("agents/profile", {"agent": AGENT}, AgentProfile),
]

CREATE = {"If-None-Match": "*"}  # a new profile is PUT with a precondition (3.1)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "owner", "model"), PROFILES)
def test_profile_put_get_delete(docs, path, owner, model):
    params = {**owner, "profileId": "prefs"}

    assert docs.put(path, params, {"lang": "fr"}, headers=CREATE).status_code == 204
    assert docs.get(path, params).json() == {"lang": "fr"}
    assert docs.delete(path, params).status_code == 204
    assert docs.get(path, params).status_code == 404
    assert not model.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "owner", "model"), PROFILES)
def test_profile_ids_with_since(docs, path, owner, model):
    docs.put(path, {**owner, "profileId": "old"}, {"a": 1}, headers=CREATE)
    docs.put(path, {**owner, "profileId": "new"}, {"a": 2}, headers=CREATE)
    model.objects.filter(profile_id="old").update(updated=timezone.now() - timedelta(days=1))
    cutoff = (timezone.now() - timedelta(hours=1)).isoformat()

    assert docs.get(path, owner).json() == ["new", "old"]
    assert docs.get(path, {**owner, "since": cutoff}).json() == ["new"]


@pytest.mark.django_db
def test_2_6_s3_agent_profiles_of_different_agents_are_apart(docs):
    docs.put("agents/profile", {"agent": AGENT, "profileId": "p"}, {"who": "awa"}, headers=CREATE)
    other = {"account": {"homePage": "https://lms.example", "name": "42"}}
    docs.put("agents/profile", {"agent": other, "profileId": "p"}, {"who": "42"}, headers=CREATE)

    assert docs.get("agents/profile", {"agent": other, "profileId": "p"}).json() == {"who": "42"}
    assert AgentProfile.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method", "params", "message"),
    [
        ("activities/profile", "DELETE", {"activityId": ACTIVITY}, "profileId: is required"),
        ("activities/profile", "PUT", {"activityId": ACTIVITY}, "profileId: is required"),
        ("activities/profile", "GET", {"profileId": "p"}, "activityId: is required"),
        ("agents/profile", "GET", {"profileId": "p"}, "agent: is required"),
        (
            "activities/profile",
            "GET",
            {"activityId": ACTIVITY, "agent": AGENT},
            "agent: is not a parameter of this request (expected: activityId, since)",
        ),
        (
            "agents/profile",
            "GET",
            {"agent": AGENT, "profileId": "p", "since": "2024-01-01T00:00:00Z"},
            "since: is not a parameter of this request (expected: agent, profileId)",
        ),
        (
            "agents/profile",
            "GET",
            {"agent": {"objectType": "Group", "mbox": "mailto:team@example.org"}},
            "agent.objectType: must be an Agent, not a Group; for an Identified Group, send an "
            "Agent Object with the Group's identifier",
        ),
    ],
)
def test_3_2_s3_b7_profile_parameters(docs, path, method, params, message):
    response = docs.call(method, path, params, body=b"{}", content_type="application/json")

    assert response.status_code == 400
    assert error_message(response) == message


@pytest.mark.django_db
def test_4_2_profiles_need_the_profile_scope(docs_for):
    state_only = docs_for(scopes.STATE)

    response = state_only.get("activities/profile", {"activityId": ACTIVITY})

    assert response.status_code == 403
    assert docs_for(scopes.PROFILE).get("activities/profile", {"activityId": ACTIVITY}).json() == []
