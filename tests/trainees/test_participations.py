"""Participations land in the LRS with the expected verbs; corrections void and re-state."""

import datetime
import json
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from lms.xapi.emitter import ActivityRef, Verb, statement_emit, statement_void
from lms.xapi.models import Statement
from tests.trainees.factories import PersonFactory, TrainingEventFactory
from trainees.models import Participation
from trainees.selectors import CountScope, people_count
from trainees.services import Provenance, participation_record, participation_void

pytestmark = pytest.mark.django_db


def _statement(statement_id):
    row = Statement.objects.get(statement_id=statement_id)
    return row, json.loads(row.raw)


@pytest.mark.parametrize(
    ("outcome", "verb", "success", "completion"),
    [
        ("attended", Verb.ATTENDED, None, None),
        ("completed", Verb.COMPLETED, None, True),
        ("passed", Verb.PASSED, True, True),
        ("failed", Verb.FAILED, False, None),
    ],
)
def test_participation_emits_its_statement(outcome, verb, success, completion):
    person = PersonFactory()
    event = TrainingEventFactory(title="NEDEX niveau 1", start_date=datetime.date(2023, 4, 3))
    participation = participation_record(
        person=person, event=event, outcome=outcome, score=80.0, source="manual"
    )
    row, statement = _statement(participation.statement_id)
    assert statement["verb"]["id"] == str(verb)
    assert statement["actor"]["account"] == {
        "homePage": settings.SITE_URL,
        "name": str(person.public_id),
    }
    assert (
        statement["object"]["id"] == f"{settings.SITE_URL}/xapi/activities/event/{event.public_id}"
    )
    grouping = statement["context"]["contextActivities"]["grouping"][0]["id"]
    assert grouping == f"{settings.SITE_URL}/xapi/activities/programme/{event.programme.public_id}"
    assert statement["result"]["score"] == {"scaled": 0.8, "raw": 80.0, "min": 0.0, "max": 100.0}
    assert statement["result"].get("success") is success
    assert statement["result"].get("completion") is completion
    assert statement["timestamp"].startswith("2023-04-03")
    assert row.voided is False


def test_recording_twice_is_one_participation_and_one_statement():
    person, event = PersonFactory(), TrainingEventFactory()
    first = participation_record(
        person=person,
        event=event,
        outcome="passed",
        source="roster",
        provenance=Provenance(source_file="liste.csv", source_row=4),
    )
    again = participation_record(person=person, event=event, outcome="passed", source="roster")
    assert again.pk == first.pk
    assert again.statement_id == first.statement_id
    assert Participation.objects.count() == 1
    assert Statement.objects.count() == 1
    assert (again.source_file, again.source_row) == ("liste.csv", 4)


def test_changed_outcome_voids_the_earlier_statement_and_states_the_new_one():
    person, event = PersonFactory(), TrainingEventFactory()
    first = participation_record(person=person, event=event, outcome="passed", source="manual")
    first_statement = first.statement_id
    corrected = participation_record(person=person, event=event, outcome="failed", source="manual")
    assert corrected.statement_id != first_statement
    assert Statement.objects.get(statement_id=first_statement).voided is True
    _row, statement = _statement(corrected.statement_id)
    assert statement["verb"]["id"] == str(Verb.FAILED)
    assert people_count(scope=CountScope()) == 0
    # back to passed: a third statement, not the voided first one again
    back = participation_record(person=person, event=event, outcome="passed", source="manual")
    assert back.statement_id not in (first_statement, corrected.statement_id)
    assert Statement.objects.get(statement_id=back.statement_id).voided is False
    assert people_count(scope=CountScope()) == 1


def test_participation_void_voids_the_statement_and_leaves_the_counts():
    person, event = PersonFactory(), TrainingEventFactory()
    participation = participation_record(
        person=person, event=event, outcome="completed", source="manual"
    )
    participation_void(participation=participation, reason="wrong roster")
    participation.refresh_from_db()
    assert participation.voided is True
    assert participation.void_reason == "wrong roster"
    assert Statement.objects.get(statement_id=participation.statement_id).voided is True
    assert people_count(scope=CountScope(outcomes=("attended",))) == 0


def test_a_statement_voided_in_the_lrs_voids_its_participation(django_capture_on_commit_callbacks):
    person, event = PersonFactory(), TrainingEventFactory()
    participation = participation_record(
        person=person, event=event, outcome="completed", source="manual"
    )
    with django_capture_on_commit_callbacks(execute=True):
        statement_void(
            event_key="external-void",
            target_id=participation.statement_id,
            person_uuid=person.public_id,
        )
    participation.refresh_from_db()
    assert participation.voided is True
    assert people_count(scope=CountScope(outcomes=("attended",))) == 0


def test_a_merged_person_is_recorded_on_the_survivor():
    survivor = PersonFactory()
    merged = PersonFactory(merged_into=survivor)
    participation = participation_record(
        person=merged, event=TrainingEventFactory(), outcome="passed", source="manual"
    )
    assert participation.person == survivor


def test_bad_outcome_and_score_are_refused():
    person, event = PersonFactory(), TrainingEventFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        participation_record(person=person, event=event, outcome="réussi", source="manual")
    assert error.value.message_dict == {"outcome": ["Unknown outcome: réussi."]}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        participation_record(
            person=person, event=event, outcome="passed", score=120, source="manual"
        )
    assert error.value.message_dict == {"score": ["The score must be between 0 and 100."]}
    assert Participation.objects.count() == 0


def test_statement_from_an_email_actor_is_linked_to_the_person(
    django_capture_on_commit_callbacks, make_user
):
    from trainees.models import StatementActor
    from trainees.selectors import person_agents
    from trainees.services import person_for_user_ensure

    user = make_user(role="trainee", email="awa@example.org")
    person = person_for_user_ensure(user=user)
    activity = ActivityRef(kind="course", uuid=uuid.uuid4(), name={"fr": "Cours", "en": "Course"})
    from lms.xapi.services.statements import statement_store

    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:awa@example.org"},
        "verb": {"id": str(Verb.EXPERIENCED)},
        "object": activity.as_json(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        statement_store(statements=[statement], authority={"mbox": "mailto:tool@example.org"})
    link = StatementActor.objects.get()
    assert link.person == person
    assert str(link.statement_id) == statement["id"]
    agents = person_agents(agent_key="mbox:mailto:awa@example.org")
    assert {"objectType": "Agent", "mbox": "mailto:awa@example.org"} in agents
    assert {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(person.public_id)},
    } in agents
    # an own-account statement is not linked again
    with django_capture_on_commit_callbacks(execute=True):
        statement_emit(
            event_key="own",
            person_uuid=person.public_id,
            verb=Verb.EXPERIENCED,
            activity=activity,
        )
    assert StatementActor.objects.count() == 1
