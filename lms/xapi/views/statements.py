"""The Statements resource (Communication 2.1): thin handlers around the store service and
the query selector."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import datetime

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from .. import scopes
from ..attachments import (
    attachments_match,
    media_type,
    multipart_build,
    multipart_statements,
    signatures_verify,
)
from ..protocol import XAPIError, json_response, xapi_view
from ..selectors import (
    StatementQuery,
    activity_definitions,
    attachments_for,
    statement_get,
    statement_is_mine,
    statements_consistency,
    statements_select,
)
from ..services import AttachmentPayload, statement_store
from ..services.statements import timestamp_format
from ..spec import (
    XAPIValidationError,
    agent_ifi_key,
    parse_accept_language,
    statement_format,
    statement_related_activities,
    validate_statement,
    validate_statements,
)
from ..spec.agents import validate_agent, validate_group
from ..spec.jsontext import MAX_DEPTH, json_check
from ..spec.primitives import check_iri, check_uuid, parse_timestamp
from ..spec.v2 import (
    raw_needs_conversion,
    statement_for_version,
    statements_null_timestamp_absent,
)
from ..spec.versions import is_v2

CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"
QUERY_PARAMS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId", "format", "attachments"})
MORE_SALT = "lms.xapi.statements.more"


def consistent_through_always(request: HttpRequest, response: HttpResponse) -> None:
    """Communication 2.1.3.s2.b6: every response of the Statements resource carries
    X-Experience-API-Consistent-Through, errors included (clients poll on it)."""
    if CONSISTENT_THROUGH not in response:
        consistent_through, _ = statements_consistency()
        response[CONSISTENT_THROUGH] = timestamp_format(consistent_through)


@xapi_view(
    read_scopes=frozenset({scopes.STATEMENTS_READ, scopes.STATEMENTS_READ_MINE}),
    write_scopes=frozenset({scopes.STATEMENTS_WRITE}),
    methods=frozenset({"GET", "PUT", "POST"}),
    every_response=consistent_through_always,
)
def statements(request: HttpRequest) -> HttpResponse:
    method = request.xapi_method
    if method in ("PUT", "POST"):
        request.xapi_stored = None
        response = _put(request) if method == "PUT" else _post(request)
        # After the write's commit (on SQLite, its stored time is enough).
        consistent_through, _ = statements_consistency(written=request.xapi_stored)
    else:
        # Taken before the query: it holds for what follows. A new query's page bound is
        # read with it (one query).
        new_query = not ({"statementId", "voidedStatementId", "more"} & set(request.xapi_params))
        consistent_through, bound = statements_consistency(with_bound=new_query)
        response = _get(request, bound)
    response[CONSISTENT_THROUGH] = timestamp_format(consistent_through)
    return response


# -- writes -------------------------------------------------------------------------------


def _body_statements(request: HttpRequest) -> tuple[object, dict[str, AttachmentPayload], dict]:
    """Communication 1.5: application/json, or multipart/mixed with raw attachments."""
    content_type = request.xapi_content_type or ""
    kind = media_type(content_type)
    parts = {}
    if kind == "application/json":
        body = request.xapi_body
    elif kind == "multipart/mixed":
        body, parts = multipart_statements(request.xapi_body, content_type)
    else:
        raise XAPIError(
            400,
            "Content-Type: statements must be sent as application/json or multipart/mixed, "
            f"got {content_type or 'nothing'!r}",
        )
    try:
        data = json.loads(body)
    except RecursionError as error:
        raise XAPIError(400, f"the body is nested deeper than {MAX_DEPTH} levels") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise XAPIError(400, f"the body is not valid JSON: {error}") from error
    json_check(data, "body")
    if is_v2(request.xapi_version):
        data = statements_null_timestamp_absent(data)
    return data, parts, {}


def _params_only(request: HttpRequest, allowed: frozenset[str]) -> None:
    extra = sorted(set(request.xapi_params) - allowed)
    if extra:
        raise XAPIError(400, f"{extra[0]}: unknown parameter for this request")


def _store(request: HttpRequest, batch: list[dict], parts: dict, path: str) -> list[uuid.UUID]:
    attachments_match(batch, parts, path)
    signatures_verify(batch, parts, path)
    auth = request.xapi_auth
    outcome = statement_store(
        statements=batch,
        authority=auth.authority,
        attachments={
            sha2: AttachmentPayload(content_type=part.content_type, content=part.content)
            for sha2, part in parts.items()
        },
        define=auth.allows(scopes.DEFINE),
        validated=True,
        path=path,
        version=request.xapi_version,
    )
    if outcome.inserted:
        request.xapi_stored = outcome.inserted[0].stored
    return outcome.ids


def _put(request: HttpRequest) -> HttpResponse:
    """Communication 2.1.1 PUT Statements: one statement at ?statementId=, 204."""
    _params_only(request, frozenset({"statementId"}))
    statement_id = request.xapi_params.get("statementId")
    if not statement_id:
        raise XAPIError(400, "statementId: PUT needs the statement id as a parameter")
    check_uuid(statement_id, "statementId")
    data, parts, _ = _body_statements(request)
    validate_statement(data, version=request.xapi_version)
    if "id" in data and uuid.UUID(data["id"]) != uuid.UUID(statement_id):
        raise XAPIError(400, "statement.id: differs from the statementId parameter of the request")
    data = dict(data, id=statement_id) if "id" not in data else data
    _store(request, [data], parts, "statement")
    return HttpResponse(status=204)


def _post(request: HttpRequest) -> HttpResponse:
    """Communication 2.1.2 POST Statements: one or a list; answers the ids in order."""
    _params_only(request, frozenset())
    data, parts, _ = _body_statements(request)
    if isinstance(data, list):
        if not data:
            raise XAPIError(400, "statements: the list is empty")
        validate_statements(data, version=request.xapi_version)
        ids = _store(request, data, parts, "statement")
    else:
        validate_statement(data, version=request.xapi_version)
        ids = _store(request, [data], parts, "statement")
    return json_response([str(statement_id) for statement_id in ids])


# -- reads --------------------------------------------------------------------------------


def _flag(params, name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise XAPIValidationError(f"must be 'true' or 'false', got {value!r}", name)
    return value == "true"


def _get(request: HttpRequest, new_bound: int | None) -> HttpResponse:
    params = request.xapi_params
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise XAPIValidationError(f"must be one of exact, ids, canonical, got {fmt!r}", "format")
    with_attachments = _flag(params, "attachments")
    languages = parse_accept_language(request.xapi_headers.get("Accept-Language"))
    if "statementId" in params or "voidedStatementId" in params:
        return _get_one(request, fmt, with_attachments, languages)
    if "more" in params:
        _params_only(request, frozenset({"more"}))
        query, bound, cursor, fmt, with_attachments = _more_load(params["more"])
    else:
        _params_only(request, QUERY_PARAMS)
        query = _query_parse(request)
        bound, cursor = new_bound, None
    auth = request.xapi_auth
    if not auth.allows(scopes.STATEMENTS_READ):
        query = _mine(query, auth)
    page = statements_select(query=query, bound=bound, cursor=cursor)
    more = ""
    if page.next_cursor is not None:
        more = "/xapi/statements?more=" + _more_dump(
            query, page.bound, page.next_cursor, fmt, with_attachments
        )
    version = request.xapi_version
    if fmt == "exact" and not with_attachments:
        # The stored JSON text goes out as it is: no parse, no re-serialisation (but for
        # the few statements a 1.0.x answer must shape, lms/xapi/spec/v2.py).
        body = (
            '{"statements":['
            + ",".join(_raw_for_version(raw, version) for _, raw in page.rows)
            + '],"more":'
            + json.dumps(more)
            + "}"
        )
        return _last_modified(
            HttpResponse(body.encode(), content_type="application/json"), page.rows
        )
    statements_json = [json.loads(raw) for _, raw in page.rows]
    shaped = _shape(statements_json, fmt, languages, version)
    document = {"statements": shaped, "more": more}
    return _last_modified(_respond(document, statements_json, with_attachments), page.rows)


def _last_modified(response: HttpResponse, rows) -> HttpResponse:
    """9274.1.1 Communication 2.1.3 (2.0): Last-Modified on statement GETs; for a page, the
    latest ``stored`` of its statements. ``stored`` follows ``seq`` (writes take both
    under one lock, in order), so it is that of the highest ``seq``: one statement read."""
    if rows:
        _, raw = max(rows, key=lambda row: row[0])
        stored = json.loads(raw).get("stored")
        if isinstance(stored, str):
            with contextlib.suppress(ValueError):
                response["Last-Modified"] = http_date(datetime.fromisoformat(stored).timestamp())
    return response


def _get_one(request, fmt, with_attachments, languages) -> HttpResponse:
    """Communication 2.1.3: statementId / voidedStatementId, with only format and
    attachments beside them."""
    params = request.xapi_params
    _params_only(request, SINGLE_PARAMS)
    if "statementId" in params and "voidedStatementId" in params:
        raise XAPIError(400, "statementId: cannot be combined with voidedStatementId")
    name = "statementId" if "statementId" in params else "voidedStatementId"
    check_uuid(params[name], name)
    row = statement_get(statement_id=uuid.UUID(params[name]), voided=name != "statementId")
    auth = request.xapi_auth
    if row is not None and not auth.allows(scopes.STATEMENTS_READ):
        mine = _mine(StatementQuery(), auth)
        if not statement_is_mine(
            statement=row, authority_key=mine.authority_key, agent_keys=mine.mine_agent_keys
        ):
            row = None
    if row is None:
        raise XAPIError(404, f"{name}: no statement {params[name]} here")
    statement = json.loads(row.raw)
    shaped = _shape([statement], fmt, languages, request.xapi_version)[0]
    response = _respond(shaped, [statement], with_attachments)
    response["Last-Modified"] = row.stored.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


def _respond(document, statements_json, with_attachments) -> HttpResponse:
    if not with_attachments:
        return json_response(document)
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    content, content_type = multipart_build(body, attachments_for(statements=statements_json))
    return HttpResponse(content, content_type=content_type)


def _raw_for_version(raw: str, version: str) -> str:
    if is_v2(version) or not raw_needs_conversion(raw):
        return raw
    shaped, _lost = statement_for_version(json.loads(raw), version)
    return json.dumps(shaped, separators=(",", ":"), ensure_ascii=False)


def _shape(statements_json: list[dict], fmt: str, languages: list[str], version: str) -> list[dict]:
    """The ``format`` asked (Communication 2.1.3), in the version of the request: stored
    once, a statement is served to a 1.0.x client without what 1.0.3 cannot carry."""
    statements_json = [statement_for_version(item, version)[0] for item in statements_json]
    if fmt == "exact":
        return statements_json
    definitions = {}
    if fmt == "canonical":
        ids = set()
        for statement in statements_json:
            ids |= statement_related_activities(statement)
        definitions = activity_definitions(activity_ids=ids)
    return [
        statement_format(
            statement, format=fmt, languages=languages, activity_definitions=definitions
        )
        for statement in statements_json
    ]


def _mine(query: StatementQuery, auth) -> StatementQuery:
    """statements/read/mine: a client reads what it stored (its authority); a signed-in
    user reads statements about their own agent."""
    from dataclasses import replace

    if auth.client is not None:
        return replace(query, authority_key=auth.authority_key or "")
    return replace(query, mine_agent_keys=auth.agent_keys_mine)


def _query_parse(request: HttpRequest) -> StatementQuery:
    """Communication 2.1.3 query parameters, each checked and named when wrong."""
    params = request.xapi_params
    agent_key = None
    if "agent" in params:
        try:
            agent = json.loads(params["agent"])
        except (ValueError, RecursionError) as error:
            raise XAPIValidationError("must be an Agent or Group as JSON", "agent") from error
        json_check(agent, "agent")
        if isinstance(agent, dict) and agent.get("objectType") == "Group":
            validate_group(agent, "agent")
        else:
            validate_agent(agent, "agent")
        agent_key = agent_ifi_key(agent)
    registration = None
    if "registration" in params:
        registration = uuid.UUID(check_uuid(params["registration"], "registration"))
    limit = 0
    if "limit" in params:
        try:
            limit = int(params["limit"])
        except ValueError:
            limit = -1
        if limit < 0:
            raise XAPIValidationError(
                f"must be a non-negative integer, got {params['limit']!r}", "limit"
            )
    return StatementQuery(
        agent_key=agent_key,
        verb=check_iri(params["verb"], "verb") if "verb" in params else None,
        activity=check_iri(params["activity"], "activity") if "activity" in params else None,
        registration=registration,
        related_activities=_flag(params, "related_activities"),
        related_agents=_flag(params, "related_agents"),
        since=parse_timestamp(params["since"], "since") if "since" in params else None,
        until=parse_timestamp(params["until"], "until") if "until" in params else None,
        limit=limit,
        ascending=_flag(params, "ascending"),
    )


def _more_dump(query, bound, cursor, fmt, with_attachments) -> str:
    data = {
        "a": query.agent_key,
        "v": query.verb,
        "ac": query.activity,
        "r": str(query.registration) if query.registration else None,
        "ra": query.related_activities,
        "rg": query.related_agents,
        "s": query.since.isoformat() if query.since else None,
        "u": query.until.isoformat() if query.until else None,
        "l": query.limit,
        "asc": query.ascending,
        "b": bound,
        "c": cursor,
        "f": fmt,
        "at": with_attachments,
    }
    return signing.dumps(data, salt=MORE_SALT, compress=True)


def _more_load(token: str):
    from datetime import datetime

    try:
        data = signing.loads(token, salt=MORE_SALT)
    except signing.BadSignature as error:
        raise XAPIError(400, "more: this token is not one this LRS issued") from error
    query = StatementQuery(
        agent_key=data["a"],
        verb=data["v"],
        activity=data["ac"],
        registration=uuid.UUID(data["r"]) if data["r"] else None,
        related_activities=data["ra"],
        related_agents=data["rg"],
        since=datetime.fromisoformat(data["s"]) if data["s"] else None,
        until=datetime.fromisoformat(data["u"]) if data["u"] else None,
        limit=data["l"],
        ascending=data["asc"],
    )
    return query, data["b"], data["c"], data["f"], data["at"]
