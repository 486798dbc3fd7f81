"""Forwarding between two LRS instances: this process's LRS (the source, its in-process
store) and the same platform running as a separate server with its own database (the
target). The target goes down, deliveries fail and wait; it comes back, they are retried
and delivered; the target holds each statement exactly once."""

import uuid

import pytest
from django.utils import timezone

from lms.xapi.forwarding.models import ForwardingDelivery, ForwardingTarget
from lms.xapi.forwarding.services import deliveries_retry, deliveries_send
from lms.xapi.services import statement_store
from tests.xapi.forwarding.conftest import TARGET_SECRET

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://lms.example", "name": "src"}}


def statement(number: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://lms.example", "name": f"person-{number}"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
        "object": {"id": f"https://lms.example/xapi/activities/course/{uuid.uuid4()}"},
        "result": {"duration": "PT1H0M0S", "extensions": {"https://lms.example/x": None}},
    }


def states(target: ForwardingTarget) -> list[tuple[str, int]]:
    return sorted(target.deliveries.values_list("state", "attempts"))


@pytest.mark.django_db
def test_target_down_then_back_failed_retried_delivered_exactly_once(
    target_lrs, django_capture_on_commit_callbacks
):
    target = ForwardingTarget.objects.create(
        name="Second LRS",
        endpoint=target_lrs.endpoint,
        username=target_lrs.key,
        password=TARGET_SECRET,
        version="1.0.3",
    )
    batch = [statement(number) for number in range(5)]
    statement_store(statements=batch, authority=AUTHORITY)
    assert states(target) == [("pending", 0)] * 5

    target_lrs.stop()
    try:
        down = deliveries_send(batch_size=2, timeout=5)
    finally:
        target_lrs.start()

    assert (down.delivered, down.failed) == (0, 5)
    assert states(target) == [("failed", 1)] * 5
    assert target.deliveries.filter(last_error__startswith="ConnectionRefusedError").count() == 5
    assert deliveries_send(timeout=5).delivered == 0  # still backing off

    assert deliveries_retry(target=target) == 5
    back = deliveries_send(batch_size=2, timeout=10)

    assert (back.delivered, back.failed) == (5, 0)
    assert states(target) == [("delivered", 2)] * 5
    sent = sorted(item["id"].replace("-", "") for item in batch)
    assert sorted(target_lrs.statement_ids()) == sent

    # At least once: a delivery sent again (as after a crash before it was marked) is
    # accepted by the target without a second copy.
    ForwardingDelivery.objects.filter(target=target).update(
        state="pending", next_attempt_at=timezone.now()
    )
    again = deliveries_send(timeout=10)
    assert again.delivered == 5
    assert sorted(target_lrs.statement_ids()) == sent

    # New statements are sent by the background task scheduled on commit.
    late = statement(9)
    with django_capture_on_commit_callbacks(execute=True):
        statement_store(statements=[late], authority=AUTHORITY)
    assert target.deliveries.get(statement_id=late["id"]).state == "delivered"
    assert target_lrs.statement_ids().count(late["id"].replace("-", "")) == 1


@pytest.mark.django_db
def test_a_statement_the_target_refuses_does_not_hold_back_the_others(target_lrs):
    target = ForwardingTarget.objects.create(
        name="Second LRS",
        endpoint=target_lrs.endpoint,
        username=target_lrs.key,
        password=TARGET_SECRET,
    )
    good = [statement(1), statement(2)]
    statement_store(statements=good, authority=AUTHORITY)
    # The target already holds a different statement under this id: 409 for the batch.
    clash = statement(3)
    other = {**clash, "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}}
    from lms.xapi.forwarding.client import ForwardingLRS

    seed = ForwardingLRS(
        endpoint=target_lrs.endpoint, username=target_lrs.key, password=TARGET_SECRET
    )
    import json

    assert seed.save_statements_raw(json.dumps([other])).success
    statement_store(statements=[clash], authority=AUTHORITY)

    report = deliveries_send(batch_size=10, timeout=10)

    assert (report.delivered, report.failed) == (3, 0)
    for item in good:
        assert item["id"].replace("-", "") in target_lrs.statement_ids()
    assert target.deliveries.filter(state="delivered").count() == 3
