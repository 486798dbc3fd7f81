import base64
import json

import pytest

from lms.xapi import scopes
from lms.xapi.models import LRSClient

VERSION = "1.0.3"
SECRET = "s3cret-value"


def make_client(*, scopes_list=(scopes.ALL,), name="Test tool", active=True) -> LRSClient:
    client = LRSClient(name=name, scopes=list(scopes_list), active=active)
    client.secret_set(SECRET)
    client.save()
    return client


def basic(client: LRSClient, secret: str = SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()


class XAPIClient:
    """Django test client speaking xAPI: version header and credentials on every call."""

    def __init__(self, django_client, lrs_client, version=VERSION):
        self.client = django_client
        self.lrs_client = lrs_client
        self.version = version

    def headers(self, extra=None):
        headers = {}
        if self.version:
            headers["X-Experience-API-Version"] = self.version
        if self.lrs_client is not None:
            headers["Authorization"] = basic(self.lrs_client)
        headers.update(extra or {})
        return headers

    def get(self, path, params=None, headers=None):
        return self.client.get(path, params or {}, headers=self.headers(headers))

    def head(self, path, params=None, headers=None):
        return self.client.head(path, params or {}, headers=self.headers(headers))

    def post(self, path, data, *, content_type="application/json", headers=None):
        body = data if isinstance(data, bytes | str) else json.dumps(data)
        return self.client.post(
            path, body, content_type=content_type, headers=self.headers(headers)
        )

    def put(self, path, data, *, content_type="application/json", headers=None):
        body = data if isinstance(data, bytes | str) else json.dumps(data)
        return self.client.put(path, body, content_type=content_type, headers=self.headers(headers))


@pytest.fixture
def lrs_client(db):
    return make_client()


@pytest.fixture
def xapi(client, lrs_client):
    return XAPIClient(client, lrs_client)


def statement(**overrides) -> dict:
    data = {
        "actor": {"objectType": "Agent", "mbox": "mailto:awa@example.org", "name": "Awa"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": "http://example.org/activities/course-1",
            "definition": {"name": {"en": "Course one"}},
        },
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, make_user):
    """A signed-in administrator (with the second factor) in the Django test client."""
    from tests.factories import totp_enable

    user = make_user("administrator")
    totp_enable(user)
    client.force_login(user)
    return client
