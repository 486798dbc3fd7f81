"""Statement validation: every MUST of xAPI 1.0.3 Data 2 that an LRS can check on JSON.

``validate_statement`` raises :class:`XAPIValidationError` on the first rule broken, with
the path of the offending property. It checks structure, never meaning (Communication
3.0.s2), and never changes the statement: the LRS keeps the original JSON.
"""

from __future__ import annotations

import string
from typing import Any

from .activities import validate_activity
from .agents import IFI_PROPERTIES, validate_actor, validate_agent, validate_group
from .primitives import (
    check_array,
    check_boolean,
    check_duration,
    check_extensions,
    check_integer,
    check_iri,
    check_irl,
    check_keys,
    check_language_map,
    check_language_tag,
    check_number,
    check_object,
    check_string,
    check_uuid,
    fail,
    parse_timestamp,
)
from .v2 import (
    CONTEXT_PROPERTIES_2_0,
    timestamp_rfc3339_parse,
    validate_context_agents,
    validate_context_groups,
)
from .versions import is_v2, statement_version_supported

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE_TYPE = "http://adlnet.gov/expapi/attachments/signature"

# Data 2.4 Statement Properties; Data 2.4.4.3 SubStatements drop the LRS-assigned ones.
STATEMENT_PROPERTIES = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
SUBSTATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")
SUBSTATEMENT_PROPERTIES = (STATEMENT_PROPERTIES - set(SUBSTATEMENT_FORBIDDEN)) | {"objectType"}
REQUIRED = ("actor", "verb", "object")
OBJECT_TYPES = ("Activity", "Agent", "Group", "SubStatement", "StatementRef")
VERB_PROPERTIES = frozenset({"id", "display"})
STATEMENT_REF_PROPERTIES = frozenset({"objectType", "id"})
RESULT_PROPERTIES = frozenset(
    {"score", "success", "completion", "response", "duration", "extensions"}
)
SCORE_PROPERTIES = frozenset({"scaled", "raw", "min", "max"})
CONTEXT_PROPERTIES = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
CONTEXT_ACTIVITY_TYPES = ("parent", "grouping", "category", "other")
ATTACHMENT_PROPERTIES = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")
SHA2_HEX_LENGTHS = (56, 64, 96, 128)  # SHA-224, SHA-256, SHA-384, SHA-512


def validate_statements(
    statements: Any, *, path: str = "statement", version: str | None = None
) -> None:
    """Communication 2.1.2 POST Statements: a batch is an array of Statements; the LRS MUST
    reject the whole batch if any Statement is rejected (Communication 3.2.s3.b9) and
    rejects a batch repeating a Statement id (2.1.2.s2.b6)."""
    check_array(statements, "statements")
    first_index: dict[str, int] = {}
    for index, statement in enumerate(statements):
        item_path = f"{path}[{index}]"
        validate_statement(statement, path=item_path, version=version)
        if "id" in statement:
            key = statement["id"].lower()
            if key in first_index:
                fail(
                    f"{item_path}.id",
                    f"repeats the id of {path}[{first_index[key]}]; "
                    "ids in one batch must be unique",
                )
            first_index[key] = index


def validate_statement(data: Any, *, path: str = "statement", version: str | None = None) -> None:
    """Data 2.2 and 2.4: one Statement as a client sends it (or as another LRS returns it:
    "stored" and "authority" are validated when present, Data 2.4.8.s3.b2). ``version`` is
    the request's negotiated version: the 2.0 rules (lms/xapi/spec/v2.py) apply to a 2.0
    request; None means 1.0.3."""
    obj = check_object(data, path)
    check_keys(obj, path, allowed=STATEMENT_PROPERTIES, required=REQUIRED)
    if "id" in obj:
        check_uuid(obj["id"], f"{path}.id")
    _validate_statement_body(obj, path, in_substatement=False, version=version)
    if "stored" in obj:
        _timestamp(obj["stored"], f"{path}.stored", version)
    if "authority" in obj:
        validate_authority(obj["authority"], f"{path}.authority")
    if "version" in obj:
        validate_version(obj["version"], f"{path}.version", request_version=version)
    validate_voiding(obj, path)


def _timestamp(value: Any, path: str, version: str | None):
    """Data 4.5 (1.0.3: ISO 8601) or 9274.1.1 Data 4.5 (2.0: RFC 3339)."""
    if is_v2(version):
        return timestamp_rfc3339_parse(value, path)
    return parse_timestamp(value, path)


