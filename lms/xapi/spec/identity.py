"""Who and what a Statement is about: IFI keys and the sets GET /statements filters match.

Communication 2.1.3 GET Statements: ``agent`` matches the Actor or Object (a Group also
matches through its members); ``activity`` matches an Activity Object; the
``related_agents`` / ``related_activities`` flags widen the match to Authority, Instructor,
Team, context Activities and the same properties inside a SubStatement. The LRS stores
these sets in indexed columns; following StatementRefs to their targets (2.1.3.s3) is the
LRS's job, since it needs the stored targets.
"""

from __future__ import annotations

from typing import Any

from .agents import IFI_PROPERTIES
from .errors import XAPIValidationError


def agent_ifi_key(agent: dict) -> str:
    """A stable string for an Agent's or Identified Group's IFI (Data 2.4.2.3).

    ``mbox:mailto:a@example.org`` (domain lower-cased: it is case-insensitive,
    Data 2.3.1.b7), ``mbox_sha1sum:<lower hex>``, ``openid:<uri>``,
    ``account:<homePage>|<name>`` ("|" cannot occur in a valid homePage IRL). Two
    Agents are the same when their keys are equal (Communication 2.1.3 ``agent``).
    """
    key = _ifi_key(agent)
    if key is None:
        raise XAPIValidationError(
            "must be an Agent or Identified Group with one of 'mbox', 'mbox_sha1sum', "
            "'openid' or 'account'",
            "agent",
        )
    return key


def _ifi_key(agent: Any) -> str | None:
    if not isinstance(agent, dict):
        return None
    for name in IFI_PROPERTIES:
        if name not in agent:
            continue
        value = agent[name]
        if name == "mbox" and isinstance(value, str):
            local, at, domain = value.rpartition("@")
            return f"mbox:{local}{at}{domain.lower()}" if at else f"mbox:{value}"
        if name == "mbox_sha1sum" and isinstance(value, str):
            return f"mbox_sha1sum:{value.lower()}"
        if name == "openid" and isinstance(value, str):
            return f"openid:{value}"
        if name == "account" and isinstance(value, dict):
            return f"account:{value.get('homePage')}|{value.get('name')}"
    return None


def _agent_keys(agent: Any) -> set[str]:
    """The agent's own key plus, for a Group, its members' keys (Communication 2.1.3:
    "Groups that have members which match the specified Agent ... are considered a
    match")."""
    keys: set[str] = set()
    if not isinstance(agent, dict):
        return keys
    own = _ifi_key(agent)
    if own:
        keys.add(own)
    if agent.get("objectType") == "Group":
        for member in agent.get("member") or ():
            member_key = _ifi_key(member)
            if member_key:
                keys.add(member_key)
    return keys


def _object_type(obj: Any) -> str | None:
    return obj.get("objectType", "Activity") if isinstance(obj, dict) else None


def statement_agent_keys(statement: dict) -> frozenset[str]:
    """Keys the plain ``agent`` filter matches: the Actor and an Agent/Group Object."""
    keys = _agent_keys(statement.get("actor"))
    target = statement.get("object")
    if _object_type(target) in ("Agent", "Group"):
        keys |= _agent_keys(target)
    return frozenset(keys)


def statement_related_agents(statement: dict) -> frozenset[str]:
    """Keys ``agent`` matches with ``related_agents=true``: Actor, Object, Authority,
    Instructor, Team, and those of a SubStatement Object."""
    keys = set(statement_agent_keys(statement))
    keys |= _agent_keys(statement.get("authority"))
    context = statement.get("context")
    if isinstance(context, dict):
        keys |= _agent_keys(context.get("instructor"))
        keys |= _agent_keys(context.get("team"))
    target = statement.get("object")
    if _object_type(target) == "SubStatement":
        keys |= statement_related_agents(target)
    return frozenset(keys)


def statement_activity_id(statement: dict) -> str | None:
    """The id the plain ``activity`` filter matches: the Object's, when it is an Activity."""
    target = statement.get("object")
    if _object_type(target) == "Activity":
        return target.get("id")
    return None


def context_activity_ids(context: Any) -> set[str]:
    """Ids in contextActivities (parent, grouping, category, other), single or arrays."""
    ids: set[str] = set()
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    if not isinstance(groups, dict):
        return ids
    for value in groups.values():
        for activity in value if isinstance(value, list) else [value]:
            if isinstance(activity, dict) and isinstance(activity.get("id"), str):
                ids.add(activity["id"])
    return ids


def statement_related_activities(statement: dict) -> frozenset[str]:
    """Ids ``activity`` matches with ``related_activities=true``: the Object, every context
    Activity, and those of a SubStatement Object."""
    ids: set[str] = set()
    own = statement_activity_id(statement)
    if own:
        ids.add(own)
    ids |= context_activity_ids(statement.get("context"))
    target = statement.get("object")
    if _object_type(target) == "SubStatement":
        ids |= statement_related_activities(target)
    return frozenset(ids)
