"""Every example Statement of xAPI-Data.md (2.3.2, 2.4, 2.4.4.3, Appendices A, B, D) is valid."""

import copy

import pytest

from lms.xapi.spec import validate_statement, validate_statements

SIMPLEST = {
    "id": "12345678-1234-5678-1234-567812345678",
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/created", "display": {"en-US": "created"}},
    "object": {"id": "http://example.adlnet.gov/xapi/example/activity"},
}

SIMPLE = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "timestamp": "2015-11-18T12:17:00+00:00",
    "actor": {
        "objectType": "Agent",
        "name": "Project Tin Can API",
        "mbox": "mailto:user@example.com",
    },
    "verb": {"id": "http://example.com/xapi/verbs#sent-a-statement", "display": {"en-US": "sent"}},
    "object": {
        "id": "http://example.com/xapi/activity/simplestatement",
        "definition": {
            "name": {"en-US": "simple statement"},
            "description": {"en-US": "A simple Experience API statement."},
        },
    },
}

COMPLETION = {
    "id": "7ccd3322-e1a5-411a-a67d-6a735c76f119",
    "timestamp": "2015-12-18T12:17:00+00:00",
    "actor": {
        "objectType": "Agent",
        "name": "Example Learner",
        "mbox": "mailto:example.learner@adlnet.gov",
    },
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}},
    "object": {
        "id": "http://example.adlnet.gov/xapi/example/simpleCBT",
        "definition": {
            "name": {"en-US": "simple CBT course"},
            "description": {"en-US": "A fictitious example CBT course."},
        },
    },
    "result": {
        "score": {"scaled": 0.95},
        "success": True,
        "completion": True,
        "duration": "PT1234S",
    },
}

LONG = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "name": "Team PB",
        "mbox": "mailto:teampb@example.com",
        "member": [
            {
                "name": "Andrew Downes",
                "account": {"homePage": "http://www.example.com", "name": "13936749"},
                "objectType": "Agent",
            },
            {
                "name": "Toby Nichols",
                "openid": "http://toby.openid.example.org/",
                "objectType": "Agent",
            },
            {
                "name": "Ena Hills",
                "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9",
                "objectType": "Agent",
            },
        ],
        "objectType": "Group",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/attended",
        "display": {"en-GB": "attended", "en-US": "attended"},
    },
    "result": {
        "extensions": {
            "http://example.com/profiles/meetings/resultextensions/minuteslocation": (
                "X:\\meetings\\minutes\\examplemeeting.one"
            )
        },
        "success": True,
        "completion": True,
        "response": "We agreed on some example actions.",
        "duration": "PT1H0M0S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [
                {"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}
            ],
            "category": [
                {
                    "id": "http://www.example.com/meetings/categories/teammeeting",
                    "objectType": "Activity",
                    "definition": {
                        "name": {"en": "team meeting"},
                        "description": {
                            "en": "A category of meeting used for regular team meetings."
                        },
                        "type": "http://example.com/expapi/activities/meetingcategory",
                    },
                }
            ],
            "other": [
                {
                    "id": "http://www.example.com/meetings/occurances/34257",
                    "objectType": "Activity",
                },
                {
                    "id": "http://www.example.com/meetings/occurances/3425567",
                    "objectType": "Activity",
                },
            ],
        },
        "instructor": {
            "name": "Andrew Downes",
            "account": {"homePage": "http://www.example.com", "name": "13936749"},
            "objectType": "Agent",
        },
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {
        "account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"},
        "objectType": "Agent",
    },
    "version": "1.0.0",
    "object": {
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {
            "extensions": {
                "http://example.com/profiles/meetings/activitydefinitionextensions/room": {
                    "name": "Kilby",
                    "id": "http://example.com/rooms/342",
                }
            },
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {"en-GB": "An example meeting.", "en-US": "An example meeting."},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
        },
        "objectType": "Activity",
    },
}

ACTOR = {"objectType": "Agent", "mbox": "mailto:test@example.com"}
APPENDIX_B_OBJECTS = [
    {
        "id": "http://www.example.co.uk/exampleactivity",
        "definition": {
            "name": {"en-GB": "example activity", "en-US": "example activity"},
            "description": {
                "en-GB": "An example of an activity",
                "en-US": "An example of an activity",
            },
            "type": "http://www.example.co.uk/types/exampleactivitytype",
        },
        "objectType": "Activity",
    },
    {"name": "Andrew Downes", "mbox": "mailto:andrew@example.co.uk", "objectType": "Agent"},
    {
        "name": "Example Group",
        "account": {"homePage": "http://example.com/homePage", "name": "GroupAccount"},
        "objectType": "Group",
        "member": [
            {"name": "Andrew Downes", "mbox": "mailto:andrew@example.com", "objectType": "Agent"},
            {
                "name": "Aaron Silvers",
                "openid": "http://aaron.openid.example.org",
                "objectType": "Agent",
            },
        ],
    },
    {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "mbox": "mailto:agent@example.com"},
        "verb": {"id": "http://example.com/confirmed", "display": {"en": "confirmed"}},
        "object": {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"},
    },
]

SIGNED_ORIGINAL = {
    "version": "1.0.0",
    "id": "33cff416-e331-4c9d-969e-5373a1756120",
    "actor": {
        "mbox": "mailto:example@example.com",
        "name": "Example Learner",
        "objectType": "Agent",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/experienced",
        "display": {"en-US": "experienced"},
    },
    "object": {
        "id": "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
        "objectType": "Activity",
        "definition": {
            "name": {"en-US": "Tax Tips & Information : How to File a Tax Return "},
            "description": {
                "en-US": "Filing a tax return will require filling out either a 1040, 1040A "
                "or 1040EZ form"
            },
        },
    },
    "timestamp": "2013-04-01T12:00:00Z",
}

MULTIPART = {
    "actor": {
        "mbox": "mailto:sample.agent@example.com",
        "name": "Sample Agent",
        "objectType": "Agent",
    },
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
    "object": {
        "id": "http://www.example.com/tincan/activities/multipart",
        "objectType": "Activity",
        "definition": {
            "name": {"en-US": "Multi Part Activity"},
            "description": {"en-US": "Multi Part Activity Description"},
        },
    },
    "attachments": [
        {
            "usageType": "http://example.com/attachment-usage/test",
            "display": {"en-US": "A test attachment"},
            "description": {"en-US": "A test attachment (description)"},
            "contentType": "text/plain; charset=ascii",
            "length": 27,
            "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
        }
    ],
}

EXAMPLES = {
    "data_2_4_s2_simplest": SIMPLEST,
    "data_appendix_a_simple": SIMPLE,
    "data_appendix_a_completion": COMPLETION,
    "data_appendix_a_long": LONG,
    "data_appendix_d_signed_original": SIGNED_ORIGINAL,
    "communication_1_5_2_s6_multipart": MULTIPART,
    **{
        f"data_appendix_b_{obj['objectType'].lower()}_object": {
            "actor": ACTOR,
            "verb": {"id": "http://example.com/commented"},
            "object": obj,
        }
        for obj in APPENDIX_B_OBJECTS
    },
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_data_appendix_example_statements_are_valid(name):
    validate_statement(copy.deepcopy(EXAMPLES[name]))


def test_data_appendix_examples_are_valid_as_one_batch():
    batch = [copy.deepcopy(example) for example in EXAMPLES.values()]
    for statement in batch:  # ids must be unique in a batch; LONG and its context share none
        statement.pop("id", None)
    validate_statements(batch)
