"""Data 2.4.3 Verb."""

from lms.xapi.spec import validate_statement


def test_data_2_4_3_s8_verb_example_is_valid(statement):
    statement["verb"] = {
        "id": "http://example.com/xapi/verbs#defenestrated",
        "display": {"en-US": "defenestrated", "es": "defenestrado"},
    }
    validate_statement(statement)


def test_data_2_4_3_verb_display_is_optional(statement):
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/attempted"}
    validate_statement(statement)


def test_data_2_4_3_verb_id_is_required(statement, reject):
    statement["verb"] = {"display": {"en-US": "created"}}
    reject(statement, "statement.verb.id", says="is required")


def test_data_2_4_3_verb_id_must_be_iri(statement, reject):
    statement["verb"]["id"] = "created"
    reject(statement, "statement.verb.id", says="absolute IRI")


def test_data_2_4_3_verb_id_must_be_string(statement, reject):
    statement["verb"]["id"] = 7
    reject(statement, "statement.verb.id", says="must be a string")


def test_data_2_4_3_verb_must_be_object(statement, reject):
    statement["verb"] = "http://adlnet.gov/expapi/verbs/created"
    reject(statement, "statement.verb", says="must be an object")


def test_data_2_4_3_verb_display_must_be_language_map(statement, reject):
    statement["verb"]["display"] = "created"
    reject(statement, "statement.verb.display", says="must be an object")


def test_data_4_2_verb_display_key_must_be_language_tag(statement, reject):
    statement["verb"]["display"] = {"a12345": "created"}
    reject(statement, "statement.verb.display['a12345']", says="RFC 5646")


def test_data_4_2_verb_display_must_not_be_empty(statement, reject):
    statement["verb"]["display"] = {}
    reject(statement, "statement.verb.display", says="at least one entry")


def test_data_2_4_3_verb_unknown_property_rejected(statement, reject):
    statement["verb"]["name"] = {"en": "created"}
    reject(statement, "statement.verb.name", says="not a property")
