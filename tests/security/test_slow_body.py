"""The LRS under slow clients: it authenticates from the headers before it reads a body, and
waits for a body only ``XAPI_BODY_SECONDS``. Requests here go through Django's WSGI handler
over a real socket, as gunicorn hands them over (``gunicorn.socket`` in the environ); the
same probe against nginx and gunicorn is bench/slow_clients.py."""

import json
import socket
import threading
import time
from io import BytesIO

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from lms.xapi.models import Statement
from tests.xapi.conftest import basic, make_client, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connection_kept():
    """As Django's test client does: the handler would close the test's database connection
    when each request starts and finishes."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


DECLARED = 1000


class _Unreadable(BytesIO):
    """A body stream that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _call(
    *,
    method="POST",
    path="/xapi/statements",
    query="",
    headers=None,
    stream,
    sock=None,
    length=DECLARED,
):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": BytesIO(),
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(length),
        "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3",
    }
    if sock is not None:
        environ["gunicorn.socket"] = sock
    environ.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()})
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    started = time.monotonic()
    body = b"".join(WSGIHandler()(environ, start_response))
    return (
        answer["status"],
        answer["headers"],
        json.loads(body or b"{}"),
        time.monotonic() - started,
    )


@pytest.fixture
def trickle():
    """A connection whose client declares a body of 1,000 bytes and sends only 10."""
    server, client = socket.socketpair()
    client.sendall(b'[{"actor":')
    yield server
    server.close()
    client.close()


def test_an_anonymous_body_is_refused_before_a_byte_of_it_is_read():
    status, headers, body, _elapsed = _call(stream=_Unreadable())
    assert status == 401
    assert headers["WWW-Authenticate"] == 'Basic realm="xAPI"'
    assert headers["X-Experience-API-Version"]
    assert body["error"]["message"].startswith("authentication is required")


@pytest.mark.parametrize(
    "path", ["/xapi/statements", "/xapi/activities/state", "/xapi/agents/profile"]
)
def test_wrong_credentials_are_refused_before_the_body_on_every_resource(path):
    lrs_client = make_client()
    status, _headers, body, _elapsed = _call(
        method="PUT",
        path=path,
        headers={"Authorization": basic(lrs_client, "not-the-secret")},
        stream=_Unreadable(),
    )
    assert status == 401
    assert "wrong secret" in body["error"]["message"]


def test_about_stays_open_to_anyone_and_reads_no_body():
    status, _headers, body, _elapsed = _call(method="GET", path="/xapi/about", stream=_Unreadable())
    assert status == 200
    assert "version" in body


def test_a_slow_anonymous_client_is_answered_at_once_and_holds_nothing(trickle):
    trickle.settimeout(30)  # as a sync worker's blocking socket: a read would wait
    status, _headers, _body, elapsed = _call(stream=trickle.makefile("rb"), sock=trickle)
    assert status == 401
    # A read of the body would wait for the socket's 30 s; the answer comes before any read.
    # The bound leaves room for a worker's first request (0.56 s once on a quiet machine).
    assert elapsed < 2
    trickle.setblocking(False)
    assert trickle.recv(100) == b'[{"actor":'  # still unread


def test_a_body_that_does_not_arrive_in_time_is_answered_408(trickle, settings):
    settings.XAPI_BODY_SECONDS = 0.5
    lrs_client = make_client()
    status, _headers, body, elapsed = _call(
        headers={"Authorization": basic(lrs_client)},
        stream=trickle.makefile("rb"),
        sock=trickle,
    )
    assert status == 408
    assert body["error"]["message"] == "the request body did not arrive within 0.5 seconds"
    assert 0.5 <= elapsed < 2
    assert not Statement.objects.exists()


def test_the_alternate_syntax_carries_credentials_in_the_body_under_the_same_limit(
    migration_data, trickle, settings
):
    settings.XAPI_BODY_SECONDS = 0.5
    status, _headers, _body, elapsed = _call(
        query="method=PUT",
        stream=trickle.makefile("rb"),
        sock=trickle,
    )
    assert status == 408
    assert elapsed < 2


def test_a_body_sent_in_pieces_within_the_limit_is_stored(settings):
    settings.XAPI_BODY_SECONDS = 5
    lrs_client = make_client()
    payload = json.dumps([statement()]).encode()
    server, client = socket.socketpair()

    def send():
        for start in range(0, len(payload), 40):
            client.sendall(payload[start : start + 40])
            time.sleep(0.01)

    sender = threading.Thread(target=send)
    sender.start()
    try:
        status, _headers, body, _elapsed = _call(
            headers={"Authorization": basic(lrs_client)},
            stream=server.makefile("rb"),
            sock=server,
            length=len(payload),
        )
    finally:
        sender.join()
        server.close()
        client.close()
    assert status == 200, body
    assert Statement.objects.count() == 1