def _validate_statement_body(
    obj: dict, path: str, *, in_substatement: bool, version: str | None = None
) -> None:
    """The properties a Statement and a SubStatement share (Data 2.4.4.3.s8.b2)."""
    validate_actor(obj["actor"], f"{path}.actor")
    validate_verb(obj["verb"], f"{path}.verb")
    validate_object(
        obj["object"], f"{path}.object", in_substatement=in_substatement, version=version
    )
    if "result" in obj:
        validate_result(obj["result"], f"{path}.result")
    if "context" in obj:
        validate_context(
            obj["context"], f"{path}.context", statement_object=obj["object"], version=version
        )
    if "timestamp" in obj:
        # Data 2.4.7.s3.b6 (1.0.3 SHOULD*, a SHALL in 2.0): a timestamp later than the
        # LRS clock, clock skew or a deadline, is never a reason to reject.
        _timestamp(obj["timestamp"], f"{path}.timestamp", version)
    if "attachments" in obj:
        validate_attachments(obj["attachments"], f"{path}.attachments")


def validate_verb(value: Any, path: str) -> None:
    """Data 2.4.3 Verb: "id" is a required IRI, "display" a language map."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=VERB_PROPERTIES, required=("id",))
    check_iri(obj["id"], f"{path}.id")
    if "display" in obj:
        check_language_map(obj["display"], f"{path}.display")


def validate_object(
    value: Any, path: str, *, in_substatement: bool = False, version: str | None = None
) -> None:
    """Data 2.4.4 Object: objectType defaults to Activity (s2); an Agent or Group object
    MUST say so (2.4.4.2.s1.b1); a SubStatement cannot be nested (2.4.4.3.s8.b4)."""
    obj = check_object(value, path)
    if "objectType" not in obj:
        identifier = next((key for key in (*IFI_PROPERTIES, "member") if key in obj), None)
        if identifier:
            fail(
                f"{path}.objectType",
                f"is required for an Agent or Group object (this one has '{identifier}')",
            )
        validate_activity(obj, path)
        return
    object_type = obj["objectType"]
    if object_type is None:
        fail(f"{path}.objectType", "must not be null")
    if object_type == "Activity":
        validate_activity(obj, path)
    elif object_type == "Agent":
        validate_agent(obj, path)
    elif object_type == "Group":
        validate_group(obj, path)
    elif object_type == "StatementRef":
        validate_statement_ref(obj, path)
    elif object_type == "SubStatement":
        if in_substatement:
            fail(f"{path}.objectType", "a SubStatement must not contain another SubStatement")
        validate_substatement(obj, path, version=version)
    else:
        fail(
            f"{path}.objectType",
            f"must be one of {', '.join(OBJECT_TYPES)} (exact case), got {object_type!r}",
        )


def validate_statement_ref(value: Any, path: str) -> None:
    """Data 2.4.4.3.s4 Statement Reference: objectType ``StatementRef`` and the UUID of a
    Statement, both required. The referenced Statement need not exist."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=STATEMENT_REF_PROPERTIES, required=("objectType", "id"))
    if obj["objectType"] != "StatementRef":
        fail(f"{path}.objectType", f"must be 'StatementRef', got {obj['objectType']!r}")
    check_uuid(obj["id"], f"{path}.id")


def validate_substatement(value: Any, path: str, *, version: str | None = None) -> None:
    """Data 2.4.4.3.s8 SubStatements: objectType ``SubStatement``, validated as a Statement,
    without "id", "stored", "version" or "authority"."""
    obj = check_object(value, path)
    for key in SUBSTATEMENT_FORBIDDEN:
        if key in obj:
            fail(f"{path}.{key}", f"a SubStatement must not have '{key}'")
    check_keys(obj, path, allowed=SUBSTATEMENT_PROPERTIES, required=("objectType", *REQUIRED))
    if obj["objectType"] != "SubStatement":
        fail(f"{path}.objectType", f"must be 'SubStatement', got {obj['objectType']!r}")
    _validate_statement_body(obj, path, in_substatement=True, version=version)


