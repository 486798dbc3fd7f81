from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from lms.core.services import audit_record
from lms.xapi import scopes
from lms.xapi.protocol import XAPIError, json_response, xapi_view

from . import selectors, services
from .base import (
    ACTIVITY_PROFILE,
    AGENT_PROFILE,
    STATE,
    DocumentError,
    DocumentKind,
    Preconditions,
    content_etag,
    state_kind,
)
from .params import (
    param_activity_id,
    param_agent,
    param_document_id,
    param_registration,
    param_since,
    params_check,
)

DOCUMENT_METHODS = frozenset({"GET", "PUT", "POST", "DELETE"})
STATE_SCOPES = frozenset({scopes.STATE, scopes.STATEMENTS_READ_MINE})
PROFILE_SCOPES = frozenset({scopes.PROFILE})
AGENTS_SCOPES = frozenset({scopes.STATEMENTS_READ, scopes.STATE, scopes.PROFILE})


@xapi_view(read_scopes=STATE_SCOPES, write_scopes=STATE_SCOPES, methods=DOCUMENT_METHODS)
def state(request: HttpRequest) -> HttpResponse:
    method = request.xapi_method
    single = "stateId" in request.xapi_params
    allowed = ["activityId", "agent", "registration", "stateId"]
    if method == "GET" and not single:
        allowed.append("since")
    params = params_check(
        request.xapi_params,
        allowed=allowed,
        required=["activityId", "agent"] + (["stateId"] if method in {"PUT", "POST"} else []),
    )
    agent, agent_key = param_agent(params["agent"])
    _state_access_check(request, agent_key)
    context = {"activity_id": param_activity_id(params["activityId"]), "agent_key": agent_key}
    registration = param_registration(params["registration"]) if "registration" in params else None
    if single:
        context["registration"] = registration
        document_id = param_document_id(params["stateId"], "stateId")
        kind = state_kind(request.xapi_version)
        return _document(request, kind, context, document_id, defaults={"agent": agent})
    if registration is not None:
        context["registration"] = registration
    if method == "DELETE":
        services.documents_delete(kind=STATE, context=context)
        return HttpResponse(status=204)
    return _document_ids(STATE, context, params)


@xapi_view(read_scopes=PROFILE_SCOPES, write_scopes=PROFILE_SCOPES, methods=DOCUMENT_METHODS)
def activity_profile(request: HttpRequest) -> HttpResponse:
    params = _profile_params(request, "activityId")
    context = {"activity_id": param_activity_id(params["activityId"])}
    if "profileId" in params:
        document_id = param_document_id(params["profileId"], "profileId")
        return _document(request, ACTIVITY_PROFILE, context, document_id)
    return _document_ids(ACTIVITY_PROFILE, context, params)


@xapi_view(read_scopes=PROFILE_SCOPES, write_scopes=PROFILE_SCOPES, methods=DOCUMENT_METHODS)
def agent_profile(request: HttpRequest) -> HttpResponse:
    params = _profile_params(request, "agent")
    agent, agent_key = param_agent(params["agent"])
    context = {"agent_key": agent_key}
    if "profileId" in params:
        document_id = param_document_id(params["profileId"], "profileId")
        return _document(request, AGENT_PROFILE, context, document_id, defaults={"agent": agent})
    return _document_ids(AGENT_PROFILE, context, params)


@xapi_view(read_scopes=AGENTS_SCOPES, write_scopes=frozenset(), methods=frozenset({"GET"}))
def agents(request: HttpRequest) -> HttpResponse:
    params = params_check(request.xapi_params, allowed=["agent"], required=["agent"])
    agent, agent_key = param_agent(params["agent"])
    auth = request.xapi_auth
    person, expanded = selectors.person_for_agent(
        agent=agent, agent_key=agent_key, expand=auth.allows(scopes.ALL)
    )
    if expanded:
        audit_record(
            user=auth.user,
            action="xapi.person_view",
            target=None,
            detail={
                "agent": agent_key,
                "client": getattr(auth.client, "key", None),
                "identifiers": expanded,
            },
        )
    return json_response(person)


def _state_access_check(request: HttpRequest, agent_key: str) -> None:
    """A client needs the "state" scope; a signed-in user's session (which only holds
    statements/read/mine) may use the State of their own agent and nobody else's."""
    auth = request.xapi_auth
    if auth.client is None:
        if agent_key not in auth.agent_keys_mine:
            raise XAPIError(
                403, "agent: a signed-in user may only use the State of their own agent"
            )
    elif not auth.allows(scopes.STATE):
        raise XAPIError(403, "these credentials do not have the scope this request needs (state)")


def _profile_params(request: HttpRequest, owner: str) -> dict[str, str]:
    method = request.xapi_method
    single = "profileId" in request.xapi_params
    allowed = [owner, "profileId"] if single or method != "GET" else [owner, "since"]
    required = [owner] if method == "GET" else [owner, "profileId"]
    return params_check(request.xapi_params, allowed=allowed, required=required)


def _document(
    request: HttpRequest,
    kind: DocumentKind,
    context: dict,
    document_id: str,
    *,
    defaults: dict | None = None,
) -> HttpResponse:
    method = request.xapi_method
    try:
        if method == "GET":
            document = selectors.document_get(kind=kind, context=context, document_id=document_id)
            response = HttpResponse(bytes(document.content), content_type=document.content_type)
            return _with_validators(response, document.etag, document.updated)
        preconditions = Preconditions(
            if_match=request.xapi_headers.get("If-Match"),
            if_none_match=request.xapi_headers.get("If-None-Match"),
        )
        if method == "DELETE":
            services.document_delete(
                kind=kind, context=context, document_id=document_id, preconditions=preconditions
            )
            return HttpResponse(status=204)
        write = services.document_put if method == "PUT" else services.document_post
        document = write(
            kind=kind,
            context=context,
            document_id=document_id,
            content=request.xapi_body,
            content_type=request.xapi_content_type or None,
            preconditions=preconditions,
            defaults=defaults,
        )
    except DocumentError as error:
        raise XAPIError(error.status, error.message) from error
    return _with_validators(HttpResponse(status=204), document.etag, document.updated)


def _document_ids(kind: DocumentKind, context: dict, params: dict[str, str]) -> HttpResponse:
    since = param_since(params["since"]) if "since" in params else None
    ids, last_modified = selectors.document_ids(kind=kind, context=context, since=since)
    response = json_response(ids)
    return _with_validators(response, content_etag(response.content), last_modified)


def _with_validators(response: HttpResponse, etag: str, modified) -> HttpResponse:
    """Communication 3.1.s4.b1/b4: a quoted ETag; 2.2.s6: Last-Modified."""
    response["ETag"] = f'"{etag}"'
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response
