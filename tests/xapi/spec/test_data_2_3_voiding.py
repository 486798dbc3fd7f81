"""Data 2.3.2 Voiding."""

from lms.xapi.spec import validate_statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def test_data_2_3_2_s3_voiding_example_is_valid():
    validate_statement(
        {
            "actor": {
                "objectType": "Agent",
                "name": "Example Admin",
                "mbox": "mailto:admin@example.adlnet.gov",
            },
            "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
            "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"},
        }
    )


def test_data_2_3_2_s2_b1_voiding_object_must_be_statement_ref(statement, reject):
    statement["verb"] = {"id": VOIDED}
    reject(statement, "statement.object.objectType", says="must be 'StatementRef'")


def test_data_2_3_2_s2_b1_voiding_agent_object_rejected(statement, reject):
    statement["verb"] = {"id": VOIDED}
    statement["object"] = {"objectType": "Agent", "mbox": "mailto:a@example.com"}
    reject(statement, "statement.object.objectType", says="voids")


def test_data_2_3_2_s2_b2_voiding_statement_ref_needs_id(statement, reject):
    statement["verb"] = {"id": VOIDED}
    statement["object"] = {"objectType": "StatementRef"}
    reject(statement, "statement.object.id", says="is required")
