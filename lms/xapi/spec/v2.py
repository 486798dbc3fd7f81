"""What xAPI 2.0 (IEEE 9274.1.1) changes in statements, as pure functions.

The IEEE text is not public; the clauses cited are those of 9274.1.1 as the ADL
conformance suite names them (adlnet/lrs-conformance-test-suite, ``test/v2_0``), with the
xAPI 1.0.3 clause they replace where there is one. Statements are stored once, as sent
(converted where 2.0 says so) and shaped for the version each request asks
(:func:`statement_for_version`).
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

from .agents import validate_agent, validate_group
from .primitives import check_array, check_iri, check_keys, check_object, fail, parse_timestamp
from .versions import LATEST_1_0, is_v2

# The properties xAPI 2.0 adds to Context (9274.1.1 Data 2.4.6); a 1.0.x client cannot
# carry them.
CONTEXT_PROPERTIES_2_0 = frozenset({"contextAgents", "contextGroups"})


def validate_context_agents(value: Any, path: str) -> None:
    """9274.1.1 Data 2.4.6 contextAgents: an array of contextAgent Objects, each with
    objectType "contextAgent" and an Agent ``agent``, and optionally ``relevantTypes``, a
    non-empty array of IRIs."""
    _validate_context_members(value, path, "contextAgent", "agent", validate_agent)


def validate_context_groups(value: Any, path: str) -> None:
    """9274.1.1 Data 2.4.6 contextGroups: an array of contextGroup Objects, each with
    objectType "contextGroup" and a Group ``group``, and optionally ``relevantTypes``, a
    non-empty array of IRIs."""
    _validate_context_members(value, path, "contextGroup", "group", validate_group)


def _validate_context_members(value, path, object_type, member, validate_member) -> None:
    allowed = frozenset({"objectType", member, "relevantTypes"})
    for index, item in enumerate(check_array(value, path)):
        item_path = f"{path}[{index}]"
        obj = check_object(item, item_path)
        check_keys(obj, item_path, allowed=allowed, required=("objectType", member))
        if obj["objectType"] != object_type:
            fail(f"{item_path}.objectType", f"must be '{object_type}', got {obj['objectType']!r}")
        validate_member(obj[member], f"{item_path}.{member}")
        if "relevantTypes" in obj:
            validate_relevant_types(obj["relevantTypes"], f"{item_path}.relevantTypes")


def validate_relevant_types(value: Any, path: str) -> None:
    """9274.1.1 Data 2.4.6: relevantTypes, when present, is a non-empty array of IRIs."""
    types = check_array(value, path)
    if not types:
        fail(path, "must list at least one type IRI when present")
    for index, item in enumerate(types):
        check_iri(item, f"{path}[{index}]")


# -- Data 2.4.7 / 4.5 timestamps (2.0) -----------------------------------------------------


def timestamp_rfc3339_parse(value: Any, path: str) -> datetime:
    """9274.1.1 Data 4.5: a timestamp is formatted per RFC 3339 (its profile of ISO 8601:
    a space may stand for the "T", RFC 3339 5.6 note). The negative zero offsets ``-00``,
    ``-0000`` and ``-00:00`` ("offset unknown", RFC 3339 4.3) are refused, as in 1.0.3."""
    if isinstance(value, str) and len(value) > 10 and value[10] == " ":
        value = value[:10] + "T" + value[11:]
    return parse_timestamp(value, path)


_FRACTION = re.compile(r"[T ]\d{2}:?\d{2}(?::?\d{2}[.,](\d+))?")


def timestamp_to_utc(text: str, path: str) -> str:
    """9274.1.1 Data 2.4.7: a timestamp with an offset other than Z is stored converted to
    UTC, keeping the precision it was sent with (at least milliseconds, Data 4.5; digits
    beyond the microsecond are not kept)."""
    moment = timestamp_rfc3339_parse(text, path).astimezone(UTC)
    match = _FRACTION.search(text)
    digits = len(match[1]) if match and match[1] else 0
    digits = min(max(digits, 3), 6)
    fraction = f"{moment.microsecond:06d}"[:digits]
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + fraction + "Z"


def statement_timestamps_to_utc(statement: dict, path: str = "statement") -> dict:
    """The statement (a copy where anything changes) with its timestamp, and its
    SubStatement's, converted to UTC (:func:`timestamp_to_utc`)."""
    result = statement
    if isinstance(statement.get("timestamp"), str):
        converted = timestamp_to_utc(statement["timestamp"], f"{path}.timestamp")
        if converted != statement["timestamp"]:
            result = dict(statement, timestamp=converted)
    target = result.get("object")
    if (
        isinstance(target, dict)
        and target.get("objectType") == "SubStatement"
        and isinstance(target.get("timestamp"), str)
    ):
        converted = timestamp_to_utc(target["timestamp"], f"{path}.object.timestamp")
        if converted != target["timestamp"]:
            result = dict(result, object=dict(target, timestamp=converted))
    return result


