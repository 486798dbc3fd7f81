"""Data 2.4.4 Object: Activities, Agents/Groups, Statement References and SubStatements."""

import pytest

from lms.xapi.spec import validate_statement

CMI = "http://adlnet.gov/expapi/activities/cmi.interaction"


def _component(identifier, text):
    return {"id": identifier, "description": {"en-US": text}}


def test_data_2_4_4_object_without_objecttype_is_an_activity(statement):
    statement["object"] = {"id": "http://example.com/activity"}
    validate_statement(statement)


def test_data_2_4_4_1_activity_id_required(statement, reject):
    statement["object"] = {"objectType": "Activity"}
    reject(statement, "statement.object.id", says="is required")


def test_data_2_4_4_1_activity_id_must_be_iri(statement, reject):
    statement["object"]["id"] = "activity-1"
    reject(statement, "statement.object.id", says="absolute IRI")


def test_data_2_4_4_1_objecttype_must_match_exact_case(statement, reject):
    statement["object"]["objectType"] = "activity"
    reject(statement, "statement.object.objectType", says="exact case")


def test_data_2_4_4_1_activity_unknown_property_rejected(statement, reject):
    statement["object"]["name"] = "x"
    reject(statement, "statement.object.name", says="not a property")


def test_data_2_4_4_1_s2_definition_example_is_valid(statement):
    statement["object"]["definition"] = {
        "name": {"en-GB": "example activity", "en-US": "example activity"},
        "description": {"en-GB": "An example of an activity"},
        "type": "http://www.example.co.uk/types/exampleactivitytype",
        "moreInfo": "http://virtualmeeting.example.com/345256",
        "extensions": {"http://example.com/ext/room": {"name": "Kilby"}},
    }
    validate_statement(statement)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("name", "example", "must be an object"),
        ("name", {}, "at least one entry"),
        ("description", {"en-US": 5}, "must be a string"),
        ("type", "meeting", "absolute IRI"),
        ("moreInfo", "virtualmeeting.example.com", "IRL"),
        ("extensions", {"room": 1}, "absolute IRI"),
        ("extensions", [], "must be an object"),
    ],
)
def test_data_2_4_4_1_s2_definition_property_types(statement, reject, key, value, says):
    statement["object"]["definition"] = {key: value}
    path = f"statement.object.definition.{key}"
    if key == "description":
        path += "['en-US']"
    if key == "extensions" and isinstance(value, dict):
        path += "['room']"
    reject(statement, path, says=says)


def test_data_2_4_4_1_definition_unknown_property_rejected(statement, reject):
    statement["object"]["definition"] = {"Name": {"en": "x"}}
    reject(statement, "statement.object.definition.Name", says="use 'name'")


# -- interactions (Data 2.4.4.1.s8 - s16, Appendix C) -------------------------------------

APPENDIX_C = {
    "true-false": {"interactionType": "true-false", "correctResponsesPattern": ["true"]},
    "choice": {
        "interactionType": "choice",
        "correctResponsesPattern": ["golf[,]tetris"],
        "choices": [_component("golf", "Golf Example"), _component("tetris", "Tetris")],
    },
    "fill-in": {"interactionType": "fill-in", "correctResponsesPattern": ["Bob's your uncle"]},
    "long-fill-in": {
        "interactionType": "long-fill-in",
        "correctResponsesPattern": [
            "{case_matters=false}{lang=en}To store and provide access to learning experiences."
        ],
    },
    "likert": {
        "interactionType": "likert",
        "correctResponsesPattern": ["likert_3"],
        "scale": [_component(f"likert_{n}", str(n)) for n in range(4)],
    },
    "matching": {
        "interactionType": "matching",
        "correctResponsesPattern": ["ben[.]3[,]chris[.]2[,]troy[.]4[,]freddie[.]1"],
        "source": [_component(name, name) for name in ("ben", "chris", "troy", "freddie")],
        "target": [_component(str(n), f"team {n}") for n in range(1, 5)],
    },
    "performance": {
        "interactionType": "performance",
        "correctResponsesPattern": ["pong[.]1:[,]dg[.]:10[,]lunch[.]"],
        "steps": [_component(step, step) for step in ("pong", "dg", "lunch")],
    },
    "sequencing": {
        "interactionType": "sequencing",
        "correctResponsesPattern": ["tim[,]mike[,]ells[,]ben"],
        "choices": [_component(name, name) for name in ("tim", "ben", "ells", "mike")],
    },
    "numeric": {"interactionType": "numeric", "correctResponsesPattern": ["4[:]"]},
    "other": {"interactionType": "other", "correctResponsesPattern": ["(35.937432,-86.868896)"]},
}


