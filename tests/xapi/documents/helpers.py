"""Helpers for the document resource tests."""

import base64
import json
from urllib.parse import urlencode

from lms.xapi.models import LRSClient

VERSION = "1.0.3"
ACTIVITY = "http://example.org/activities/course-1"
AGENT = {"objectType": "Agent", "mbox": "mailto:awa@example.org", "name": "Awa"}
REGISTRATION = "1d3bfd0a-3c6e-4a2f-9a59-7a0d3c1b2e40"
SECRET = "document-secret"


def lrs_client_make(*granted, name="Document tool") -> LRSClient:
    client = LRSClient(name=name, scopes=list(granted))
    client.secret_set(SECRET)
    client.save()
    return client


def basic_auth(client: LRSClient) -> str:
    return "Basic " + base64.b64encode(f"{client.key}:{SECRET}".encode()).decode()


class Documents:
    """Django test client calls on the document resources, with the xAPI headers."""

    def __init__(self, django_client, authorization):
        self.client = django_client
        self.authorization = authorization

    def call(self, method, path, params, *, body=b"", content_type=None, headers=None):
        query = {
            key: json.dumps(value) if isinstance(value, dict) else value
            for key, value in params.items()
        }
        sent = {"X-Experience-API-Version": VERSION}
        if self.authorization:
            sent["Authorization"] = self.authorization
        sent.update(headers or {})
        if isinstance(body, dict | list):
            body = json.dumps(body)
            content_type = content_type or "application/json"
        return self.client.generic(
            method,
            f"/xapi/{path}?{urlencode(query)}",
            data=body,
            content_type=content_type or "application/octet-stream",
            headers=sent,
        )

    def get(self, path, params, **kwargs):
        return self.call("GET", path, params, **kwargs)

    def put(self, path, params, body, **kwargs):
        return self.call("PUT", path, params, body=body, **kwargs)

    def post(self, path, params, body, **kwargs):
        return self.call("POST", path, params, body=body, **kwargs)

    def delete(self, path, params, **kwargs):
        return self.call("DELETE", path, params, **kwargs)


def state_params(**overrides):
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


def error_message(response) -> str:
    return response.json()["error"]["message"]
