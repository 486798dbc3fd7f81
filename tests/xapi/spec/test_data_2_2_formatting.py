"""Data 2.2 Formatting Requirements."""

import pytest

from lms.xapi.spec import XAPIValidationError, validate_statement


def test_data_2_2_minimal_statement_is_valid(statement):
    validate_statement(statement)


def test_data_2_2_statement_must_be_an_object(reject):
    reject(["not", "a", "statement"], "statement", says="must be an object")


@pytest.mark.parametrize("missing", ["actor", "verb", "object"])
def test_data_2_2_s2_b3_statement_must_use_actor_verb_object(statement, reject, missing):
    del statement[missing]
    reject(statement, f"statement.{missing}", says="is required")


def test_data_2_2_s4_b1_b7_unknown_statement_property_rejected(statement, reject):
    statement["foo"] = "bar"
    reject(statement, "statement.foo", says="not a property")


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("iD", "id"),
        ("Actor", "actor"),
        ("veRb", "verb"),
        ("oBject", "object"),
        ("timeStamp", "timestamp"),
        ("Version", "version"),
        ("attachmentS", "attachments"),
    ],
)
def test_data_2_2_s4_b1_b5_key_case_must_match(statement, reject, wrong, right):
    statement[wrong] = statement.pop(right, "x")
    if right in ("actor", "verb", "object"):
        statement[right] = statement[wrong]
    reject(statement, f"statement.{wrong}", says=f"use '{right}'")


def test_data_2_2_s4_b1_b5_key_case_in_nested_object(statement, reject):
    statement["actor"] = {"MBOX": "mailto:a@example.com", "mbox": "mailto:a@example.com"}
    reject(statement, "statement.actor.MBOX", says="case-sensitive")


def test_data_2_2_s4_b1_b1_null_values_rejected(statement, reject):
    statement["actor"]["name"] = None
    reject(statement, "statement.actor.name", says="must not be null")


def test_data_2_2_s4_b1_b1_null_in_language_map_rejected(statement, reject):
    statement["verb"]["display"] = {"en-US": None}
    reject(statement, "statement.verb.display['en-US']", says="must be a string, not null")


def test_data_2_2_s4_b1_b1_null_context_registration_rejected(statement, reject):
    statement["context"] = {"registration": None}
    reject(statement, "statement.context.registration", says="null")


def test_data_2_2_s4_b1_b1_null_allowed_inside_extensions(statement):
    statement["result"] = {"extensions": {"http://example.com/null": None}}
    statement["context"] = {"extensions": {"http://example.com/null": None}}
    statement["object"]["definition"] = {"extensions": {"http://example.com/null": None}}
    validate_statement(statement)


def test_data_2_2_s4_b1_b2_strings_where_numbers_required(statement, reject):
    statement["result"] = {"score": {"max": "100"}}
    reject(statement, "statement.result.score.max", says="must be a number, not a string")


def test_data_2_2_s4_b1_b3_strings_where_booleans_required(statement, reject):
    statement["result"] = {"completion": "false"}
    reject(statement, "statement.result.completion", says="must be a boolean")


def test_data_2_2_s4_b1_b2_boolean_is_not_a_number(statement, reject):
    statement["result"] = {"score": {"raw": True}}
    reject(statement, "statement.result.score.raw", says="not a boolean")


def test_data_2_2_s4_b1_b4_empty_string_where_iri_required(statement, reject):
    statement["verb"]["id"] = ""
    reject(statement, "statement.verb.id", says="not an empty string")


def test_data_2_2_s4_b1_b4_number_where_uuid_required(statement, reject):
    statement["id"] = 12345
    reject(statement, "statement.id", says="must be a string, not a number")


def test_data_2_2_s4_b1_b8_iri_without_scheme_rejected(statement, reject):
    statement["object"]["id"] = "example.com/activity"
    reject(statement, "statement.object.id", says="scheme")


def test_error_str_is_path_then_message():
    error = XAPIValidationError("must be a UUID", "statement[3].context.registration")
    assert str(error) == "statement[3].context.registration: must be a UUID"
    assert isinstance(error, ValueError)
    assert error.message == "must be a UUID"
    assert error.path == "statement[3].context.registration"


def test_error_survives_pickling():
    import pickle

    data = pickle.dumps(XAPIValidationError("bad", "statement.id"))
    error = pickle.loads(data)  # noqa: S301 - our own bytes
    assert (error.message, error.path) == ("bad", "statement.id")


def test_data_2_2_s4_b1_b1_null_object_type_rejected(statement, reject):
    statement["object"]["objectType"] = None
    reject(statement, "statement.object.objectType", says="must not be null")
    statement["object"].pop("objectType")
    statement["actor"]["objectType"] = None
    reject(statement, "statement.actor.objectType", says="must not be null")


def test_data_2_2_s4_b1_b1_null_list_item_rejected(statement, reject):
    statement["context"] = {"contextActivities": {"parent": [None]}}
    reject(statement, "statement.context.contextActivities.parent[0]", says="not null")
