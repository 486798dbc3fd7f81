"""Online learning reaches the counts through the LRS: the registry's statement consumer turns
course outcomes (completed, passed, failed) into participations of the actor's person."""

import base64
import datetime
import importlib
import io
import json
import re
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import ModulePage
from courses.services.assessment import attempt_start, attempt_submit, attempt_token
from courses.services.enrolment import enrolment_create
from courses.services.progress import module_mark_done
from lms.xapi.emitter import ActivityRef, EmitResult, Verb, statement_emit, statement_void
from lms.xapi.hooks import register_statement_consumer, unregister_statement_consumer
from lms.xapi.models import LRSClient, Statement
from tests.courses.builders import attempt_answers, course_make
from tests.factories import totp_enable
from tests.trainees.factories import PersonFactory, TrainingEventFactory
from trainees.models import OnlineOutcome, Participation, Person
from trainees.selectors.counting import CountScope, people_breakdown, people_count
from trainees.services import participation_record, person_for_user_ensure
from trainees.services.statements import statements_consume

pytestmark = pytest.mark.django_db

TRAINED = CountScope(outcomes=("trained",))
ONLINE = CountScope(outcomes=("trained",), event_kinds=("online",))


@pytest.fixture
def awa(make_user):
    return make_user(
        role="trainee", username="awa", first_name="Awa", last_name="Traoré", email="awa@x.ml"
    )


def course_without_assessment(title="Sensibilisation NEM"):
    return course_make(
        title=title, questions=0, modules=(("Reconnaître", False),), programme_code="eod_iedd"
    )


def complete_online(user, course, run_on_commit):
    with run_on_commit():
        enrolment = enrolment_create(user=user, course=course)
    with run_on_commit():
        module_mark_done(
            enrolment=enrolment, module=ModulePage.objects.child_of(course).get(), course=course
        )
    return enrolment


def course_statement(enrolment, verb):
    return Statement.objects.get(
        registration=enrolment.public_id,
        verb_id=verb,
        object_activity_id__endswith=f"/course/{enrolment.course_key}",
    )


def test_online_completion_is_counted_once_with_its_course(home_page, awa, run_on_commit):
    course = course_without_assessment()
    enrolment = complete_online(awa, course, run_on_commit)

    participation = Participation.objects.get()
    completed = course_statement(enrolment, Verb.COMPLETED)
    assert participation.person == person_for_user_ensure(user=awa)
    assert participation.kind == "online" and participation.source == "online"
    assert participation.outcome == "completed"
    assert participation.course_public_id == course.translation_key
    assert participation.course_title == "Sensibilisation NEM"
    assert participation.programme.code == "eod_iedd"
    assert participation.enrolment_public_id == enrolment.public_id
    assert participation.statement_id == completed.statement_id
    assert participation.date == timezone.localtime(completed.timestamp).date()
    assert people_count(scope=TRAINED) == 1
    assert people_count(scope=ONLINE) == 1
    by_course = people_breakdown(scope=TRAINED, by="course")
    assert [(row.key, row.label, row.count) for row in by_course] == [
        (course.translation_key, "Sensibilisation NEM", 1)
    ]


def test_the_same_person_on_a_roster_is_still_counted_once(home_page, awa, run_on_commit):
    course = course_without_assessment()
    complete_online(awa, course, run_on_commit)
    person = Person.objects.get(user=awa)
    with run_on_commit():
        participation_record(person=person, event=TrainingEventFactory(), outcome="completed")
    assert Participation.objects.filter(person=person, voided=False).count() == 2
    assert people_count(scope=TRAINED) == 1
    assert people_count(scope=ONLINE) == 1


def test_a_voided_completion_is_not_counted(home_page, awa, run_on_commit):
    course = course_without_assessment()
    enrolment = complete_online(awa, course, run_on_commit)
    completed = course_statement(enrolment, Verb.COMPLETED)
    with run_on_commit():
        statement_void(
            event_key=f"void:{completed.statement_id}",
            target_id=completed.statement_id,
            person_uuid=Person.objects.get(user=awa).public_id,
        )
    participation = Participation.objects.get()
    assert participation.voided
    assert people_count(scope=TRAINED) == 0
    assert list(people_breakdown(scope=TRAINED, by="course")) == []