def validate_result(value: Any, path: str) -> None:
    """Data 2.4.5 Result: success and completion are booleans, response a string, duration
    an ISO 8601 duration, extensions keyed by IRIs."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=RESULT_PROPERTIES)
    if "score" in obj:
        validate_score(obj["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in obj:
            check_boolean(obj[key], f"{path}.{key}")
    if "response" in obj:
        check_string(obj["response"], f"{path}.response")
    if "duration" in obj:
        check_duration(obj["duration"], f"{path}.duration")
    if "extensions" in obj:
        check_extensions(obj["extensions"], f"{path}.extensions")


def validate_score(value: Any, path: str) -> None:
    """Data 2.4.5.1 Score: scaled is between -1 and 1; min is less than max; raw is
    between min and max (each bound only when given); all inclusive, all numbers."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=SCORE_PROPERTIES)
    numbers = {key: check_number(obj[key], f"{path}.{key}") for key in obj}
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        fail(f"{path}.scaled", f"must be between -1 and 1 inclusive, got {numbers['scaled']}")
    low, high = numbers.get("min"), numbers.get("max")
    if low is not None and high is not None and not low < high:
        fail(f"{path}.min", f"must be less than max ({high}), got {low}")
    raw = numbers.get("raw")
    if raw is not None and low is not None and raw < low:
        fail(f"{path}.raw", f"must not be less than min ({low}), got {raw}")
    if raw is not None and high is not None and raw > high:
        fail(f"{path}.raw", f"must not be greater than max ({high}), got {raw}")