@pytest.mark.parametrize("interaction_type", sorted(APPENDIX_C))
def test_data_appendix_c_interaction_definitions_are_valid(statement, interaction_type):
    definition = {"description": {"en-US": "question"}, "type": CMI, **APPENDIX_C[interaction_type]}
    statement["object"]["definition"] = definition
    validate_statement(statement)


@pytest.mark.parametrize("interaction_type", ["likert", "matching", "sequencing", "performance"])
def test_data_2_4_4_1_s13_b3_component_lists_are_optional(statement, interaction_type):
    statement["object"]["definition"] = {"interactionType": interaction_type}
    validate_statement(statement)


def test_data_2_4_4_1_s11_empty_correct_responses_pattern_is_valid(statement):
    statement["object"]["definition"] = {"interactionType": "choice", "correctResponsesPattern": []}
    validate_statement(statement)


@pytest.mark.parametrize("value", ["true-faLse", "choiCe", "multiple-choice", "Other"])
def test_data_2_4_4_1_s13_b1_interaction_type_must_be_valid(statement, reject, value):
    statement["object"]["definition"] = {"interactionType": value}
    reject(statement, "statement.object.definition.interactionType", says="must be one of")


def test_data_2_4_4_1_s13_b1_interaction_type_must_be_string(statement, reject):
    statement["object"]["definition"] = {"interactionType": 5}
    reject(statement, "statement.object.definition.interactionType", says="must be a string")


def test_data_2_4_4_1_s8_interaction_type_required_with_components(statement, reject):
    statement["object"]["definition"] = {"choices": [_component("a", "A")]}
    reject(statement, "statement.object.definition.interactionType", says="'choices'")


def test_data_2_4_4_1_s8_interaction_type_required_with_pattern(statement, reject):
    statement["object"]["definition"] = {"correctResponsesPattern": ["a"]}
    reject(statement, "statement.object.definition.interactionType", says="is required")


def test_data_2_4_4_1_s8_correct_responses_pattern_must_be_array(statement, reject):
    statement["object"]["definition"] = {
        "interactionType": "true-false",
        "correctResponsesPattern": "true",
    }
    reject(statement, "statement.object.definition.correctResponsesPattern", says="array")


def test_data_2_4_4_1_s8_correct_responses_pattern_items_are_strings(statement, reject):
    statement["object"]["definition"] = {
        "interactionType": "numeric",
        "correctResponsesPattern": [4],
    }
    reject(statement, "statement.object.definition.correctResponsesPattern[0]", says="string")


@pytest.mark.parametrize(
    ("interaction_type", "component_list"),
    [
        ("true-false", "choices"),
        ("choice", "scale"),
        ("likert", "choices"),
        ("matching", "steps"),
        ("performance", "source"),
        ("sequencing", "target"),
        ("fill-in", "choices"),
        ("numeric", "steps"),
        ("other", "scale"),
    ],
)
def test_data_2_4_4_1_s15_component_list_only_for_matching_type(
    statement, reject, interaction_type, component_list
):
    statement["object"]["definition"] = {
        "interactionType": interaction_type,
        component_list: [_component("a", "A")],
    }
    reject(
        statement,
        f"statement.object.definition.{component_list}",
        says=f"not allowed for interactionType '{interaction_type}'",
    )


def test_data_2_4_4_1_s15_component_id_required(statement, reject):
    statement["object"]["definition"] = {
        "interactionType": "choice",
        "choices": [{"description": {"en-US": "A"}}],
    }
    reject(statement, "statement.object.definition.choices[0].id", says="is required")


def test_data_2_4_4_1_s15_component_id_must_be_string(statement, reject):
    statement["object"]["definition"] = {"interactionType": "likert", "scale": [{"id": 1}]}
    reject(statement, "statement.object.definition.scale[0].id", says="string")


def test_data_2_4_4_1_s15_component_description_is_language_map(statement, reject):
    statement["object"]["definition"] = {
        "interactionType": "matching",
        "source": [{"id": "a", "description": {"not a tag": "A"}}],
    }
    reject(
        statement,
        "statement.object.definition.source[0].description['not a tag']",
        says="RFC 5646",
    )


def test_data_2_4_4_1_s15_component_unknown_property_rejected(statement, reject):
    statement["object"]["definition"] = {
        "interactionType": "performance",
        "steps": [{"id": "a", "name": {"en": "A"}}],
    }
    reject(statement, "statement.object.definition.steps[0].name", says="not a property")


