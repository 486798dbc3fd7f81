"""Communication 2.1.3 GET Statements filters: agent, activity, related_agents,
related_activities, and the IFI keys behind them (Data 2.4.2.3)."""

import pytest

from lms.xapi.spec import (
    XAPIValidationError,
    agent_ifi_key,
    statement_activity_id,
    statement_agent_keys,
    statement_related_activities,
    statement_related_agents,
)

A = {"mbox": "mailto:a@example.org"}
B = {"account": {"homePage": "https://lms.example.org", "name": "b-uuid"}}
C = {"openid": "http://c.example.org/"}
D = {"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"}
E = {"mbox": "mailto:e@example.org"}
F = {"mbox": "mailto:f@example.org"}


@pytest.mark.parametrize(
    ("agent", "key"),
    [
        ({"mbox": "mailto:Awa@Example.ORG"}, "mbox:mailto:Awa@example.org"),
        (D, "mbox_sha1sum:ebd31e95054c018b10727ccffd2ef2ec3a016ee9"),
        (C, "openid:http://c.example.org/"),
        (B, "account:https://lms.example.org|b-uuid"),
        (
            {"objectType": "Group", "mbox": "mailto:team@example.org", "member": [A]},
            "mbox:mailto:team@example.org",
        ),
        ({"objectType": "Agent", "name": "Awa", **B}, "account:https://lms.example.org|b-uuid"),
    ],
)
def test_data_2_4_2_3_agent_ifi_key(agent, key):
    assert agent_ifi_key(agent) == key


def test_data_2_4_2_3_agent_ifi_key_same_agent_same_key():
    assert agent_ifi_key({"name": "x", **A}) == agent_ifi_key({"objectType": "Agent", **A})


def test_data_2_4_2_3_anonymous_group_has_no_ifi_key():
    with pytest.raises(XAPIValidationError) as caught:
        agent_ifi_key({"objectType": "Group", "member": [A]})
    assert caught.value.path == "agent"


def _key(agent):
    return agent_ifi_key(agent)


STATEMENT = {
    "actor": {"objectType": "Group", "member": [A, B]},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
    "object": {"id": "https://lms.example.org/xapi/activities/event/1"},
    "context": {
        "instructor": C,
        "team": {"objectType": "Group", "mbox": "mailto:team@example.org", "member": [D]},
        "contextActivities": {
            "parent": {"id": "https://lms.example.org/xapi/activities/course/2"},
            "grouping": [{"id": "https://lms.example.org/xapi/activities/programme/3"}],
            "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
            "other": [{"id": "https://lms.example.org/xapi/activities/other/4"}],
        },
    },
    "authority": E,
}


def test_communication_2_1_3_agent_filter_matches_actor_and_group_members():
    assert statement_agent_keys(STATEMENT) == {_key(A), _key(B)}


def test_communication_2_1_3_agent_filter_matches_agent_object():
    statement = {
        "actor": A,
        "verb": {"id": "http://x.org/v"},
        "object": {"objectType": "Agent", **F},
    }
    assert statement_agent_keys(statement) == {_key(A), _key(F)}


def test_communication_2_1_3_agent_filter_ignores_context_and_authority():
    keys = statement_agent_keys(STATEMENT)
    assert _key(C) not in keys and _key(E) not in keys


def test_communication_2_1_3_related_agents_adds_authority_instructor_team():
    assert statement_related_agents(STATEMENT) == {
        _key(A),
        _key(B),
        _key(C),
        _key(D),
        _key(E),
        "mbox:mailto:team@example.org",
    }


def test_communication_2_1_3_related_agents_inside_substatement():
    statement = {
        "actor": A,
        "verb": {"id": "http://x.org/v"},
        "object": {
            "objectType": "SubStatement",
            "actor": B,
            "verb": {"id": "http://x.org/v"},
            "object": {"objectType": "Agent", **C},
            "context": {"instructor": D, "team": {"objectType": "Group", "member": [F]}},
        },
    }
    assert statement_agent_keys(statement) == {_key(A)}
    assert statement_related_agents(statement) == {_key(A), _key(B), _key(C), _key(D), _key(F)}


def test_communication_2_1_3_activity_filter_matches_object_activity_only():
    assert statement_activity_id(STATEMENT) == "https://lms.example.org/xapi/activities/event/1"


def test_communication_2_1_3_activity_filter_none_for_non_activity_object():
    statement = {
        "actor": A,
        "verb": {"id": "http://x.org/v"},
        "object": {"objectType": "Agent", **B},
    }
    assert statement_activity_id(statement) is None
    ref = {"objectType": "StatementRef", "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}
    assert statement_activity_id({**statement, "object": ref}) is None


def test_communication_2_1_3_related_activities_include_all_context_activities():
    assert statement_related_activities(STATEMENT) == {
        "https://lms.example.org/xapi/activities/event/1",
        "https://lms.example.org/xapi/activities/course/2",
        "https://lms.example.org/xapi/activities/programme/3",
        "https://w3id.org/xapi/cmi5/context/categories/cmi5",
        "https://lms.example.org/xapi/activities/other/4",
    }


def test_communication_2_1_3_related_activities_inside_substatement():
    statement = {
        "actor": A,
        "verb": {"id": "http://x.org/v"},
        "object": {
            "objectType": "SubStatement",
            "actor": B,
            "verb": {"id": "http://x.org/v"},
            "object": {"id": "http://example.com/inner"},
            "context": {
                "contextActivities": {"parent": [{"id": "http://example.com/inner-parent"}]}
            },
        },
        "context": {"contextActivities": {"other": {"id": "http://example.com/outer"}}},
    }
    assert statement_activity_id(statement) is None
    assert statement_related_activities(statement) == {
        "http://example.com/inner",
        "http://example.com/inner-parent",
        "http://example.com/outer",
    }


def test_communication_2_1_3_s3_note_context_statement_ref_does_not_filter():
    statement = {
        "actor": A,
        "verb": {"id": "http://x.org/v"},
        "object": {"id": "http://example.com/a"},
        "context": {
            "statement": {
                "objectType": "StatementRef",
                "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            }
        },
    }
    assert statement_related_activities(statement) == {"http://example.com/a"}
    assert statement_related_agents(statement) == {_key(A)}
