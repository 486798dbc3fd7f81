import pytest

from lms.xapi import scopes
from tests.xapi.documents.helpers import Documents, basic_auth, lrs_client_make


@pytest.fixture
def docs(client, db):
    return Documents(client, basic_auth(lrs_client_make(scopes.ALL)))


@pytest.fixture
def docs_for(client, db):
    """Documents calls with a client holding only the given scopes."""

    def make(*granted):
        return Documents(client, basic_auth(lrs_client_make(*granted, name="Scoped tool")))

    return make
