"""Communication 2.1.2 POST Statements: batches."""

import copy

import pytest

from lms.xapi.spec import XAPIValidationError, validate_statements


def _raises(batch):
    with pytest.raises(XAPIValidationError) as caught:
        validate_statements(batch)
    return caught.value


def test_communication_2_1_2_batch_of_valid_statements(statement):
    second = copy.deepcopy(statement)
    second["id"] = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
    validate_statements([statement, second])


def test_communication_2_1_2_empty_batch_is_valid():
    validate_statements([])


def test_communication_3_2_s3_b9_one_bad_statement_rejects_batch_with_index(statement):
    bad = copy.deepcopy(statement)
    del bad["id"]
    bad["context"] = {"registration": "nope"}
    error = _raises(
        [statement, statement | {"id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}, bad, bad, bad]
    )
    assert error.path == "statement[2].context.registration"
    assert str(error).startswith("statement[2].context.registration: must be a UUID")


def test_communication_2_1_2_s2_b6_duplicate_ids_in_batch_rejected(statement):
    twin = copy.deepcopy(statement)
    twin["id"] = statement["id"].upper()
    error = _raises([statement, twin])
    assert error.path == "statement[1].id"
    assert "statement[0]" in error.message


def test_communication_2_1_2_batch_must_be_array(statement):
    error = _raises(statement)
    assert error.path == "statements"
