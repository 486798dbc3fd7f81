"""The one place for xAPI protocol concerns (Communication 1.3, 3 and 4), shared by every
resource: alternate request syntax, version header, CORS, body limit, authentication,
scopes, and error bodies.

Handlers decorated with :func:`xapi_view` read ``request.xapi_method``,
``request.xapi_params``, ``request.xapi_headers``, ``request.xapi_body``,
``request.xapi_content_type``, ``request.xapi_version`` and ``request.xapi_auth``, never
the raw request, so the alternate syntax and plain requests look the same to them.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import scopes as xapi_scopes
from .spec import XAPIValidationError, agent_ifi_key, version_negotiate
from .spec.versions import HEADER as VERSION_HEADER
from .spec.versions import is_v2, version_answered

logger = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
ALTERNATE_METHODS = frozenset({"GET", "PUT", "POST", "DELETE"})
# Communication 1.3.s3.b4: header names that may travel as form parameters.
ALTERNATE_HEADERS = (
    "Authorization",
    "X-Experience-API-Version",
    "Content-Type",
    "Content-Length",
    "If-Match",
    "If-None-Match",
)
CORS_ALLOW_HEADERS = (
    "Authorization, X-Experience-API-Version, Content-Type, Content-Length, If-Match, "
    "If-None-Match, Accept-Language, X-Requested-With"
)
CORS_EXPOSE_HEADERS = (
    "ETag, Last-Modified, Content-Type, X-Experience-API-Consistent-Through, "
    "X-Experience-API-Version"
)
LAST_USED_INTERVAL = timedelta(minutes=1)


class XAPIError(Exception):
    """An HTTP error answer with a plain message (e.g. 404, 409, 412, 413)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class XAPIAuth:
    """Who is calling: an LRS client (HTTP Basic) or a signed-in user's session."""

    client: Any = None  # LRSClient | None
    user: Any = None  # User | None
    scopes: frozenset[str] = frozenset()
    authority: dict = field(default_factory=dict)
    agent_keys_mine: frozenset[str] = frozenset()

    def allows(self, scope: str) -> bool:
        return xapi_scopes.scopes_allow(self.scopes, scope)

    @property
    def authority_key(self) -> str | None:
        try:
            return agent_ifi_key(self.authority) if self.authority else None
        except XAPIValidationError:
            return None


