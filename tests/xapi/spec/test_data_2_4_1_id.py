"""Data 2.4.1 ID and Data 4.4 UUIDs."""

import pytest


@pytest.mark.parametrize(
    "value",
    [
        "12345678-1234-5678-1234-567812345678",
        "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "FD41C918-B88B-4B20-A0A5-A4C32391AAA0",
    ],
)
def test_data_2_4_1_id_standard_uuid_form_accepted(statement, value):
    from lms.xapi.spec import validate_statement

    statement["id"] = value
    validate_statement(statement)


def test_data_2_4_1_id_is_optional(statement):
    from lms.xapi.spec import validate_statement

    del statement["id"]
    validate_statement(statement)


@pytest.mark.parametrize(
    "value",
    [
        "AA97B177-9383-4934-8543-0F91A7A028368",  # too many digits
        "MA97B177-9383-4934-8543-0F91A7A02836",  # not hexadecimal
        "fd41c918b88b4b20a0a5a4c32391aaa0",  # no hyphens
        "{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}",
        "",
    ],
)
def test_data_4_4_id_must_be_standard_uuid_string(statement, reject, value):
    statement["id"] = value
    reject(statement, "statement.id", says="UUID")


def test_data_4_4_id_object_rejected(statement, reject):
    statement["id"] = {"key": "should fail"}
    reject(statement, "statement.id", says="not an object")