def test_failed_then_passed_is_counted_once_at_the_pass(home_page, awa, run_on_commit):
    course = course_make(questions=2, per_attempt=2, modules=(), programme_code="eod_iedd")
    with run_on_commit():
        enrolment = enrolment_create(user=awa, course=course)
    for right in (False, True):
        with run_on_commit():
            attempt = attempt_start(enrolment=enrolment, course=course)
        with run_on_commit():
            attempt_submit(
                user=awa,
                token=attempt_token(attempt=attempt),
                course=course,
                responses=attempt_answers(attempt, course, right=right),
            )
        if not right:
            failed = Participation.objects.get()
            assert failed.outcome == "failed" and failed.score == 0
            assert people_count(scope=TRAINED) == 0

    passed = Statement.objects.get(registration=enrolment.public_id, verb_id=Verb.PASSED)
    participation = Participation.objects.get()
    assert participation.outcome == "passed"
    assert participation.score == 100
    assert participation.statement_id == passed.statement_id
    assert participation.date == timezone.localtime(passed.timestamp).date()
    assert OnlineOutcome.objects.filter(delivery_id=enrolment.public_id).count() == 3
    assert people_count(scope=TRAINED) == 1


def external_outcome(person, course_key, verb, when, registration=None, success=None):
    return statement_emit(
        event_key=f"tool:{uuid.uuid4()}",
        person_uuid=person.public_id,
        verb=verb,
        activity=ActivityRef(kind="course", uuid=course_key, name={"en": "Tool course"}),
        result=EmitResult(success=success),
        registration=registration,
        timestamp=when,
    )


def test_the_date_is_when_the_learning_happened_and_a_void_falls_back(home_page, run_on_commit):
    """A pass after a failure updates the participation to the pass's date; voiding the pass
    leaves the failure (not trained), voiding that too voids the participation."""
    person = PersonFactory()
    course = course_without_assessment()
    day1 = timezone.make_aware(datetime.datetime(2024, 3, 1, 10))
    day5 = timezone.make_aware(datetime.datetime(2024, 3, 5, 23, 30))  # 6 March in Kolkata
    with run_on_commit():
        failed = external_outcome(person, course.translation_key, Verb.FAILED, day1, None, False)
    with run_on_commit():
        passed = external_outcome(person, course.translation_key, Verb.PASSED, day5, None, True)
    participation = Participation.objects.get()
    assert (participation.outcome, participation.date) == ("passed", timezone.localdate(day5))
    assert participation.course_title == "Sensibilisation NEM"
    assert participation.statement_id == passed
    with run_on_commit():
        statement_void(event_key=f"void:{passed}", target_id=passed, person_uuid=person.public_id)
    participation.refresh_from_db()
    assert (participation.outcome, participation.date) == ("failed", datetime.date(2024, 3, 1))
    assert not participation.voided and participation.statement_id == failed
    assert people_count(scope=TRAINED) == 0
    with run_on_commit():
        statement_void(event_key=f"void:{failed}", target_id=failed, person_uuid=person.public_id)
    participation.refresh_from_db()
    assert participation.voided


def test_consuming_a_batch_twice_changes_nothing(home_page, awa, run_on_commit):
    course = course_without_assessment()
    complete_online(awa, course, run_on_commit)
    before = list(Participation.objects.values("pk", "outcome", "date", "statement_id"))
    from trainees.services.online import online_outcomes_consume

    stored = Statement.objects.filter(verb_id=Verb.COMPLETED)
    assert stored.count() == 2  # the module's and the course's
    from trainees.services.online import _summary

    columns = ("statement_id", "verb_id", "object_activity_id", "actor_key", "registration")
    rows = stored.values_list(*columns, "timestamp", "stored", "raw")
    summaries = [_summary(row) for row in rows]
    assert online_outcomes_consume(stored=summaries) == 0
    assert list(Participation.objects.values("pk", "outcome", "date", "statement_id")) == before


def test_module_statements_and_unknown_actors_make_no_participation(home_page, run_on_commit):
    course = course_without_assessment()
    module = ModulePage.objects.child_of(course).get()
    with run_on_commit():
        statement_emit(
            event_key="tool:module",
            person_uuid=PersonFactory().public_id,
            verb=Verb.COMPLETED,
            activity=ActivityRef(kind="module", uuid=module.translation_key, name={"en": "M"}),
        )
        statement_emit(
            event_key="tool:nobody",
            person_uuid=uuid.uuid4(),  # nobody in the registry
            verb=Verb.COMPLETED,
            activity=ActivityRef(kind="course", uuid=course.translation_key, name={"en": "C"}),
        )
    assert not Participation.objects.exists()