def json_response(
    data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    """Compact UTF-8 JSON."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status: int, message: str) -> HttpResponse:
    return json_response({"error": {"status": status, "message": message}}, status=status)


# -- the decorator ------------------------------------------------------------------------


def xapi_view(
    *,
    read_scopes: frozenset[str],
    write_scopes: frozenset[str],
    methods: frozenset[str],
    every_response: Callable[[HttpRequest, HttpResponse], None] | None = None,
) -> Callable:
    """Wrap an xAPI resource handler. ``read_scopes`` are needed (any one of them) for GET
    and HEAD, ``write_scopes`` for PUT, POST and DELETE; ``methods`` are those the resource
    answers (HEAD is implied by GET). ``every_response`` is called on every response of
    the resource, errors included (the Statements resource's Consistent-Through header)."""
    allowed_methods = frozenset(method.upper() for method in methods)

    def decorator(handler: Callable[[HttpRequest], HttpResponse]) -> Callable:
        @csrf_exempt
        @functools.wraps(handler)
        def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS":
                response = HttpResponse(status=200)
                response["Access-Control-Allow-Methods"] = ", ".join(
                    sorted(allowed_methods | {"HEAD", "OPTIONS"})
                )
                response["Access-Control-Max-Age"] = "86400"
                if every_response is not None:
                    every_response(request, response)
                answered = version_answered(request.headers.get(VERSION_HEADER))
                return _finish(request, response, version=answered, head=False)
            # Until negotiated (an error reading the body), the header as sent if it is good.
            version = version_answered(request.headers.get(VERSION_HEADER))
            head = request.method == "HEAD"
            try:
                _request_prepare(request)
                version = version_negotiate(request.xapi_headers.get(VERSION_HEADER))
                request.xapi_version = version
                alternate_refuse_in_2_0(request)
                method = request.xapi_method
                if method not in allowed_methods:
                    response = error_response(
                        405, f"method {method} is not allowed on this resource"
                    )
                    response["Allow"] = ", ".join(sorted(allowed_methods))
                    if every_response is not None:
                        every_response(request, response)
                    return _finish(request, response, version=version, head=head)
                request.xapi_auth = _authenticate(request)
                needed = read_scopes if method == "GET" else write_scopes
                if not any(request.xapi_auth.allows(scope) for scope in needed):
                    raise XAPIError(
                        403,
                        "these credentials do not have the scope this request needs "
                        f"(one of: {', '.join(sorted(needed))})",
                    )
                response = handler(request, *args, **kwargs)
            except XAPIValidationError as error:
                response = error_response(400, str(error))
            except XAPIError as error:
                response = error_response(error.status, error.message)
                if error.status == 401:
                    response["WWW-Authenticate"] = 'Basic realm="xAPI"'
            if every_response is not None:
                every_response(request, response)
            return _finish(request, response, version=version, head=head)

        view.xapi_methods = allowed_methods
        return view

    return decorator


def _finish(request: HttpRequest, response: HttpResponse, *, version: str, head: bool):
    """Communication 3.3.s2.b1: the version header on every response, errors included; CORS
    for browser content served from other origins (no credentials: cookies never cross)."""
    response[VERSION_HEADER] = version
    if response.status_code == 404:
        # LocaleMiddleware would redirect a 404 to /<lang>/xapi/... (the site's page tree
        # matches any path): an LRS 404 is an answer, not a missing page.
        request.urlconf = "lms.xapi.root_urls"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
    response["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    response["Cache-Control"] = "no-cache"
    if head and not getattr(response, "streaming", False):
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response


def alternate_refuse_in_2_0(request: HttpRequest) -> None:
    """9274.1.1 Communication 1.3: xAPI 2.0 drops the alternate request syntax (the
    ``?method=`` form posts 1.0.3 allowed for old browsers): a 2.0 request using it is
    refused with 400."""
    if getattr(request, "xapi_alternate", False) and is_v2(request.xapi_version):
        raise XAPIError(
            400,
            "method: xAPI 2.0 has no alternate request syntax; send the request with its "
            "own method, headers and body",
        )


# -- request parsing ----------------------------------------------------------------------


def max_body_bytes() -> int:
    return int(getattr(settings, "XAPI_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def _body_read(request: HttpRequest) -> bytes:
    """The raw body within the configured limit (413 beyond it). Read from the stream so
    Django's smaller form-upload limit does not apply to statement batches."""
    limit = max_body_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as error:
        raise XAPIError(400, "Content-Length: must be a number of bytes") from error
    if declared > limit:
        raise XAPIError(413, f"the request body is larger than this LRS accepts ({limit} bytes)")
    if hasattr(request, "_body"):
        body = request._body
    else:
        body = request.read(limit + 1) if declared or request.method != "GET" else b""
        request._body = body
    if len(body) > limit:
        raise XAPIError(413, f"the request body is larger than this LRS accepts ({limit} bytes)")
    return body


def _request_prepare(request: HttpRequest) -> None:
    """Communication 1.3 alternate request syntax, else the plain request, into the
    ``xapi_*`` attributes."""
    body = _body_read(request)
    query = request.GET
    if request.method == "POST" and "method" in query:
        _alternate_prepare(request, body)
        return
    if "method" in query:
        raise XAPIError(400, "method: the alternate request syntax is only allowed with POST")
    request.xapi_alternate = False
    request.xapi_method = "GET" if request.method == "HEAD" else request.method
    request.xapi_params = query
    request.xapi_headers = _Headers(dict(request.headers.items()))
    request.xapi_body = body
    request.xapi_content_type = request.META.get("CONTENT_TYPE", "")


def _alternate_prepare(request: HttpRequest, body: bytes) -> None:
    """Communication 1.3.s3: POST ?method=X, every header, the content and the parameters
    in an application/x-www-form-urlencoded body; no other query parameter (s3.b2)."""
    extra = sorted(set(request.GET) - {"method"})
    if extra:
        raise XAPIError(
            400,
            f"{extra[0]}: with the alternate request syntax every parameter goes in the "
            "form body; only 'method' may be in the query string",
        )
    method = request.GET.get("method", "")
    if method not in ALTERNATE_METHODS:
        raise XAPIError(400, f"method: must be one of GET, PUT, POST, DELETE, got {method!r}")
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise XAPIError(
            400,
            "Content-Type: the alternate request syntax needs an "
            "application/x-www-form-urlencoded body",
        )
    try:
        form = QueryDict(body, encoding="utf-8")
    except Exception as error:
        raise XAPIError(400, f"the form body cannot be read: {error}") from error
    headers: dict[str, str] = {}
    params = QueryDict(mutable=True)
    content = ""
    header_names = {name.lower(): name for name in ALTERNATE_HEADERS}
    for key, values in form.lists():
        if key.lower() in header_names:
            headers[header_names[key.lower()]] = values[-1]
        elif key == "content":
            content = values[-1]
        else:
            params.setlist(key, values)
    # Headers sent as real headers still count (e.g. Authorization added by a proxy).
    for name, value in request.headers.items():
        if name.lower() in header_names and name.lower() != "content-type":
            headers.setdefault(header_names[name.lower()], value)
    params._mutable = False
    request.xapi_alternate = True
    request.xapi_method = method
    request.xapi_params = params
    request.xapi_headers = _Headers(headers)
    request.xapi_body = content.encode()
    request.xapi_content_type = headers.get("Content-Type", "application/json")


class _Headers(dict):
    """Header names are case-insensitive."""

    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__({name.lower(): value for name, value in values.items()})

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name.lower(), default)

    def __getitem__(self, name: str) -> Any:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())


# -- authentication -----------------------------------------------------------------------

# Checking a hashed secret costs tens of milliseconds by design; a client posting many
# batches would pay it every time. Remember, per process, the digest of a secret already
# verified against a given stored hash: a changed secret changes the hash and misses.
_VERIFIED: dict[tuple[int, str], tuple[bytes, float]] = {}
_VERIFIED_LOCK = threading.Lock()
_VERIFIED_SECONDS = 300.0


def _secret_verify(client, secret: str) -> bool:
    digest = hashlib.sha256(secret.encode()).digest()
    cache_key = (client.pk, client.secret_hash)
    with _VERIFIED_LOCK:
        cached = _VERIFIED.get(cache_key)
    if cached and cached[1] > time.monotonic() and hmac.compare_digest(cached[0], digest):
        return True
    if not client.secret_check(secret):
        return False
    with _VERIFIED_LOCK:
        if len(_VERIFIED) > 1000:
            _VERIFIED.clear()
        _VERIFIED[cache_key] = (digest, time.monotonic() + _VERIFIED_SECONDS)
    return True


def _authenticate(request: HttpRequest) -> XAPIAuth:
    """Communication 4: HTTP Basic with an active client's key and secret, else the
    signed-in user's session (reading their own statements only); else 401."""
    authorization = request.xapi_headers.get("Authorization")
    if authorization:
        # Already checked from the headers, before the body was read (lms/xapi/middleware.py).
        checked = getattr(request, "xapi_checked_auth", None)
        if checked is not None and checked[0] == authorization:
            return checked[1]
        return _client_authenticate(authorization)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return XAPIAuth(
            user=user,
            scopes=frozenset({xapi_scopes.STATEMENTS_READ_MINE}),
            authority={},
            agent_keys_mine=user_agent_keys(user=user),
        )
    raise XAPIError(401, "authentication is required: send HTTP Basic client credentials")


def _client_authenticate(authorization: str) -> XAPIAuth:
    from .models import LRSClient

    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() != "basic":
        raise XAPIError(401, "Authorization: only HTTP Basic client credentials are accepted")
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise XAPIError(401, "Authorization: the Basic credentials cannot be decoded") from error
    key, _, secret = decoded.partition(":")
    client = LRSClient.objects.filter(key=key, active=True).first()
    if client is None or not _secret_verify(client, secret):
        raise XAPIError(401, "Authorization: unknown or inactive client, or wrong secret")
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_INTERVAL:
        LRSClient.objects.filter(pk=client.pk).update(last_used_at=now)
    authority = client.authority_agent
    return XAPIAuth(
        client=client,
        scopes=frozenset(client.scopes or ()),
        authority=authority,
        agent_keys_mine=frozenset(),
    )


def user_agent_keys(*, user) -> frozenset[str]:
    """IFI keys of the agent a signed-in user is: their person's account on this site
    (DESIGN.md xAPI conventions), and the account's own actor id for statements sent before
    the registry linked it to a person (``lms.xapi.actors``)."""
    from .actors import account_actor_uuids

    if getattr(user, "actor_id", None) is None:
        return frozenset()
    return frozenset(
        agent_ifi_key({"account": {"homePage": settings.SITE_URL, "name": str(name)}})
        for name in account_actor_uuids(user=user)
    )
