"""Courses and the registry meet only through statements and selectors (DESIGN.md): the
course engine reads an account's actor and writes nothing of the registry; the registry's
statement consumer makes the account's person, once, whenever it first sees the actor."""

import ast
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from courses.models import ModulePage
from courses.offline.selectors import offline_package
from courses.services.enrolment import enrolment_create
from courses.services.progress import module_mark_done
from lms.xapi.actors import account_actor_uuid, account_actor_uuids
from lms.xapi.hooks import register_statement_consumer, unregister_statement_consumer
from lms.xapi.models import Statement
from lms.xapi.protocol import user_agent_keys
from lms.xapi.spec import agent_ifi_key
from tests.courses.builders import course_make
from tests.courses.offline_statements import device_statement
from tests.trainees.factories import PersonFactory
from tests.trainees.test_online_consumer import complete_online, course_without_assessment
from trainees.models import MatchDecision, Participation, Person
from trainees.selectors import person_agent_keys, person_for_agent_key
from trainees.selectors.counting import CountScope, people_count
from trainees.services.statements import statements_consume

ROOT = Path(__file__).resolve().parents[2]
TRAINED = CountScope(outcomes=("trained",))


def _imports(package: str) -> list[tuple[str, int, str]]:
    """Every absolute import of a package's modules, nested ones included."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found.extend((str(path.relative_to(ROOT)), node.lineno, name) for name in names)
    return found


def test_courses_import_nothing_of_the_registry_but_its_selectors():
    wrong = [
        (path, line, name)
        for path, line, name in _imports("courses")
        if (name == "trainees" or name.startswith("trainees."))
        and not name.startswith("trainees.selectors")
    ]
    assert wrong == []


def test_the_actor_module_imports_no_app():
    imported = {name for _path, _line, name in _imports("lms/xapi/actors.py")}
    assert not {n for n in imported if n.split(".")[0] in {"trainees", "courses"}}


def _account_key(name) -> str:
    return agent_ifi_key({"account": {"homePage": settings.SITE_URL, "name": str(name)}})


@pytest.mark.django_db
def test_the_actor_of_an_account_without_a_person_is_read_and_nothing_written(
    make_user, django_assert_num_queries
):
    user = make_user(role="trainee", first_name="Awa", last_name="Traoré")
    with django_assert_num_queries(1):
        assert account_actor_uuid(user=user) == user.actor_id
    assert not Person.objects.exists() and not MatchDecision.objects.exists()


@pytest.mark.django_db
def test_a_new_user_completing_a_course_gets_exactly_one_person(
    home_page, make_user, run_on_commit
):
    user = make_user(role="trainee", first_name="Mariam", last_name="Sidibé")
    course = course_without_assessment()
    with run_on_commit():
        enrolment = enrolment_create(user=user, course=course)
    assert not Person.objects.exists()  # enrolling is not a course outcome: no person yet
    with run_on_commit():
        module_mark_done(
            enrolment=enrolment, module=ModulePage.objects.child_of(course).get(), course=course
        )
    person = Person.objects.get()
    assert person.user == user
    assert person.public_id == user.actor_id  # the actor sent before the person existed
    assert MatchDecision.objects.filter(subject_user=user).count() == 1
    keys = set(
        Statement.objects.filter(registration=enrolment.public_id).values_list(
            "actor_key", flat=True
        )
    )
    assert keys == {_account_key(user.actor_id)}  # one stable actor from the first statement
    assert Participation.objects.get().person == person
    assert people_count(scope=TRAINED) == 1
    # A second course: the same person, still one.
    complete_online(
        user, course_make(title="NEM 2", questions=0, modules=(("Autre", False),)), run_on_commit
    )
    assert Person.objects.count() == 1
    assert Participation.objects.filter(person=person).count() == 2
    assert people_count(scope=TRAINED) == 1


@pytest.mark.django_db
def test_an_account_linked_to_a_person_trained_before_keeps_every_statement(
    home_page, make_user, run_on_commit, client
):
    """Trained in person first (on a roster), then online: the statements sent under the
    account's actor id before the registry linked the account reach the roster's person."""
    trained = PersonFactory(given_names="Aminata", family_name="Coulibaly", email="am@x.ml")
    user = make_user(role="trainee", first_name="Aminata", last_name="Coulibaly", email="am@x.ml")
    course = course_without_assessment()
    pending = _account_key(user.actor_id)
    enrolment = complete_online(user, course, run_on_commit)
    assert Person.objects.count() == 1  # linked, no second person
    assert Participation.objects.get().person == trained
    assert MatchDecision.objects.get(subject_user=user).outcome == "link"
    assert person_for_agent_key(agent_key=pending) == trained
    assert pending in person_agent_keys(person=trained)
    # From now on the actor is the person's own; both actors read as the account's.
    assert account_actor_uuid(user=user) == trained.public_id
    assert user_agent_keys(user=user) == {_account_key(trained.public_id), pending}
    assert people_count(scope=TRAINED) == 1
    # A phone that kept the package from before the link still syncs its learning.
    client.force_login(user)
    package = offline_package(course=course, enrolment=enrolment, person_uuid=user.actor_id)
    response = client.post(
        reverse("courses:offline_sync"),
        data=json.dumps({"statements": [device_statement(package, "launched")]}),
        content_type="application/json",
    )
    assert [r["status"] for r in response.json()["results"]] == ["accepted"]


@pytest.mark.django_db
def test_a_completion_the_consumer_missed_is_replayed_to_one_person(
    home_page, make_user, run_on_commit
):
    user = make_user(role="trainee", first_name="Fanta", last_name="Keïta")
    unregister_statement_consumer(statements_consume)
    try:
        complete_online(user, course_without_assessment(), run_on_commit)
    finally:
        register_statement_consumer(statements_consume, phase="on_commit")
    assert not Person.objects.exists() and not Participation.objects.exists()
    for _ in range(2):  # replaying twice changes nothing
        with run_on_commit():
            call_command("online_outcomes_replay", stdout=io.StringIO())
    assert Person.objects.get().public_id == user.actor_id
    assert Participation.objects.count() == 1
    assert account_actor_uuids(user=user) == (user.actor_id,)
