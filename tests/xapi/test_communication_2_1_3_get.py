"""Communication 2.1.3 GET Statements: single statements, every filter, formats, paging."""

import json
import uuid

import pytest

from lms.xapi.models import Statement
from tests.xapi.conftest import statement

OTHER_ACTOR = {"objectType": "Agent", "mbox": "mailto:moussa@example.org"}
REG = "7f0e4c1a-0000-4000-8000-00000000000a"


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["statements"]]


@pytest.fixture
def stored(xapi):
    made = {}
    made["awa"] = xapi.post("/xapi/statements", statement()).json()[0]
    made["moussa_failed"] = xapi.post(
        "/xapi/statements",
        statement(actor=OTHER_ACTOR, verb={"id": "http://adlnet.gov/expapi/verbs/failed"}),
    ).json()[0]
    made["with_context"] = xapi.post(
        "/xapi/statements",
        statement(
            actor=OTHER_ACTOR,
            object={"id": "http://example.org/activities/module-1"},
            context={
                "registration": REG,
                "instructor": {"mbox": "mailto:awa@example.org"},
                "contextActivities": {"parent": [{"id": "http://example.org/activities/course-1"}]},
            },
        ),
    ).json()[0]
    return made


@pytest.mark.django_db
def test_agent_filter_matches_actor_and_with_related_agents_instructor(xapi, stored):
    agent = json.dumps({"mbox": "mailto:awa@example.org"})
    assert _ids(xapi.get("/xapi/statements", {"agent": agent})) == [stored["awa"]]
    related = xapi.get("/xapi/statements", {"agent": agent, "related_agents": "true"})
    assert _ids(related) == [stored["with_context"], stored["awa"]]


@pytest.mark.django_db
def test_agent_filter_matches_group_members(xapi):
    group = {
        "objectType": "Group",
        "member": [{"mbox": "mailto:awa@example.org"}, {"mbox": "mailto:b@example.org"}],
    }
    group_id = xapi.post("/xapi/statements", statement(actor=group)).json()[0]
    agent = json.dumps({"mbox": "mailto:b@example.org"})
    assert _ids(xapi.get("/xapi/statements", {"agent": agent})) == [group_id]


@pytest.mark.django_db
def test_verb_filter(xapi, stored):
    response = xapi.get("/xapi/statements", {"verb": "http://adlnet.gov/expapi/verbs/failed"})
    assert _ids(response) == [stored["moussa_failed"]]


@pytest.mark.django_db
def test_activity_filter_and_related_activities(xapi, stored):
    course = "http://example.org/activities/course-1"
    assert _ids(xapi.get("/xapi/statements", {"activity": course})) == [
        stored["moussa_failed"],
        stored["awa"],
    ]
    related = xapi.get("/xapi/statements", {"activity": course, "related_activities": "true"})
    assert _ids(related) == [stored["with_context"], stored["moussa_failed"], stored["awa"]]


@pytest.mark.django_db
def test_registration_filter(xapi, stored):
    assert _ids(xapi.get("/xapi/statements", {"registration": REG})) == [stored["with_context"]]


@pytest.mark.django_db
def test_since_until_on_stored(xapi, stored):
    middle = json.loads(Statement.objects.get(statement_id=stored["moussa_failed"]).raw)["stored"]
    Statement.objects.filter(statement_id=stored["awa"]).update(stored="2020-01-01T00:00:00Z")
    assert _ids(xapi.get("/xapi/statements", {"until": "2021-01-01T00:00:00Z"})) == [stored["awa"]]
    since = _ids(xapi.get("/xapi/statements", {"since": "2021-01-01T00:00:00+05:30"}))
    assert stored["awa"] not in since and len(since) == 2
    assert middle


@pytest.mark.django_db
def test_ascending_and_limit_with_more_paging(xapi, stored):
    first = xapi.get("/xapi/statements", {"limit": "2", "ascending": "true"})
    assert _ids(first) == [stored["awa"], stored["moussa_failed"]]
    more = first.json()["more"]
    assert more.startswith("/xapi/statements?more=")
    second = xapi.client.get(more, headers=xapi.headers())
    assert _ids(second) == [stored["with_context"]]
    assert second.json()["more"] == ""


@pytest.mark.django_db
def test_more_stays_correct_while_statements_arrive(xapi, stored):
    first = xapi.get("/xapi/statements", {"limit": "1"})
    assert _ids(first) == [stored["with_context"]]
    xapi.post("/xapi/statements", [statement() for _ in range(3)])
    seen = []
    more = first.json()["more"]
    while more:
        page = xapi.client.get(more, headers=xapi.headers())
        seen += _ids(page)
        more = page.json()["more"]
    assert seen == [stored["moussa_failed"], stored["awa"]]


@pytest.mark.django_db
def test_tampered_more_token_is_400(xapi, stored):
    response = xapi.get("/xapi/statements", {"more": "abc"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_single_statement_with_other_filters_is_400(xapi, stored):
    response = xapi.get("/xapi/statements", {"statementId": stored["awa"], "verb": "http://x.y"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "verb: unknown parameter for this request"


@pytest.mark.django_db
def test_single_statement_and_last_modified(xapi, stored):
    response = xapi.get("/xapi/statements", {"statementId": stored["awa"]})
    assert response.status_code == 200
    assert response.json()["id"] == stored["awa"]
    assert response["Last-Modified"].endswith("GMT")
    unknown = xapi.get("/xapi/statements", {"statementId": str(uuid.uuid4())})
    assert unknown.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,value",
    [
        ("agent", "{not json"),
        ("agent", json.dumps({"name": "no ifi"})),
        ("verb", "not an iri"),
        ("registration", "123"),
        ("since", "yesterday"),
        ("limit", "-1"),
        ("ascending", "yes"),
        ("format", "pretty"),
    ],
)
def test_invalid_parameters_are_400_naming_the_parameter(xapi, name, value):
    response = xapi.get("/xapi/statements", {name: value})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"{name}")


@pytest.mark.django_db
def test_format_ids_reduces_agents_and_activities(xapi, stored):
    response = xapi.get("/xapi/statements", {"statementId": stored["awa"], "format": "ids"})
    data = response.json()
    assert data["actor"] == {"objectType": "Agent", "mbox": "mailto:awa@example.org"}
    assert data["object"] == {"id": "http://example.org/activities/course-1"}
    assert data["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}


@pytest.mark.django_db
def test_format_canonical_uses_the_lrs_definition_in_the_asked_language(xapi):
    course = {
        "id": "http://example.org/activities/course-9",
        "definition": {"name": {"en": "Disposal", "fr": "Neutralisation"}},
    }
    xapi.post("/xapi/statements", statement(object=course))
    bare = statement(object={"id": course["id"]})
    bare_id = xapi.post("/xapi/statements", bare).json()[0]
    response = xapi.get(
        "/xapi/statements",
        {"statementId": bare_id, "format": "canonical"},
        headers={"Accept-Language": "fr, en;q=0.5"},
    )
    assert response.json()["object"]["definition"]["name"] == {"fr": "Neutralisation"}


@pytest.mark.django_db
def test_filtered_get_takes_a_bounded_number_of_queries(
    xapi, stored, django_assert_max_num_queries
):
    xapi.post("/xapi/statements", [statement() for _ in range(50)])
    agent = json.dumps({"mbox": "mailto:awa@example.org"})
    with django_assert_max_num_queries(4):
        response = xapi.get(
            "/xapi/statements",
            {"agent": agent, "verb": "http://adlnet.gov/expapi/verbs/completed", "limit": "20"},
        )
    assert len(response.json()["statements"]) == 20