def _basic(client: LRSClient, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()


@pytest.mark.parametrize("actor", ["account", "mbox"])
def test_an_external_tools_completed_about_a_course_is_counted(
    client, home_page, awa, run_on_commit, settings, actor
):
    """An authoring tool POSTs "completed" about the course activity with its credentials;
    its actor is the person's account or the trainee's e-mail (the account gets its person
    through the account matching)."""
    course = course_without_assessment(title="Stockage sûr")
    tool = LRSClient(name="H5P", scopes=["all"], active=True)
    tool.secret_set("tool-secret")
    tool.save()
    if actor == "account":
        agent = {"account": {"homePage": settings.SITE_URL, "name": str(PersonFactory().public_id)}}
    else:
        agent = {"mbox": "mailto:awa@x.ml"}
        assert not Person.objects.filter(user=awa).exists()
    statement = {
        "actor": {"objectType": "Agent", **agent},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": f"{settings.SITE_URL}/xapi/activities/course/{course.translation_key}",
            "definition": {"name": {"en": "Safe storage"}},
        },
        "result": {"completion": True},
        "timestamp": "2025-02-10T08:00:00Z",
    }
    with run_on_commit():
        response = client.post(
            "/xapi/statements",
            json.dumps(statement),
            content_type="application/json",
            headers={
                "X-Experience-API-Version": "1.0.3",
                "Authorization": _basic(tool, "tool-secret"),
            },
        )
    assert response.status_code == 200, response.content
    participation = Participation.objects.get()
    assert participation.outcome == "completed"
    assert participation.date == datetime.date(2025, 2, 10)
    assert participation.course_title == "Stockage sûr"
    assert participation.statement_id == uuid.UUID(response.json()[0])
    if actor == "mbox":
        assert participation.person == Person.objects.get(user=awa)
    assert people_count(scope=ONLINE) == 1


def test_the_backfill_records_every_completion_stored_before(
    home_page, awa, make_user, run_on_commit
):
    """Statements stored before the registry consumed them (the consumer not registered) are
    replayed by the data migration's function; running it again changes nothing."""
    course = course_without_assessment()
    other = make_user(role="trainee", username="binta", first_name="Binta", last_name="Diarra")
    unregister_statement_consumer(statements_consume)
    try:
        enrolment = complete_online(awa, course, run_on_commit)
        complete_online(other, course, run_on_commit)
        with run_on_commit():
            voided = external_outcome(
                person_for_user_ensure(user=other),  # the course engine made no person
                course.translation_key,
                Verb.PASSED,
                timezone.now(),
                success=True,
            )
            statement_void(event_key="void:x", target_id=voided, person_uuid=uuid.uuid4())
    finally:
        register_statement_consumer(statements_consume, phase="on_commit")
    assert not Participation.objects.exists()

    migration = importlib.import_module("trainees.migrations.0011_consumer_online_backfill")
    with run_on_commit():
        migration.online_backfill(apps, None)
    completed = course_statement(enrolment, Verb.COMPLETED)
    mine = Participation.objects.get(person__user=awa)
    assert (mine.outcome, mine.statement_id) == ("completed", completed.statement_id)
    assert mine.date == timezone.localtime(completed.timestamp).date()
    assert Participation.objects.get(person__user=other).outcome == "completed"  # pass voided
    assert people_count(scope=TRAINED) == 2
    with run_on_commit():
        migration.online_backfill(apps, None)
    assert Participation.objects.count() == 2
    out = io.StringIO()
    call_command("online_outcomes_replay", stdout=out)
    assert out.getvalue() == "0 statements recorded as online outcomes.\n"


def _figure(html: str, code: str) -> str:
    match = re.search(rf'data-figure="{code}">(?:<a [^>]*>)?([^<]*)<', html)
    return match.group(1).strip()


def test_reports_of_online_learning_count_online_people(
    client, home_page, awa, make_user, run_on_commit
):
    course = course_without_assessment()
    complete_online(awa, course, run_on_commit)
    coordinator = make_user(role="coordinator")
    totp_enable(coordinator)
    client.force_login(coordinator)
    with translation.override("fr"):
        html = client.get(reverse("reports_dashboard"), {"kind": "online"}).content.decode()
        assert _figure(html, "trained") == "1"
        assert _figure(html, "participations") == "1"
        people = client.get(
            reverse("reports_people"),
            {"kind": "online", "by": "course", "key": course.translation_key},
        ).content.decode()
    assert "<strong data-count>1</strong>" in people
    assert "TRAORÉ" in people.upper()


