"""Data 2.4.6 Context."""

import pytest

from lms.xapi.spec import validate_statement

REGISTRATION = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"


def test_data_2_4_6_full_context_is_valid(statement):
    statement["context"] = {
        "registration": REGISTRATION,
        "instructor": {
            "name": "Andrew Downes",
            "account": {"homePage": "http://www.example.com", "name": "13936749"},
        },
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267"}],
            "grouping": {"id": "http://example.adlnet.gov/xapi/example/Algebra1"},
            "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
            "other": [],
        },
        "revision": "r2",
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
        "extensions": {"http://example.com/ext/altitude": 9000},
    }
    validate_statement(statement)


@pytest.mark.parametrize(
    "value", ["AA97B177-9383-4934-8543-0F91A7A028368", "MA97B177-9383-4934-8543-0F91A7A02836", 5]
)
def test_data_2_4_6_registration_must_be_uuid(statement, reject, value):
    statement["context"] = {"registration": value}
    reject(statement, "statement.context.registration")


def test_data_2_4_6_instructor_may_be_group(statement):
    statement["context"] = {
        "instructor": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}
    }
    validate_statement(statement)


def test_data_2_4_6_instructor_must_be_valid_agent(statement, reject):
    statement["context"] = {"instructor": {"name": "No identifier"}}
    reject(statement, "statement.context.instructor", says="must be identified")


def test_data_2_4_6_team_must_be_group(statement, reject):
    statement["context"] = {"team": {"mbox": "mailto:teampb@example.com"}}
    reject(statement, "statement.context.team.objectType", says="a team is a Group")


def test_data_2_4_6_team_group_rules_apply(statement, reject):
    statement["context"] = {"team": {"objectType": "Group"}}
    reject(statement, "statement.context.team.member", says="Anonymous Group")


def test_data_2_4_6_2_s4_b1_context_activities_keys_limited(statement, reject):
    statement["context"] = {"contextActivities": {"parents": [{"id": "http://example.com/a"}]}}
    reject(statement, "statement.context.contextActivities.parents", says="not a property")


def test_data_2_4_6_2_s4_b2_context_activity_value_must_be_activity_or_array(statement, reject):
    statement["context"] = {"contextActivities": {"parent": "http://example.com/a"}}
    reject(statement, "statement.context.contextActivities.parent", says="Activity object")


def test_data_2_4_6_2_s4_b2_context_activity_items_are_activities(statement, reject):
    statement["context"] = {
        "contextActivities": {"grouping": [{"id": "http://example.com/a"}, {"id": "not-an-iri"}]}
    }
    reject(statement, "statement.context.contextActivities.grouping[1].id", says="absolute IRI")


def test_data_2_4_6_2_context_activity_objecttype_must_be_activity(statement, reject):
    statement["context"] = {
        "contextActivities": {"other": {"objectType": "Agent", "id": "http://example.com/a"}}
    }
    reject(statement, "statement.context.contextActivities.other.objectType", says="'Activity'")


@pytest.mark.parametrize("key", ["revision", "platform"])
@pytest.mark.parametrize(
    "target",
    [
        {"objectType": "Agent", "mbox": "mailto:a@example.com"},
        {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"},
    ],
)
def test_data_2_4_6_s4_b1_b2_revision_platform_only_for_activity(statement, reject, key, target):
    statement["object"] = target
    statement["context"] = {key: "x"}
    reject(statement, f"statement.context.{key}", says="object is an Activity")


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_data_2_4_6_revision_platform_must_be_strings(statement, reject, key):
    statement["context"] = {key: 2}
    reject(statement, f"statement.context.{key}", says="must be a string")


@pytest.mark.parametrize("language", ["en", "en-US", "fr-ML", "zh-Hant-TW", "tlh", "es-419"])
def test_data_2_4_6_language_rfc_5646_valid(statement, language):
    statement["context"] = {"language": language}
    validate_statement(statement)


@pytest.mark.parametrize(
    "language", ["en_US", "de-419-DE", "", "e", "en-", "12", "toolonglanguage"]
)
def test_data_2_4_6_language_must_be_rfc_5646(statement, reject, language):
    statement["context"] = {"language": language}
    reject(statement, "statement.context.language", says="RFC 5646")


def test_data_2_4_6_statement_must_be_statement_ref(statement, reject):
    statement["context"] = {"statement": {"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}}
    reject(statement, "statement.context.statement.objectType", says="is required")


def test_data_2_4_6_statement_ref_id_must_be_uuid(statement, reject):
    statement["context"] = {"statement": {"objectType": "StatementRef", "id": 12345}}
    reject(statement, "statement.context.statement.id", says="string")


def test_data_2_4_6_context_unknown_property_rejected(statement, reject):
    statement["context"] = {"parent": {"id": "http://example.com/a"}}
    reject(statement, "statement.context.parent", says="not a property")
