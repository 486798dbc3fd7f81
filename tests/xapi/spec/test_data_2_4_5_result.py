"""Data 2.4.5 Result and 2.4.5.1 Score."""

import pytest

from lms.xapi.spec import validate_statement


def test_data_2_4_5_full_result_is_valid(statement):
    statement["result"] = {
        "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
        "success": True,
        "completion": False,
        "response": "We agreed on some example actions.",
        "duration": "PT1H0M0S",
        "extensions": {"http://example.com/profiles/meetings/minuteslocation": "X:\\minutes"},
    }
    validate_statement(statement)


@pytest.mark.parametrize("scaled", [-1, 1, 0, -0.5, 1.0])
def test_data_2_4_5_1_scaled_within_bounds_is_valid(statement, scaled):
    statement["result"] = {"score": {"scaled": scaled}}
    validate_statement(statement)


@pytest.mark.parametrize("scaled", [1.01, -1.5, 95])
def test_data_2_4_5_1_scaled_must_be_between_minus_one_and_one(statement, reject, scaled):
    statement["result"] = {"score": {"scaled": scaled}}
    reject(statement, "statement.result.score.scaled", says="between -1 and 1")


def test_data_2_4_5_1_min_must_be_less_than_max(statement, reject):
    statement["result"] = {"score": {"min": 10, "max": 10}}
    reject(statement, "statement.result.score.min", says="less than max")


def test_data_2_4_5_1_raw_must_not_exceed_max(statement, reject):
    statement["result"] = {"score": {"raw": 101, "max": 100}}
    reject(statement, "statement.result.score.raw", says="greater than max")


def test_data_2_4_5_1_raw_must_not_be_below_min(statement, reject):
    statement["result"] = {"score": {"raw": -1, "min": 0}}
    reject(statement, "statement.result.score.raw", says="less than min")


def test_data_2_4_5_1_raw_on_bounds_is_valid(statement):
    statement["result"] = {"score": {"raw": 0, "min": 0, "max": 10}}
    validate_statement(statement)
    statement["result"] = {"score": {"raw": 10, "min": 0, "max": 10}}
    validate_statement(statement)


def test_data_2_4_5_1_raw_unbounded_without_min_max(statement):
    statement["result"] = {"score": {"raw": -5000.25}}
    validate_statement(statement)


@pytest.mark.parametrize("key", ["scaled", "raw", "min", "max"])
def test_data_2_4_5_1_score_values_must_be_numbers(statement, reject, key):
    statement["result"] = {"score": {key: "0.5"}}
    reject(statement, f"statement.result.score.{key}", says="must be a number")


def test_data_2_4_5_1_score_unknown_property_rejected(statement, reject):
    statement["result"] = {"score": {"percent": 50}}
    reject(statement, "statement.result.score.percent", says="not a property")


@pytest.mark.parametrize("key", ["success", "completion"])
def test_data_2_4_5_success_and_completion_must_be_booleans(statement, reject, key):
    statement["result"] = {key: "true"}
    reject(statement, f"statement.result.{key}", says="boolean")


def test_data_2_4_5_success_number_rejected(statement, reject):
    statement["result"] = {"success": 1}
    reject(statement, "statement.result.success", says="not a number")


def test_data_2_4_5_response_must_be_string(statement, reject):
    statement["result"] = {"response": ["a", "b"]}
    reject(statement, "statement.result.response", says="must be a string, not an array")


@pytest.mark.parametrize("duration", ["PA1H0M0S", "should fail", 12345, "1H", "P", "PT"])
def test_data_2_4_5_duration_must_be_iso_8601(statement, reject, duration):
    statement["result"] = {"duration": duration}
    reject(statement, "statement.result.duration")


def test_data_2_4_5_extensions_keys_must_be_iris(statement, reject):
    statement["result"] = {"extensions": {"minutes": 1}}
    reject(statement, "statement.result.extensions['minutes']", says="absolute IRI")


def test_data_4_1_s3_b2_extension_values_never_rejected(statement):
    statement["result"] = {
        "extensions": {"http://example.com/a": [1, {"x": None}], "urn:x:b": "", "tag:c,2024:d": 0}
    }
    validate_statement(statement)


def test_data_2_4_5_result_must_be_object(statement, reject):
    statement["result"] = "passed"
    reject(statement, "statement.result", says="must be an object")


def test_data_2_4_5_result_unknown_property_rejected(statement, reject):
    statement["result"] = {"passed": True}
    reject(statement, "statement.result.passed", says="not a property")
