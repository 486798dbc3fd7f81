"""Communication 2.1.3 GET Statements: the "format" parameter and language filtering."""

import copy

import pytest

from lms.xapi.spec import (
    XAPIValidationError,
    language_choose,
    parse_accept_language,
    statement_format,
    validate_statement,
)

ACCOUNT = {"homePage": "https://lms.example.org", "name": "3f1c"}
STATEMENT = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "actor": {"objectType": "Agent", "name": "Awa", "account": ACCOUNT},
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/answered",
        "display": {"en-US": "answered", "fr": "a répondu"},
    },
    "object": {
        "objectType": "Activity",
        "id": "https://lms.example.org/xapi/activities/assessment/1",
        "definition": {
            "name": {"en-US": "Fuze types", "fr": "Types de fusées"},
            "description": {"en-GB": "Quiz", "fr-FR": "Quiz (fr)"},
            "interactionType": "choice",
            "choices": [{"id": "a", "description": {"en": "Pressure", "fr": "Pression"}}],
        },
    },
    "result": {"success": True},
    "context": {
        "instructor": {"name": "Trainer", "mbox": "mailto:trainer@example.org"},
        "team": {
            "objectType": "Group",
            "name": "Anon team",
            "member": [
                {"name": "Awa", "account": ACCOUNT},
                {"name": "B", "openid": "http://b.example/"},
            ],
        },
        "contextActivities": {
            "parent": {
                "id": "https://lms.example.org/xapi/activities/course/2",
                "definition": {"name": {"en": "Course", "fr": "Cours"}},
            },
            "grouping": [{"id": "https://lms.example.org/xapi/activities/programme/3"}],
        },
    },
    "authority": {
        "objectType": "Group",
        "member": [{"account": ACCOUNT}, {"name": "App", "mbox": "mailto:app@example.org"}],
    },
    "timestamp": "2024-01-01T00:00:00Z",
}


def _copy():
    return copy.deepcopy(STATEMENT)


def test_fixture_statement_is_valid():
    validate_statement(_copy())


def test_communication_2_1_3_format_exact_keeps_statement():
    original = _copy()
    exact = statement_format(original, format="exact")
    assert exact["verb"] == STATEMENT["verb"]
    assert exact["object"] == STATEMENT["object"]
    assert exact["actor"] == STATEMENT["actor"]
    assert original == STATEMENT  # the input is never modified


def test_data_2_4_6_2_s4_b3_context_activities_returned_as_arrays():
    exact = statement_format(_copy(), format="exact")
    parent = exact["context"]["contextActivities"]["parent"]
    assert parent == [STATEMENT["context"]["contextActivities"]["parent"]]


def test_communication_2_1_3_format_ids_reduces_agents_to_ifi():
    ids = statement_format(_copy(), format="ids")
    assert ids["actor"] == {"objectType": "Agent", "account": ACCOUNT}
    assert ids["context"]["instructor"] == {"mbox": "mailto:trainer@example.org"}


def test_communication_2_1_3_format_ids_anonymous_group_keeps_reduced_members():
    ids = statement_format(_copy(), format="ids")
    assert ids["context"]["team"] == {
        "objectType": "Group",
        "member": [{"account": ACCOUNT}, {"openid": "http://b.example/"}],
    }
    assert ids["authority"]["member"][1] == {"mbox": "mailto:app@example.org"}


def test_communication_2_1_3_format_ids_identified_group_is_its_ifi():
    statement = _copy()
    statement["actor"] = {
        "objectType": "Group",
        "name": "Team",
        "mbox": "mailto:team@example.org",
        "member": [{"mbox": "mailto:a@example.org"}],
    }
    assert statement_format(statement, format="ids")["actor"] == {
        "objectType": "Group",
        "mbox": "mailto:team@example.org",
    }


