"""Fixtures for the pure xAPI spec tests: a minimal valid Statement and a rejection check."""

import copy

import pytest

from lms.xapi.spec import XAPIValidationError, validate_statement

MINIMAL = {
    "id": "12345678-1234-5678-1234-567812345678",
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/created", "display": {"en-US": "created"}},
    "object": {"id": "http://example.adlnet.gov/xapi/example/activity"},
}


@pytest.fixture
def statement():
    """Data 2.4.s2: the simplest Statement using every property that MUST or SHOULD be used."""
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def substatement_statement(statement):
    """A Statement whose object is a minimal SubStatement."""
    statement["object"] = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:test@example.com"},
        "verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
        "object": {"id": "http://example.com/website"},
    }
    return statement


@pytest.fixture
def reject():
    """Assert a Statement is rejected at exactly ``path``; return the error."""

    def check(data, path, *, says=None):
        with pytest.raises(XAPIValidationError) as caught:
            validate_statement(data)
        error = caught.value
        assert error.path == path, str(error)
        if says is not None:
            assert says in error.message, error.message
        assert str(error) == f"{path}: {error.message}"
        return error

    return check
