"""Query parameters of the Document and Agents Resources, checked as Communication 3.2.s3
demands: unknown parameters (or known ones in the wrong case, b8) are 400 (b7), and every
value has the type its table gives. Errors name the parameter."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.http import QueryDict

from lms.xapi.spec import XAPIValidationError, agent_ifi_key
from lms.xapi.spec.agents import validate_agent
from lms.xapi.spec.jsontext import json_check
from lms.xapi.spec.primitives import check_iri, check_uuid, parse_timestamp


def params_check(
    params: QueryDict, *, allowed: Iterable[str], required: Iterable[str] = ()
) -> dict[str, str]:
    """The parameters as a plain dict, once each; unknown, repeated or missing ones are 400."""
    allowed = tuple(allowed)
    for name in params:
        if name not in allowed:
            hint = next((known for known in allowed if known.lower() == name.lower()), None)
            detail = (
                f"parameter names are case-sensitive: did you mean '{hint}'?"
                if hint
                else f"is not a parameter of this request (expected: {', '.join(allowed)})"
            )
            raise XAPIValidationError(detail, name)
        if len(params.getlist(name)) > 1:
            raise XAPIValidationError("must be given only once", name)
    for name in required:
        if name not in params:
            raise XAPIValidationError("is required", name)
    return {name: params[name] for name in params}


def param_activity_id(value: str) -> str:
    """activityId: an Activity id, an IRI (Communication 2.3.s3 table)."""
    return check_iri(value, "activityId")


def param_agent(value: str) -> tuple[dict, str]:
    """agent: an Agent Object as JSON with exactly one identifier (Communication 2.3.s3,
    2.4.s2, 2.6.s3; a Group is not accepted, 2.6.s3 note). Returns it and its IFI key."""
    try:
        agent = json.loads(value)
    except (ValueError, RecursionError) as error:
        raise XAPIValidationError(f"must be an Agent Object in JSON ({error})", "agent") from error
    json_check(agent, "agent")
    if isinstance(agent, dict) and agent.get("objectType") == "Group":
        raise XAPIValidationError(
            "must be an Agent, not a Group; for an Identified Group, send an Agent Object "
            "with the Group's identifier",
            "agent.objectType",
        )
    validate_agent(agent, "agent")
    return agent, agent_ifi_key(agent)


def param_registration(value: str) -> uuid.UUID:
    """registration: a UUID (Communication 2.3.s3 table, Data 4.4)."""
    return uuid.UUID(check_uuid(value, "registration"))


def param_since(value: str) -> datetime:
    """since: an ISO 8601 Timestamp (Communication 2.3.s4 table, Data 4.5)."""
    return parse_timestamp(value, "since")


def param_document_id(value: str, name: str) -> str:
    """stateId / profileId: a String set by the Learning Record Provider (Communication
    2.2.s2 table)."""
    if not value:
        raise XAPIValidationError("must not be empty", name)
    return value