def validate_context(
    value: Any, path: str, *, statement_object: Any, version: str | None = None
) -> None:
    """Data 2.4.6 Context: registration is a UUID, instructor an Agent or Group, team a
    Group, language an RFC 5646 tag, statement a StatementRef; revision and platform only
    when the Statement's object is an Activity (2.4.6.s4.b1, b2)."""
    obj = check_object(value, path)
    v2 = is_v2(version)
    if not v2:
        for key in sorted(CONTEXT_PROPERTIES_2_0 & set(obj)):
            fail(
                f"{path}.{key}",
                "is an xAPI 2.0 property; send the statement with "
                "'X-Experience-API-Version: 2.0.0'",
            )
    check_keys(obj, path, allowed=CONTEXT_PROPERTIES | (CONTEXT_PROPERTIES_2_0 if v2 else set()))
    if "contextAgents" in obj:
        validate_context_agents(obj["contextAgents"], f"{path}.contextAgents")
    if "contextGroups" in obj:
        validate_context_groups(obj["contextGroups"], f"{path}.contextGroups")
    if "registration" in obj:
        check_uuid(obj["registration"], f"{path}.registration")
    if "instructor" in obj:
        validate_actor(obj["instructor"], f"{path}.instructor")
    if "team" in obj:
        team = check_object(obj["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            fail(f"{path}.team.objectType", "must be 'Group': a team is a Group")
        validate_group(team, f"{path}.team")
    if "contextActivities" in obj:
        validate_context_activities(obj["contextActivities"], f"{path}.contextActivities")
    object_type = "Activity"
    if isinstance(statement_object, dict):
        object_type = statement_object.get("objectType", "Activity")
    for key in ("revision", "platform"):
        if key in obj:
            check_string(obj[key], f"{path}.{key}")
            if object_type != "Activity":
                fail(
                    f"{path}.{key}",
                    f"may only be used when the statement's object is an Activity "
                    f"(here it is a {object_type})",
                )
    if "language" in obj:
        check_language_tag(obj["language"], f"{path}.language")
    if "statement" in obj:
        validate_statement_ref(obj["statement"], f"{path}.statement")
    if "extensions" in obj:
        check_extensions(obj["extensions"], f"{path}.extensions")


def validate_context_activities(value: Any, path: str) -> None:
    """Data 2.4.6.2.s4: keys are parent, grouping, category or other (b1); each value is
    one Activity or an array of Activities (b2)."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=frozenset(CONTEXT_ACTIVITY_TYPES))
    for key, activities in obj.items():
        if isinstance(activities, dict):
            validate_activity(activities, f"{path}.{key}")
        elif isinstance(activities, list):
            for index, activity in enumerate(activities):
                validate_activity(activity, f"{path}.{key}[{index}]")
        else:
            fail(f"{path}.{key}", "must be an Activity object or an array of Activity objects")


def validate_authority(value: Any, path: str) -> None:
    """Data 2.4.9.s3.b1: the authority is an Agent, or in 3-legged OAuth a Group of
    exactly two Agents (the application and the user). As the ADL conformance suite
    requires, that Group is anonymous."""
    validate_actor(value, path)
    if value.get("objectType") != "Group":
        return
    for name in IFI_PROPERTIES:
        if name in value:
            fail(
                f"{path}.{name}",
                "an authority Group is the anonymous pair of an OAuth application and a user; "
                "it must not have an identifier",
            )
    if len(value.get("member", ())) != 2:
        fail(
            f"{path}.member",
            "an authority Group must have exactly two member Agents (3-legged OAuth)",
        )


def validate_version(value: Any, path: str, *, request_version: str | None = None) -> None:
    """Data 2.4.10: the version is a semantic version (s2.b1) starting with "1.0." (s3.b1,
    s3.b2); in a 2.0 request "2.0." too (9274.1.1 Data 2.4.10)."""
    version = check_string(value, path)
    if not statement_version_supported(version, request_version):
        lines = "'1.0.' or '2.0.'" if is_v2(request_version) else "'1.0.'"
        fail(path, f"must be a version starting with {lines} such as '1.0.0', got {version!r}")


def validate_voiding(statement: dict, path: str) -> None:
    """Data 2.3.2.s2.b1/b2: a voiding Statement's object is a StatementRef naming the
    voided Statement's id."""
    verb = statement.get("verb")
    if isinstance(verb, dict) and verb.get("id") == VOIDED_VERB:
        target = statement.get("object")
        if not isinstance(target, dict) or target.get("objectType") != "StatementRef":
            fail(
                f"{path}.object.objectType",
                f"must be 'StatementRef': a statement with the verb '{VOIDED_VERB}' "
                "voids the statement its object refers to",
            )


def validate_attachments(value: Any, path: str) -> None:
    """Data 2.4.11 Attachments: an ordered array of Attachment objects."""
    for index, attachment in enumerate(check_array(value, path)):
        validate_attachment(attachment, f"{path}[{index}]")


def validate_attachment(value: Any, path: str) -> None:
    """Data 2.4.11.s2: usageType (IRI), display (language map), contentType (Internet Media
    Type), length (integer), sha2 (SHA-2 hash) are required; description (language map)
    and fileUrl (IRL) optional. A signature (Data 2.6.s4.b1) is application/octet-stream.
    """
    obj = check_object(value, path)
    check_keys(obj, path, allowed=ATTACHMENT_PROPERTIES, required=ATTACHMENT_REQUIRED)
    usage_type = check_iri(obj["usageType"], f"{path}.usageType")
    check_language_map(obj["display"], f"{path}.display")
    if "description" in obj:
        check_language_map(obj["description"], f"{path}.description")
    content_type = _check_media_type(obj["contentType"], f"{path}.contentType")
    length = check_integer(obj["length"], f"{path}.length")
    if length < 0:
        fail(f"{path}.length", f"must not be negative, got {length}")
    sha2 = check_string(obj["sha2"], f"{path}.sha2")
    if len(sha2) not in SHA2_HEX_LENGTHS or not _is_hex(sha2):
        fail(
            f"{path}.sha2",
            f"must be a SHA-2 hash in hexadecimal (56, 64, 96 or 128 digits), got {sha2!r}",
        )
    if "fileUrl" in obj:
        check_irl(obj["fileUrl"], f"{path}.fileUrl")
    if usage_type == SIGNATURE_USAGE_TYPE and content_type != "application/octet-stream":
        fail(
            f"{path}.contentType",
            "must be 'application/octet-stream' for a signature attachment",
        )


def _is_hex(text: str) -> bool:
    return all(char in "0123456789abcdefABCDEF" for char in text)


_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~")


def _check_media_type(value: Any, path: str) -> str:
    """RFC 2046 Internet Media Type ``type/subtype`` with optional parameters; returns the
    lower-cased ``type/subtype``."""
    text = check_string(value, path)
    essence = text.split(";", 1)[0].strip()
    kind, _, subtype = essence.partition("/")
    if not (kind and subtype and set(kind) <= _TOKEN_CHARS and set(subtype) <= _TOKEN_CHARS):
        fail(path, f"must be an Internet Media Type such as 'application/pdf', got {text!r}")
    return essence.lower()
