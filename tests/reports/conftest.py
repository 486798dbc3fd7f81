import pytest

from tests.factories import totp_enable


@pytest.fixture
def sign_in_as(make_user, client):
    """Sign a user of ``role`` in (staff roles need a second factor before anything else)."""

    def sign_in(role, **kwargs):
        user = make_user(role=role, **kwargs)
        if role != "trainee":
            totp_enable(user)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def coordinator(sign_in_as):
    return sign_in_as("coordinator")


@pytest.fixture(autouse=True)
def _english():
    """Reverse URLs and read messages in English (French is tested where it matters)."""
    from django.utils import translation

    with translation.override("en"):
        yield