def test_communication_2_1_3_format_ids_reduces_activities_and_verb():
    ids = statement_format(_copy(), format="ids")
    assert ids["verb"] == {"id": STATEMENT["verb"]["id"]}
    assert ids["object"] == {"id": STATEMENT["object"]["id"]}
    assert ids["context"]["contextActivities"]["parent"] == [
        {"id": "https://lms.example.org/xapi/activities/course/2"}
    ]
    assert ids["result"] == {"success": True}


def test_communication_2_1_3_format_ids_inside_substatement():
    statement = _copy()
    statement["object"] = {
        "objectType": "SubStatement",
        "actor": {"name": "X", "mbox": "mailto:x@example.org"},
        "verb": {"id": "http://example.com/planned", "display": {"en": "planned"}},
        "object": {"id": "http://example.com/a", "definition": {"name": {"en": "A"}}},
    }
    sub = statement_format(statement, format="ids")["object"]
    assert sub["actor"] == {"mbox": "mailto:x@example.org"}
    assert sub["verb"] == {"id": "http://example.com/planned"}
    assert sub["object"] == {"id": "http://example.com/a"}


def test_communication_2_1_3_s4_canonical_keeps_one_language_per_map():
    canonical = statement_format(_copy(), format="canonical", languages=["fr"])
    definition = canonical["object"]["definition"]
    assert canonical["verb"]["display"] == {"fr": "a répondu"}
    assert definition["name"] == {"fr": "Types de fusées"}
    assert definition["description"] == {"fr-FR": "Quiz (fr)"}
    assert definition["choices"][0]["description"] == {"fr": "Pression"}
    parent = canonical["context"]["contextActivities"]["parent"][0]
    assert parent["definition"]["name"] == {"fr": "Cours"}


def test_communication_2_1_3_canonical_returns_agents_exactly():
    canonical = statement_format(_copy(), format="canonical", languages=["fr"])
    assert canonical["actor"] == STATEMENT["actor"]
    assert canonical["context"]["team"] == STATEMENT["context"]["team"]


def test_communication_2_1_3_canonical_uses_lrs_definitions():
    canonical = statement_format(
        _copy(),
        format="canonical",
        languages=["en"],
        activity_definitions={STATEMENT["object"]["id"]: {"name": {"fr": "Fusées", "en": "Fuzes"}}},
        verb_displays={STATEMENT["verb"]["id"]: {"en": "answered (canonical)"}},
    )
    assert canonical["object"]["definition"] == {"name": {"en": "Fuzes"}}
    assert canonical["verb"]["display"] == {"en": "answered (canonical)"}


def test_communication_2_1_3_unknown_format_rejected():
    with pytest.raises(XAPIValidationError) as caught:
        statement_format(_copy(), format="full")
    assert caught.value.path == "format"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-ML, fr;q=0.9, en;q=0.8", ["fr-ML", "fr", "en"]),
        ("en;q=0.5, fr", ["fr", "en"]),
        ("da, en-gb;q=0.8, en;q=0.7", ["da", "en-gb", "en"]),
        ("*", ["*"]),
        ("fr;q=0, en", ["en"]),
        ("en;q=oops, fr", ["fr"]),
        ("not a tag, en", ["en"]),
        ("", []),
        (None, []),
    ],
)
def test_communication_2_1_3_s4_b5_parse_accept_language(header, expected):
    assert parse_accept_language(header) == expected


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["fr"], "fr-FR"),  # "fr" range matches the "fr-FR" tag (RFC 2616 prefix rule)
        (["en-GB"], "en-GB"),
        (["EN-gb"], "en-GB"),
        (["de", "fr-FR"], "fr-FR"),
        (["en-US"], "en-GB"),  # no match: same primary language
        (["de"], "en-GB"),  # nothing close: the map's first entry
        (["*"], "en-GB"),
        ([], "en-GB"),
    ],
)
def test_communication_2_1_3_s4_b5_language_choose(languages, expected):
    assert language_choose({"en-GB": "Quiz", "fr-FR": "Quiz (fr)"}, languages) == expected


def test_communication_2_1_3_s4_b5_exact_tag_preferred_over_prefix():
    assert language_choose({"en-US": "a", "en": "b"}, ["en"]) == "en"
