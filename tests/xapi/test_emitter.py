"""The platform's emitter (issue 3 item 9; DESIGN.md xAPI conventions)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import transaction

from lms.xapi.emitter import (
    ActivityRef,
    EmitResult,
    Verb,
    statement_emit,
    statement_id_for,
    statement_void,
    statements_emit_many,
)
from lms.xapi.models import Activity, Statement

PERSON = uuid.UUID("11111111-2222-4333-8444-555555555555")
COURSE = ActivityRef(
    kind="course",
    uuid=uuid.UUID("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"),
    name={"fr": "Neutralisation", "en": "Disposal"},
)
MODULE = ActivityRef(
    kind="module",
    uuid=uuid.UUID("aaaaaaaa-bbbb-4ccc-8ddd-000000000001"),
    name={"fr": "M", "en": "M"},
)


@pytest.mark.django_db
def test_emit_stores_a_statement_with_account_actor_and_deterministic_id(settings):
    statement_id = statement_emit(
        event_key="module-complete:1",
        person_uuid=PERSON,
        verb=Verb.COMPLETED,
        activity=MODULE,
        result=EmitResult(score_scaled=0.8, success=True, duration=timedelta(seconds=90)),
        registration=uuid.UUID("99999999-2222-4333-8444-555555555555"),
        parent=COURSE,
    )
    assert statement_id == statement_id_for("module-complete:1")
    row = Statement.objects.get()
    data = json.loads(row.raw)
    assert data["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(PERSON)},
    }
    assert data["object"]["id"] == f"{settings.SITE_URL}/xapi/activities/module/{MODULE.uuid}"
    assert data["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
    assert data["verb"]["display"] == {"fr": "a terminé", "en": "completed"}
    assert data["result"] == {
        "score": {"scaled": 0.8},
        "success": True,
        "duration": "PT90S",
    }
    assert data["context"]["contextActivities"]["parent"][0]["id"] == COURSE.iri
    assert data["authority"]["account"]["name"] == "platform"
    assert data["version"] == "1.0.3"
    assert row.registration == uuid.UUID("99999999-2222-4333-8444-555555555555")
    assert Activity.objects.filter(activity_id=COURSE.iri).exists()


@pytest.mark.django_db
def test_emit_twice_with_the_same_event_key_stores_once():
    first = statement_emit(event_key="k", person_uuid=PERSON, verb=Verb.LAUNCHED, activity=COURSE)
    second = statement_emit(event_key="k", person_uuid=PERSON, verb=Verb.LAUNCHED, activity=COURSE)
    assert first == second
    assert Statement.objects.count() == 1


@pytest.mark.django_db
def test_emit_rolls_back_with_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        statement_emit(event_key="k", person_uuid=PERSON, verb=Verb.LAUNCHED, activity=COURSE)
        raise RuntimeError("the change failed")
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_emit_many_is_one_batch_and_idempotent(django_assert_max_num_queries):
    events = [
        {"event_key": f"e{i}", "person_uuid": PERSON, "verb": Verb.ATTENDED, "activity": COURSE}
        for i in range(50)
    ]
    with django_assert_max_num_queries(16):
        ids = statements_emit_many(events)
    assert len(set(ids)) == 50
    assert statements_emit_many(events) == ids
    assert Statement.objects.count() == 50


@pytest.mark.django_db
def test_void_marks_the_target_voided():
    target = statement_emit(event_key="k", person_uuid=PERSON, verb=Verb.PASSED, activity=COURSE)
    voiding = statement_void(event_key="void:k", target_id=target, person_uuid=PERSON)
    assert Statement.objects.get(statement_id=target).voided is True
    assert Statement.objects.get(statement_id=voiding).is_voiding is True


def test_result_score_out_of_range_is_refused_by_the_strict_model():
    from pydantic import ValidationError

    from lms.xapi.emitter import statement_build

    with pytest.raises(ValidationError):
        statement_build(
            event_key="x",
            person_uuid=PERSON,
            verb=Verb.PASSED,
            activity=COURSE,
            result=EmitResult(score_scaled=1.5),
        )