def test_an_external_completed_on_the_last_module_is_counted_through_the_course(
    home_page, awa, run_on_commit
):
    """H5P reports "completed" on the course's only module: the course engine completes the
    course and says so; that statement, not the module's, makes the participation."""
    course = course_without_assessment()
    module = ModulePage.objects.child_of(course).get()
    with run_on_commit():
        enrolment = enrolment_create(user=awa, course=course)
    with run_on_commit():
        statement_emit(
            event_key="h5p:module",
            person_uuid=person_for_user_ensure(user=awa).public_id,
            verb=Verb.COMPLETED,
            activity=ActivityRef(kind="module", uuid=module.translation_key, name={"en": "H5P"}),
            result=EmitResult(completion=True),
            registration=enrolment.public_id,
        )
    participation = Participation.objects.get()
    assert participation.statement_id == course_statement(enrolment, Verb.COMPLETED).statement_id
    assert people_count(scope=ONLINE) == 1


def test_after_a_merge_the_online_person_counts_once_and_a_void_still_applies(
    home_page, awa, make_user, run_on_commit
):
    """Awa studied online and was on a roster as another person; a coordinator merges them:
    one person trained. Voiding her online completion afterwards leaves the roster one."""
    from trainees.review.services import person_merge

    course = course_without_assessment()
    enrolment = complete_online(awa, course, run_on_commit)
    online = Person.objects.get(user=awa)
    roster = PersonFactory(given_names="Awa", family_name="Traore")
    with run_on_commit():
        participation_record(person=roster, event=TrainingEventFactory(), outcome="completed")
    assert people_count(scope=TRAINED) == 2
    with run_on_commit():
        person_merge(survivor=roster, merged=online, user=make_user(role="coordinator"))
    assert people_count(scope=TRAINED) == 1
    completed = course_statement(enrolment, Verb.COMPLETED)
    with run_on_commit():
        statement_void(
            event_key=f"void:{completed.statement_id}",
            target_id=completed.statement_id,
            person_uuid=online.public_id,
        )
    assert Participation.objects.get(kind="online", person=roster).voided
    assert people_count(scope=ONLINE) == 0
    assert people_count(scope=TRAINED) == 1


def _summaries(statement_ids):
    from trainees.services.online import _summary

    columns = ("statement_id", "verb_id", "object_activity_id", "actor_key", "registration")
    rows = Statement.objects.filter(statement_id__in=statement_ids).order_by("seq")
    return [_summary(row) for row in rows.values_list(*columns, "timestamp", "stored", "raw")]


def test_a_batch_without_course_outcomes_costs_the_registry_no_query(
    home_page, django_assert_num_queries
):
    """The LRS hands the registry every batch it stores: statements that are no course
    outcome (launched, answered, a module's completed) are sorted out without a query."""
    course = course_without_assessment()
    module = ModulePage.objects.child_of(course).get()
    person = PersonFactory()
    ids = [
        statement_emit(
            event_key=f"e{i}",
            person_uuid=person.public_id,
            verb=verb,
            activity=ActivityRef(kind=kind, uuid=key, name={"en": "x"}),
        )
        for i, (verb, kind, key) in enumerate(
            [
                (Verb.LAUNCHED, "course", course.translation_key),
                (Verb.EXPERIENCED, "module", module.translation_key),
                (Verb.COMPLETED, "module", module.translation_key),
                (Verb.SATISFIED, "course", course.translation_key),
            ]
        )
    ]
    batch = _summaries(ids) * 25
    with django_assert_num_queries(0):
        statements_consume(batch)


def test_a_batch_of_completions_costs_a_few_queries_whatever_its_size(
    home_page, django_assert_max_num_queries
):
    course = course_without_assessment()
    people = [PersonFactory() for _ in range(10)]
    ids = [
        statement_emit(
            event_key=f"c{i}",
            person_uuid=person.public_id,
            verb=Verb.COMPLETED,
            activity=ActivityRef(kind="course", uuid=course.translation_key, name={"en": "x"}),
        )
        for i, person in enumerate(people)
    ]
    with django_assert_max_num_queries(14):
        statements_consume(_summaries(ids))
    assert people_count(scope=ONLINE) == 10
