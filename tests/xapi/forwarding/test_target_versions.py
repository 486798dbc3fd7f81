"""Forwarding knows each target's xAPI versions from its About (Communication 2.7; 2.8 in
2.0), sends the latest it lists, converts a statement for a 1.0.x target, and holds back,
with the reason shown, what 1.0.3 cannot carry."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.xapi.forwarding.models import ForwardingDelivery, ForwardingTarget
from lms.xapi.forwarding.services import (
    deliveries_retry,
    deliveries_send,
    statement_for_target,
    target_version_choose,
)
from lms.xapi.services import statement_store
from tests.xapi.forwarding.conftest import TARGET_SECRET

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://lms.example", "name": "src"}}
CONTEXT_AGENT = {
    "objectType": "contextAgent",
    "agent": {"objectType": "Agent", "mbox": "mailto:instructor@example.org"},
}


def _statement(**extra) -> dict:
    data = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://lms.example", "name": "person-1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"https://lms.example/xapi/activities/course/{uuid.uuid4()}"},
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("listed", "configured", "chosen"),
    [
        (["2.0.0", "1.0.3"], "1.0.3", "2.0.0"),
        (["1.0.0", "1.0.3", "1.0.1"], "1.0.0", "1.0.3"),
        ([], "1.0.2", "1.0.2"),
        (["0.95"], "1.0.3", "1.0.3"),
    ],
)
def test_communication_2_7_target_version_is_the_latest_its_about_lists(listed, configured, chosen):
    target = ForwardingTarget(name="t", endpoint="http://x/xapi/", version=configured)
    target.about_versions = listed
    assert target_version_choose(target) == chosen


def test_statement_for_a_1_0_target_is_converted_or_held_back_with_its_reason():
    plain = json.dumps(_statement(version="2.0.0"))
    text, reason = statement_for_target(plain, "1.0.3")
    assert json.loads(text)["version"] == "1.0.3" and reason == ""
    rich = json.dumps(_statement(version="2.0.0", context={"contextAgents": [CONTEXT_AGENT]}))
    text, reason = statement_for_target(rich, "1.0.3")
    assert text is None
    assert "cannot carry context.contextAgents" in reason
    assert statement_for_target(rich, "2.0.0") == (rich, "")


@pytest.mark.django_db
def test_forwarding_reads_about_sends_2_0_and_holds_back_for_a_1_0_target(target_lrs):
    target = ForwardingTarget.objects.create(
        name="Second LRS",
        endpoint=target_lrs.endpoint,
        username=target_lrs.key,
        password=TARGET_SECRET,
        version="1.0.3",
    )
    rich = _statement(context={"contextAgents": [CONTEXT_AGENT]})
    statement_store(statements=[rich], authority=AUTHORITY, version="2.0.0")
    # As if the target's About had just said 1.0.x only: held back, with the reason.
    ForwardingTarget.objects.filter(pk=target.pk).update(
        about_versions=["1.0.3"], about_read_at=timezone.now()
    )
    report = deliveries_send(timeout=10)
    assert (report.delivered, report.held) == (0, 1)
    delivery = ForwardingDelivery.objects.get()
    assert delivery.state == ForwardingDelivery.State.HELD
    assert "cannot carry context.contextAgents" in delivery.last_error
    assert deliveries_send(timeout=10).held == 0  # not retried on a timer

    # An hour later the About is read again: the target (this platform) lists 2.0.0, the
    # held delivery is due again and goes out as stored.
    ForwardingTarget.objects.filter(pk=target.pk).update(
        about_read_at=timezone.now() - timedelta(hours=2)
    )
    report = deliveries_send(timeout=10)
    assert report.delivered == 1
    target.refresh_from_db()
    assert target.about_versions[0] == "2.0.0"
    assert ForwardingDelivery.objects.get().state == ForwardingDelivery.State.DELIVERED
    assert deliveries_retry(target=target) == 0
