"""Statement Comparison Requirements (Data 2.3.1.s9).

Used when a Statement arrives with an id the LRS already holds (Communication 2.1.1.s2.b3,
2.1.2.s2.b5: 409 Conflict unless they match) and when checking a signed Statement against
its JWS payload (Data 2.6.s5.b3.b2).

Differences that the exceptions to Statement immutability (Data 2.3.1) could cause are
ignored; every other difference counts:

- properties the LRS assigns (id, authority, stored, timestamp, version; 2.3.1.b1) count
  only when both Statements carry them; authority and stored never count;
- Activity definitions (b2) and Verb displays (b3) are not part of the Statement;
- timestamps are compared as instants, to the millisecond the LRS must keep (b4, 4.5);
- the members of a Group are an unordered list (b5);
- attachments are not part of the Statement (b6), which also lets a signed Statement
  match its payload, signed before the signature attachment was added;
- case-insensitive values (b7): the domain of an mbox, hexadecimal digits of UUIDs and
  of mbox_sha1sum, language tags;
- a single context Activity equals an array holding it (Data 2.4.6.2.s4.b3);
- an absent objectType equals its default (Activity for an Object, Agent for an actor);
- result.duration is compared to 0.01 s (1.0.3 4.6.s1.b5; 9274.1.1 Data 4.6: precision
  beyond 0.01 second is ignored), so ``PT1.234S`` equals ``PT1.23S`` and ``PT1S``
  ``PT1.00S``;
- xAPI 2.0 contextAgents and contextGroups compare their Agents and Groups like any other.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from .v2 import duration_for_comparison
from .v2 import timestamp_rfc3339_parse as parse_timestamp

_MILLISECOND = timedelta(milliseconds=1)


def statements_equivalent(a: dict, b: dict) -> bool:
    """True when ``a`` and ``b`` are the same Statement under Data 2.3.1.s9."""
    for key in ("id", "version"):
        if key in a and key in b and _lower(a[key]) != _lower(b[key]):
            return False
    both_timed = "timestamp" in a and "timestamp" in b
    if both_timed and not _same_instant(a["timestamp"], b["timestamp"]):
        return False
    return _canonical_body(a) == _canonical_body(b)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _same_instant(first: Any, second: Any) -> bool:
    if first == second:
        return True
    try:
        delta = parse_timestamp(first, "timestamp") - parse_timestamp(second, "timestamp")
    except ValueError:
        return False
    return abs(delta) < _MILLISECOND


def _canonical_body(statement: dict) -> dict:
    """The parts of a Statement (or SubStatement) that must match exactly."""
    body: dict[str, Any] = {
        "actor": _agent(statement.get("actor")),
        "verb": statement["verb"].get("id") if isinstance(statement.get("verb"), dict) else None,
        "object": _object(statement.get("object")),
    }
    if "result" in statement:
        body["result"] = _result(statement["result"])
    if "context" in statement:
        body["context"] = _context(statement["context"])
    return body


def _agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    canonical = dict(agent)
    canonical.setdefault("objectType", "Agent")
    if isinstance(agent.get("mbox"), str):
        local, at, domain = agent["mbox"].rpartition("@")
        canonical["mbox"] = f"{local}{at}{domain.lower()}"
    if isinstance(agent.get("mbox_sha1sum"), str):
        canonical["mbox_sha1sum"] = agent["mbox_sha1sum"].lower()
    if isinstance(agent.get("member"), list):
        members = [_agent(member) for member in agent["member"]]
        canonical["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
    return canonical


def _activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    return {"objectType": "Activity", "id": activity.get("id")}


def _statement_ref(ref: Any) -> Any:
    if not isinstance(ref, dict):
        return ref
    return {"objectType": ref.get("objectType"), "id": _lower(ref.get("id"))}


def _object(target: Any) -> Any:
    if not isinstance(target, dict):
        return target
    object_type = target.get("objectType", "Activity")
    if object_type == "Activity":
        return _activity(target)
    if object_type in ("Agent", "Group"):
        return _agent(target)
    if object_type == "StatementRef":
        return _statement_ref(target)
    if object_type == "SubStatement":
        canonical = _canonical_body(target)
        canonical["objectType"] = "SubStatement"
        canonical["timestamp"] = _instant(target.get("timestamp"))
        return canonical
    return target


def _instant(value: Any) -> Any:
    """A timestamp as an instant truncated to milliseconds, for SubStatements (which the
    LRS never timestamps itself)."""
    if value is None:
        return None
    try:
        moment = parse_timestamp(value, "timestamp")
    except ValueError:
        return value
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).timestamp()


def _result(result: Any) -> Any:
    if not isinstance(result, dict):
        return result
    canonical = dict(result)
    if isinstance(result.get("duration"), str):
        canonical["duration"] = duration_for_comparison(result["duration"])
    return canonical


def _context(context: Any) -> Any:
    if not isinstance(context, dict):
        return context
    canonical = dict(context)
    for key in ("registration", "language"):
        if key in context:
            canonical[key] = _lower(context[key])
    for key in ("instructor", "team"):
        if key in context:
            canonical[key] = _agent(context[key])
    if "statement" in context:
        canonical["statement"] = _statement_ref(context["statement"])
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):
        if isinstance(context.get(key), list):
            canonical[key] = [
                dict(item, **{inner: _agent(item.get(inner))}) if isinstance(item, dict) else item
                for item in context[key]
            ]
    groups = context.get("contextActivities")
    if isinstance(groups, dict):
        canonical["contextActivities"] = {
            key: [_activity(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in groups.items()
        }
    return canonical
