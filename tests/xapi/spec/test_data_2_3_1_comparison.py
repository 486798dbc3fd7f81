"""Data 2.3.1.s9 Statement Comparison Requirements (used by Communication 2.1.1.s2.b3,
2.1.2.s2.b5 and Data 2.6.s5.b3.b2)."""

import copy

import pytest

from lms.xapi.spec import statements_equivalent

BASE = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "timestamp": "2015-11-18T12:17:00.123+00:00",
    "actor": {"objectType": "Agent", "name": "Learner", "mbox": "mailto:learner@Example.COM"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}},
    "object": {
        "id": "http://example.com/activity",
        "definition": {"name": {"en-US": "An activity"}},
    },
    "result": {"score": {"scaled": 0.5}, "duration": "PT1.25S"},
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {"parent": [{"id": "http://example.com/course"}]},
        "language": "en-US",
    },
}


def _pair():
    return copy.deepcopy(BASE), copy.deepcopy(BASE)


def test_data_2_3_1_identical_statements_are_equivalent():
    a, b = _pair()
    assert statements_equivalent(a, b)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("stored", "2020-01-01T00:00:00Z"),
        ("authority", {"mbox": "mailto:lrs@example.com"}),
        ("version", "1.0.0"),
    ],
)
def test_data_2_3_1_b1_lrs_assigned_properties_ignored_when_added(key, value):
    a, b = _pair()
    b[key] = value
    assert statements_equivalent(a, b)


def test_data_2_3_1_b1_authority_and_stored_never_count():
    a, b = _pair()
    a["authority"] = {"mbox": "mailto:client@example.com"}
    b["authority"] = {"mbox": "mailto:lrs@example.com"}
    a["stored"], b["stored"] = "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"
    assert statements_equivalent(a, b)


def test_data_2_3_1_b1_timestamp_assigned_by_lrs_ignored():
    a, b = _pair()
    del a["timestamp"]
    assert statements_equivalent(a, b)


def test_data_2_3_1_b1_different_ids_are_different():
    a, b = _pair()
    b["id"] = "7ccd3322-e1a5-411a-a67d-6a735c76f119"
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b7_id_case_ignored():
    a, b = _pair()
    b["id"] = a["id"].upper()
    assert statements_equivalent(a, b)


def test_data_2_3_1_b1_different_versions_are_different():
    a, b = _pair()
    a["version"], b["version"] = "1.0.0", "1.0.3"
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b2_activity_definition_ignored():
    a, b = _pair()
    b["object"]["definition"] = {"name": {"fr": "Une activité"}}
    del a["object"]["definition"]
    assert statements_equivalent(a, b)


def test_data_2_3_1_b3_verb_display_ignored():
    a, b = _pair()
    b["verb"]["display"] = {"fr-FR": "a tenté"}
    assert statements_equivalent(a, b)


def test_data_2_3_1_different_verb_is_different():
    a, b = _pair()
    b["verb"]["id"] = "http://adlnet.gov/expapi/verbs/passed"
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b4_timestamp_compared_as_instant():
    a, b = _pair()
    b["timestamp"] = "2015-11-18T13:17:00.123+01:00"
    assert statements_equivalent(a, b)
    b["timestamp"] = "2015-11-18T12:17:00.1234Z"  # beyond millisecond precision
    assert statements_equivalent(a, b)


def test_data_2_3_1_b4_different_instants_are_different():
    a, b = _pair()
    b["timestamp"] = "2015-11-18T12:17:00.125Z"
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b5_group_member_order_ignored():
    a, b = _pair()
    members = [{"mbox": "mailto:a@example.com"}, {"mbox": "mailto:b@example.com"}]
    a["actor"] = {"objectType": "Group", "member": members}
    b["actor"] = {"objectType": "Group", "member": list(reversed(members))}
    assert statements_equivalent(a, b)


def test_data_2_3_1_b5_different_group_members_are_different():
    a, b = _pair()
    a["actor"] = {"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}
    b["actor"] = {"objectType": "Group", "member": [{"mbox": "mailto:b@example.com"}]}
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b6_attachments_ignored():
    a, b = _pair()
    b["attachments"] = [
        {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "Signature"},
            "contentType": "application/octet-stream",
            "length": 4235,
            "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
        }
    ]
    assert statements_equivalent(a, b)


def test_data_2_3_1_b7_mbox_domain_case_ignored():
    a, b = _pair()
    b["actor"]["mbox"] = "mailto:learner@example.com"
    assert statements_equivalent(a, b)


def test_data_2_3_1_b7_mbox_local_part_case_counts():
    a, b = _pair()
    b["actor"]["mbox"] = "mailto:LEARNER@example.com"
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b7_registration_uuid_case_ignored():
    a, b = _pair()
    b["context"]["registration"] = a["context"]["registration"].upper()
    assert statements_equivalent(a, b)


def test_data_2_3_1_s9_b2_agent_name_counts():
    a, b = _pair()
    b["actor"]["name"] = "Someone else"
    assert not statements_equivalent(a, b)


def test_data_2_3_1_s9_b2_result_counts():
    a, b = _pair()
    b["result"]["score"]["scaled"] = 0.6
    assert not statements_equivalent(a, b)


def test_data_2_3_1_b8_duration_is_a_string():
    a, b = _pair()
    b["result"]["duration"] = "PT1.250S"  # truncated to 0.01 s: same
    assert statements_equivalent(a, b)
    b["result"]["duration"] = "PT0H0M1.25S"  # same length of time, different string
    assert not statements_equivalent(a, b)


def test_data_2_4_6_2_single_context_activity_equals_array_of_one():
    a, b = _pair()
    b["context"]["contextActivities"]["parent"] = {"id": "http://example.com/course"}
    assert statements_equivalent(a, b)


def test_data_2_4_6_2_context_activity_definition_ignored():
    a, b = _pair()
    b["context"]["contextActivities"]["parent"][0]["definition"] = {"name": {"en": "Course"}}
    assert statements_equivalent(a, b)


def test_data_2_4_4_default_object_type_equals_explicit():
    a, b = _pair()
    b["object"]["objectType"] = "Activity"
    b["actor"].pop("objectType")
    assert statements_equivalent(a, b)


def test_data_2_3_1_context_extension_difference_counts():
    a, b = _pair()
    b["context"]["extensions"] = {"http://example.com/x": 1}
    assert not statements_equivalent(a, b)


def test_data_2_3_1_substatement_compared_recursively():
    a, b = _pair()
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:a@example.com"},
        "verb": {"id": "http://example.com/visited", "display": {"en": "visited"}},
        "object": {"id": "http://example.com/site", "definition": {"name": {"en": "Site"}}},
        "timestamp": "2015-11-18T12:17:00Z",
    }
    a["object"] = copy.deepcopy(sub)
    b["object"] = copy.deepcopy(sub)
    b["object"]["verb"]["display"] = {"fr": "visité"}
    b["object"]["timestamp"] = "2015-11-18T13:17:00+01:00"
    del b["object"]["object"]["definition"]
    assert statements_equivalent(a, b)
    b["object"]["object"]["id"] = "http://example.com/other"
    assert not statements_equivalent(a, b)


def test_data_2_6_s5_b3_b2_signed_statement_matches_payload():
    original, received = _pair()
    received["attachments"] = [{"usageType": "http://adlnet.gov/expapi/attachments/signature"}]
    received["stored"] = "2015-11-18T12:17:01Z"
    received["authority"] = {"mbox": "mailto:lrs@example.com"}
    assert statements_equivalent(original, received)
