"""The LRS reads no body from a caller it has not authenticated, and waits for a body only so
long (docs/security.md, slow clients).

A request to ``/xapi/`` that declares a body is authenticated from its headers first: HTTP
Basic client credentials, or the session of a signed-in user. Without either it is answered
401 at once, before one byte of the body is read, so a client that declares a body and sends
it slowly holds no server process. Only the alternate request syntax (Communication 1.3,
``POST ?method=``) carries its credentials inside the body; its body is read under the same
time limit as every other. The body is then read within ``XAPI_BODY_SECONDS``: a body that has
not arrived by then is answered 408 and the process is free again. Behind the buffering proxy
of the production recipe (deploy/nginx.conf) the body has arrived before the request reaches
the application, and the limit is never near.
"""

from __future__ import annotations

import io
import time

from django.conf import settings
from django.http import UnreadablePostError

from .protocol import XAPIError, _client_authenticate, _finish, error_response, max_body_bytes
from .spec.versions import HEADER as VERSION_HEADER
from .spec.versions import version_answered

_CHUNK = 64 * 1024
ABOUT = "/xapi/about"  # open to anyone (Communication 2.7), and it reads no body
STATEMENTS = "/xapi/statements"


class BodyGuardMiddleware:
    """Placed after ``AuthenticationMiddleware`` (a session is a credential too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        guarded = request.path_info.startswith("/xapi/") and request.path_info != ABOUT
        if guarded and _declares_body(request):
            try:
                _credentials_check(request)
                _body_receive(request)
            except XAPIError as error:
                response = error_response(error.status, error.message)
                if error.status == 401:
                    response["WWW-Authenticate"] = 'Basic realm="xAPI"'
                if request.path_info == STATEMENTS:
                    from .views.statements import consistent_through_always

                    consistent_through_always(request, response)
                version = version_answered(request.headers.get(VERSION_HEADER))
                return _finish(request, response, version=version, head=False)
        return self.get_response(request)


def _declares_body(request) -> bool:
    if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return True
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return False  # the resource answers 400 for a Content-Length that is not a number


def _credentials_check(request) -> None:
    """Communication 4: who is calling, from the headers alone (401 when nobody)."""
    authorization = request.headers.get("Authorization")
    if authorization:
        request.xapi_checked_auth = (authorization, _client_authenticate(authorization))
        return
    if request.user.is_authenticated:
        return
    if request.method == "POST" and "method" in request.GET:
        return  # alternate request syntax: the credentials travel in the form body
    raise XAPIError(401, "authentication is required: send HTTP Basic client credentials")


def _body_receive(request) -> None:
    """Read the whole body before the deadline, or 408. Under gunicorn the deadline is set on
    the socket, so a read that waits for bytes that never come ends at the deadline too."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    limit = max_body_bytes()
    if declared > limit:
        return  # the resource answers 413 without reading it
    seconds = settings.XAPI_BODY_SECONDS
    deadline = time.monotonic() + seconds
    sock = request.META.get("gunicorn.socket")
    prior = sock.gettimeout() if sock is not None else None
    chunks, received = [], 0
    try:
        while declared == 0 or received < declared:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if sock is not None:
                sock.settimeout(remaining)
            wanted = _CHUNK if declared == 0 else min(_CHUNK, declared - received)
            chunk = request.read(wanted)
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
            if received > limit:
                break  # the resource answers 413 for what is already too long
    except (TimeoutError, UnreadablePostError) as error:
        # Django turns a failed read into UnreadablePostError; socket.timeout is TimeoutError.
        if isinstance(error, TimeoutError) or isinstance(error.__cause__, TimeoutError):
            raise XAPIError(
                408, f"the request body did not arrive within {seconds:g} seconds"
            ) from error
        raise XAPIError(400, "the request body could not be read to its end") from error
    finally:
        if sock is not None:
            sock.settimeout(prior)
    request._body = b"".join(chunks)
    request._stream = io.BytesIO(request._body)
