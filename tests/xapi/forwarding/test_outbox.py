"""The forwarding outbox: filters, written with the statements or not at all, backoff."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command

from lms.xapi.forwarding.models import ForwardingDelivery, ForwardingTarget
from lms.xapi.forwarding.services import (
    backoff_delay,
    deliveries_retry,
    deliveries_send,
    statement_forwardable,
)
from lms.xapi.hooks import register_statement_consumer, unregister_statement_consumer
from lms.xapi.services import statement_store

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://lms.example", "name": "t"}}
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
COURSE = "http://adlnet.gov/expapi/activities/course"
MODULE = "http://adlnet.gov/expapi/activities/module"


def statement(verb=COMPLETED, activity_type=COURSE, activity_id=None) -> dict:
    target = {
        "objectType": "Activity",
        "id": activity_id or f"https://lms.example/a/{uuid.uuid4()}",
    }
    if activity_type:
        target["definition"] = {"type": activity_type}
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": "mailto:awa@example.org"},
        "verb": {"id": verb},
        "object": target,
    }


def target_make(name="Partner LRS", **fields) -> ForwardingTarget:
    return ForwardingTarget.objects.create(
        name=name, endpoint="http://127.0.0.1:9/xapi/", username="k", password="s", **fields
    )


def queued(target) -> set[str]:
    return {str(item) for item in target.deliveries.values_list("statement_id", flat=True)}


@pytest.mark.parametrize(
    ("verbs", "types", "verb", "kind", "expected"),
    [
        (set(), set(), COMPLETED, None, True),
        ({COMPLETED}, set(), COMPLETED, None, True),
        ({COMPLETED}, set(), ATTEMPTED, COURSE, False),
        (set(), {COURSE}, ATTEMPTED, COURSE, True),
        (set(), {COURSE}, ATTEMPTED, MODULE, False),
        (set(), {COURSE}, ATTEMPTED, None, False),
        ({COMPLETED}, {COURSE}, COMPLETED, MODULE, False),
        ({COMPLETED}, {COURSE}, COMPLETED, COURSE, True),
    ],
)
def test_filters_by_verb_and_activity_type(verbs, types, verb, kind, expected):
    assert (
        statement_forwardable(
            verb_ids=frozenset(verbs),
            activity_types=frozenset(types),
            verb_id=verb,
            activity_type=kind,
        )
        is expected
    )


@pytest.mark.django_db
def test_each_active_target_queues_the_statements_its_filters_let_through():
    everything = target_make("Everything")
    completions = target_make("Completions", verb_ids=f"{COMPLETED}\n\n")
    courses = target_make("Courses", activity_types=f" {COURSE} ")
    target_make("Switched off", active=False)
    done_course = statement(COMPLETED, COURSE)
    tried_module = statement(ATTEMPTED, MODULE)
    tried_course = statement(ATTEMPTED, COURSE)

    statement_store(statements=[done_course, tried_module, tried_course], authority=AUTHORITY)

    assert queued(everything) == {done_course["id"], tried_module["id"], tried_course["id"]}
    assert queued(completions) == {done_course["id"]}
    assert queued(courses) == {done_course["id"], tried_course["id"]}
    assert ForwardingDelivery.objects.count() == 6
    assert set(ForwardingDelivery.objects.values_list("state", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_an_activity_sent_without_its_type_is_matched_by_its_canonical_definition():
    courses = target_make("Courses", activity_types=COURSE)
    activity_id = "https://lms.example/a/course-7"
    statement_store(statements=[statement(activity_id=activity_id)], authority=AUTHORITY)
    bare = statement(activity_type=None, activity_id=activity_id)

    statement_store(statements=[bare], authority=AUTHORITY)

    assert bare["id"] in queued(courses)


@pytest.mark.django_db
def test_the_outbox_is_written_in_the_statements_transaction_or_not_at_all():
    target_make()

    def failing_consumer(stored):
        raise RuntimeError("a later consumer failed")

    register_statement_consumer(failing_consumer, phase="in_transaction")
    try:
        with pytest.raises(RuntimeError):
            statement_store(statements=[statement(), statement()], authority=AUTHORITY)
    finally:
        unregister_statement_consumer(failing_consumer)

    from lms.xapi.models import Statement

    assert not Statement.objects.exists()
    assert not ForwardingDelivery.objects.exists()


@pytest.mark.django_db
def test_a_re_sent_statement_is_not_queued_twice():
    target = target_make()
    first = statement()
    statement_store(statements=[first], authority=AUTHORITY)

    statement_store(statements=[first], authority=AUTHORITY)

    assert target.deliveries.count() == 1


def test_backoff_doubles_up_to_six_hours():
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(30) == timedelta(hours=6)


@pytest.mark.django_db
def test_a_target_that_refuses_connections_fails_with_backoff_and_retry_now():
    target = target_make()
    statement_store(statements=[statement()], authority=AUTHORITY)

    report = deliveries_send(timeout=2)

    delivery = target.deliveries.get()
    assert (report.delivered, report.failed) == (0, 1)
    assert delivery.state == "failed"
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("ConnectionRefusedError")
    assert delivery.next_attempt_at > delivery.created_at + timedelta(seconds=25)
    assert deliveries_send(timeout=2).failed == 0  # not due yet
    assert deliveries_retry(target=target) == 1
    assert deliveries_send(timeout=2).failed == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2


@pytest.mark.django_db
def test_the_command_reports_what_it_sent(capsys):
    target_make()
    statement_store(statements=[statement()], authority=AUTHORITY)

    call_command("xapi_forward", "--timeout", "2")

    assert capsys.readouterr().out.strip() in {
        "Delivered: 0. Failed (will be retried): 1.",
        "Livrées\u202f: 0. En échec (nouvel essai plus tard)\u202f: 1.",
    }