def statements_null_timestamp_absent(data: Any) -> Any:
    """9274.1.1 Data 2.4.7 (a SHOULD* of 1.0.3 made SHALL): the LRS sets "timestamp" to
    "stored" when a Statement does not provide one. The ADL conformance suite sends such a
    statement as ``"timestamp": null`` (test/v2_0/4.1.6.1-Statement-Resource.js, "The LRS
    shall set the timestamp property to the value of the stored property if not
    provided") and expects it stored with timestamp = stored; so in a 2.0 request a null
    "timestamp" at the top of a Statement (one, or each of a list) is read as not
    provided. Every other null, a SubStatement's timestamp included, is still refused
    (Data 2.2.s4.b1), and a 1.0.x request is not affected."""
    if isinstance(data, list):
        return [_null_timestamp_dropped(item) for item in data]
    return _null_timestamp_dropped(data)


def _null_timestamp_dropped(item: Any) -> Any:
    if isinstance(item, dict) and "timestamp" in item and item["timestamp"] is None:
        return {key: value for key, value in item.items() if key != "timestamp"}
    return item


# -- Data 4.6 durations (2.0) --------------------------------------------------------------

_DURATION_SECONDS = re.compile(r"(?P<int>\d+)(?:[.,](?P<frac>\d+))?S$")


def duration_for_comparison(duration: Any) -> Any:
    """9274.1.1 Data 4.6: when durations are compared, precision beyond 0.01 second is
    ignored: ``PT1.234S`` equals ``PT1.23S`` and ``PT1.2S`` equals ``PT1.20S``."""
    if not isinstance(duration, str):
        return duration
    match = _DURATION_SECONDS.search(duration)
    if not match:
        return duration
    hundredths = ((match["frac"] or "") + "00")[:2]
    return duration[: match.start()] + f"{int(match['int'])}.{hundredths}S"


# -- serving a statement in the version asked -----------------------------------------------


def statement_for_version(statement: dict, version: str) -> tuple[dict, list[str]]:
    """A stored statement shaped for a request in ``version``, and what it lost.

    A 2.0 request gets the statement as stored. A 1.0.x client gets it without what 1.0.3
    cannot carry: ``context.contextAgents`` and ``context.contextGroups`` (its own and its
    SubStatement's) are left out, since a 1.0.3 client refuses unknown properties
    (TinCanPython does); and a "version" of 2.0.x is given as "1.0.3", the version of the
    answer. The returned list names each property left out (empty when nothing was lost),
    so forwarding can hold such a statement back instead of sending less than it holds.
    """
    if is_v2(version):
        return statement, []
    lost: list[str] = []
    result = statement
    if _context_has_2_0(statement.get("context")) or _substatement_has_2_0(statement):
        result = copy.deepcopy(statement)
        lost += _context_strip(result.get("context"), "context")
        target = result.get("object")
        if isinstance(target, dict) and target.get("objectType") == "SubStatement":
            lost += _context_strip(target.get("context"), "object.context")
    if isinstance(result.get("version"), str) and result["version"].startswith("2."):
        result = dict(result, version=LATEST_1_0)
    return result, lost


def raw_needs_conversion(raw: str) -> bool:
    """Whether stored JSON text may hold something a 1.0.x answer changes (cheap test on
    the text, so most statements go out as stored without being parsed)."""
    return '"contextAgents"' in raw or '"contextGroups"' in raw or bool(_VERSION_2.search(raw))


_VERSION_2 = re.compile(r'"version"\s*:\s*"2\.')


def _context_has_2_0(context: Any) -> bool:
    return isinstance(context, dict) and bool(CONTEXT_PROPERTIES_2_0 & set(context))


def _substatement_has_2_0(statement: dict) -> bool:
    target = statement.get("object")
    return (
        isinstance(target, dict)
        and target.get("objectType") == "SubStatement"
        and _context_has_2_0(target.get("context"))
    )


def _context_strip(context: Any, path: str) -> list[str]:
    if not isinstance(context, dict):
        return []
    lost = []
    for key in sorted(CONTEXT_PROPERTIES_2_0 & set(context)):
        del context[key]
        lost.append(f"{path}.{key}")
    return lost
