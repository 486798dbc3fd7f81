"""The HTTP client that talks to external LRSs: TinCanPython's RemoteLRS, with two changes.

- A timeout: RemoteLRS opens connections without one, so a target that accepts a connection
  and never answers would hang the sender for ever.
- Any 1.0.x or 2.0.x version header: RemoteLRS only knows 1.0.0 and 1.0.1, while the
  target may speak 1.0.3 (the patch versions are compatible, Communication 3.3) or 2.0.
- About read as JSON: RemoteLRS.about() refuses an About listing a version it does not
  know, such as 2.0.0.
- Statements are sent as the JSON this LRS stored, not through TinCanPython's Statement
  model, which rewrites them (it drops null extension values, reformats durations such as
  "PT1H0M0S" into "PT01H00M00S" and rejects UUIDs that are not RFC 4122), so the target
  would store a different statement, or answer 409 to a re-sent one.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlencode, urlparse

from tincan import RemoteLRS
from tincan.http_request import HTTPRequest
from tincan.lrs_response import LRSResponse

DEFAULT_TIMEOUT_SECONDS = 30.0


class ForwardingLRS(RemoteLRS):
    """RemoteLRS with a socket timeout and a save of raw statement JSON."""

    _props = [*RemoteLRS._props, "timeout"]

    def __init__(self, *args, timeout: float = DEFAULT_TIMEOUT_SECONDS, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timeout = timeout

    @property
    def timeout(self) -> float:
        return self._timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        self._timeout = float(value)

    @property
    def version(self) -> str:
        return self._version

    @version.setter
    def version(self, value: str | None) -> None:
        if value is not None and not str(value).startswith(("1.0", "2.0")):
            raise ValueError(
                f"unsupported xAPI version {value!r}; this client speaks 1.0.x and 2.0.x"
            )
        self._version = str(value) if value is not None else "1.0.3"

    def about_versions(self) -> list[str] | None:
        """GET about (Communication 2.7; 2.8 in 2.0): the versions the LRS lists, or None
        when it does not answer a usable About."""
        response = self._send_request(HTTPRequest(method="GET", resource="about"))
        if not response.success:
            return None
        try:
            data = json.loads(response.data)
        except (TypeError, ValueError):
            return None
        versions = data.get("version") if isinstance(data, dict) else None
        if not isinstance(versions, list):
            return None
        return [item for item in versions if isinstance(item, str)]

    def save_statements_raw(self, statements_json: str) -> LRSResponse:
        """POST /statements with a JSON array of statements exactly as given (the request
        RemoteLRS.save_statements makes, without re-serialising the statements)."""
        request = HTTPRequest(method="POST", resource="statements")
        request.headers["Content-Type"] = "application/json"
        request.content = statements_json.encode("utf-8")
        return self._send_request(request)

    def _send_request(self, request: HTTPRequest) -> LRSResponse:
        # RemoteLRS._send_request, with ``timeout`` passed to the connection.
        # About is asked without a version: it is how a client learns which to send, and
        # an LRS answers a 1.0.x request with the 1.0.x versions only.
        headers = {} if request.resource == "about" else {"X-Experience-API-Version": self.version}
        if self.auth is not None:
            headers["Authorization"] = self.auth
        headers.update(request.headers)
        params = urlencode({key: str(value) for key, value in request.query_params.items()})
        url = (
            request.resource
            if request.resource.startswith("http")
            else self.endpoint + (request.resource)
        )
        parsed = urlparse(url)
        connection_class = (
            http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parsed.hostname, parsed.port, timeout=self.timeout)
        path = parsed.path or "/"
        query = "&".join(part for part in (parsed.query, params) if part)
        if query:
            path += "?" + query
        try:
            connection.request(
                method=request.method,
                url=path,
                body=getattr(request, "content", None),
                headers=headers,
            )
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        success = 200 <= response.status < 300 or (
            response.status == 404 and getattr(request, "ignore404", False)
        )
        return LRSResponse(success=success, request=request, response=response, data=data)