def test_data_2_4_4_1_s16_b1_component_ids_must_be_distinct(statement, reject):
    statement["object"]["definition"] = {
        "interactionType": "choice",
        "choices": [_component("golf", "Golf"), _component("golf", "Golf again")],
    }
    reject(statement, "statement.object.definition.choices[1].id", says="distinct")


def test_data_2_4_4_1_s16_same_id_in_source_and_target_is_fine(statement):
    statement["object"]["definition"] = {
        "interactionType": "matching",
        "source": [_component("1", "one")],
        "target": [_component("1", "uno")],
    }
    validate_statement(statement)


# -- Agent or Group as object (Data 2.4.4.2) ----------------------------------------------


def test_data_2_4_4_2_agent_object_with_objecttype_is_valid(statement):
    statement["object"] = {"objectType": "Agent", "mbox": "mailto:jeff@example.com"}
    validate_statement(statement)


def test_data_2_4_4_2_group_object_is_valid(statement):
    statement["object"] = {"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}
    validate_statement(statement)


def test_data_2_4_4_2_s1_b1_agent_object_must_specify_objecttype(statement, reject):
    statement["object"] = {"mbox": "mailto:jeff@example.com"}
    reject(statement, "statement.object.objectType", says="Agent or Group object")


def test_data_2_4_4_2_agent_object_is_validated_as_agent(statement, reject):
    statement["object"] = {"objectType": "Agent", "name": "Jeff"}
    reject(statement, "statement.object", says="must be identified")


def test_data_2_4_4_unknown_objecttype_rejected(statement, reject):
    statement["object"] = {"objectType": "Person", "mbox": "mailto:jeff@example.com"}
    reject(statement, "statement.object.objectType", says="must be one of")


# -- Statement References (Data 2.4.4.3) ---------------------------------------------------


def test_data_2_4_4_3_s5_statement_ref_example_is_valid():
    validate_statement(
        {
            "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
            "verb": {"id": "http://example.com/commented", "display": {"en-US": "commented"}},
            "object": {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"},
            "result": {"response": "Wow, nice work!"},
        }
    )


def test_data_2_4_4_3_s4_b2_statement_ref_id_must_be_uuid(statement, reject):
    statement["object"] = {"objectType": "StatementRef", "id": "http://example.com/statement"}
    reject(statement, "statement.object.id", says="UUID")


def test_data_2_4_4_3_statement_ref_unknown_property_rejected(statement, reject):
    statement["object"] = {
        "objectType": "StatementRef",
        "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0",
        "definition": {},
    }
    reject(statement, "statement.object.definition", says="not a property")


# -- SubStatements (Data 2.4.4.3.s6 - s9) --------------------------------------------------


def test_data_2_4_4_3_s9_substatement_example_is_valid(substatement_statement):
    validate_statement(substatement_statement)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("id", "8f87ccde-bb56-4c2e-ab83-44982ef22df0"),
        ("stored", "2013-05-18T05:32:34.804+00:00"),
        ("version", "1.0.0"),
        ("authority", {"mbox": "mailto:a@example.com"}),
    ],
)
def test_data_2_4_4_3_s8_b3_substatement_must_not_have(substatement_statement, reject, key, value):
    substatement_statement["object"][key] = value
    reject(substatement_statement, f"statement.object.{key}", says="must not have")


def test_data_2_4_4_3_s8_b4_substatement_must_not_be_nested(substatement_statement, reject):
    inner = dict(substatement_statement["object"])
    substatement_statement["object"]["object"] = inner
    reject(substatement_statement, "statement.object.object.objectType", says="another")


def test_data_2_4_4_3_s8_b2_substatement_validated_as_statement(substatement_statement, reject):
    substatement_statement["object"]["verb"]["id"] = "visited"
    reject(substatement_statement, "statement.object.verb.id", says="IRI")


def test_data_2_4_4_3_s8_b2_substatement_requires_actor(substatement_statement, reject):
    del substatement_statement["object"]["actor"]
    reject(substatement_statement, "statement.object.actor", says="is required")


def test_data_2_4_4_3_substatement_context_and_result_validated(substatement_statement, reject):
    substatement_statement["object"]["context"] = {"registration": "not-a-uuid"}
    reject(substatement_statement, "statement.object.context.registration", says="UUID")


def test_data_2_4_7_s3_b5_substatement_timestamp_may_be_future(substatement_statement):
    substatement_statement["object"]["timestamp"] = "2999-01-01T00:00:00Z"
    validate_statement(substatement_statement)


def test_data_4_5_substatement_timestamp_negative_zero_rejected(substatement_statement, reject):
    substatement_statement["object"]["timestamp"] = "2008-09-15T15:53:00.601-00:00"
    reject(substatement_statement, "statement.object.timestamp", says="negative zero")
