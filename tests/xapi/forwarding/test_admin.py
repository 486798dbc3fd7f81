"""Forwarding in the Wagtail admin: administrators configure targets, see failures and
retry them."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.xapi.forwarding.models import ForwardingDelivery, ForwardingTarget
from tests.factories import totp_enable


def signed_in(client, user):
    totp_enable(user)
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, make_user):
    return signed_in(client, make_user("administrator"))


def failed_delivery(target, error="HTTP 503: maintenance") -> ForwardingDelivery:
    return ForwardingDelivery.objects.create(
        target=target,
        statement_id=uuid.uuid4(),
        state="failed",
        attempts=3,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )


@pytest.mark.django_db
def test_administrator_adds_a_target(admin_client):
    response = admin_client.post(
        "/admin/xapi_forwarding_targets/new/",
        {
            "name": "Ministry LRS",
            "endpoint": "https://lrs.example.org/xapi/",
            "username": "key",
            "password": "secret",
            "version": "1.0.3",
            "active": "on",
            "verb_ids": "http://adlnet.gov/expapi/verbs/completed",
            "activity_types": "",
        },
    )

    assert response.status_code == 302
    target = ForwardingTarget.objects.get()
    assert target.verb_id_set == {"http://adlnet.gov/expapi/verbs/completed"}
    assert target.activity_type_set == frozenset()


@pytest.mark.django_db
def test_failures_are_listed_with_state_attempts_and_error(
    admin_client, django_assert_max_num_queries
):
    target = ForwardingTarget.objects.create(name="Ministry LRS", endpoint="https://x.example/")
    for _number in range(5):
        failed_delivery(target)

    with django_assert_max_num_queries(30):
        response = admin_client.get("/admin/xapi_forwarding_deliveries/?state=failed")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("HTTP 503: maintenance") == 5
    assert "Ministry LRS" in html


@pytest.mark.django_db
def test_retry_now_makes_a_failed_delivery_due(admin_client, django_capture_on_commit_callbacks):
    target = ForwardingTarget.objects.create(
        name="Ministry LRS", endpoint="http://127.0.0.1:9/xapi/", active=False
    )
    delivery = failed_delivery(target)

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post("/admin/xapi/forwarding/retry/", {"delivery": delivery.pk})

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.next_attempt_at <= timezone.now()
    assert len(callbacks) == 1  # the sending task is scheduled


@pytest.mark.django_db
def test_trainers_see_no_forwarding(client, make_user):
    trainer = signed_in(client, make_user("trainer"))
    target = ForwardingTarget.objects.create(name="Ministry LRS", endpoint="https://x.example/")
    delivery = failed_delivery(target)

    assert trainer.get("/admin/xapi_forwarding_deliveries/").status_code in (302, 403)
    assert trainer.get("/admin/xapi_forwarding_targets/new/").status_code in (302, 403)
    refused = trainer.post("/admin/xapi/forwarding/retry/", {"delivery": delivery.pk})
    assert refused.status_code == 403
