"""The review workflow and its task are named in the admin user's language."""

import re

import pytest
from django.test import Client
from django.utils import translation
from wagtail.models import Task, Workflow, WorkflowPage

from courses.models import CoursePage, ProgrammePage
from courses.review_names import review_name_display
from courses.services.catalogue import TASK_NAME, WORKFLOW_NAME, catalogue_permissions_ensure
from tests.courses.builders import catalogue_make, publish
from tests.factories import UserFactory, totp_enable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "fr", "en"),
    [
        (WORKFLOW_NAME, "Relecture du cours", "Course review"),
        ("Course review", "Relecture du cours", "Course review"),
        ("Relecture du cours", "Relecture du cours", "Course review"),
        (TASK_NAME, "Approbation du formateur principal", "Lead trainer approval"),
        ("Validation WAM", "Validation WAM", "Validation WAM"),  # typed by an administrator
    ],
)
def test_a_stored_name_is_shown_in_the_active_language(stored, fr, en):
    with translation.override("fr"):
        assert review_name_display(stored) == fr
    with translation.override("en"):
        assert review_name_display(stored) == en


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("fr", ("Relecture du cours", "Approbation du formateur principal")),
        ("en", ("Course review", "Lead trainer approval")),
    ],
)
def test_the_names_read_from_the_database_follow_the_language(language, names):
    with translation.override(language):
        workflow = Workflow.objects.get(name=WORKFLOW_NAME)
        task = workflow.tasks.get().specific  # a GroupApprovalTask: the field is Task's
        assert (workflow.name, task.name) == names
        assert (str(workflow), str(task)) == names  # Wagtail's __str__ is the name
    assert Task.objects.filter(name=TASK_NAME).exists()  # stored as the migration wrote it


@pytest.fixture
def draft_course(home_page):
    catalogue = catalogue_make(home_page)
    catalogue_permissions_ensure(catalogue=catalogue)
    programme = publish(catalogue.add_child(instance=ProgrammePage(title="WAM", slug="wam")))
    return programme.add_child(
        instance=CoursePage(title="Stockage", slug="stockage", summary="S", live=False)
    )


def _admin_page(user, url: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("language", "submit", "other"),
    [
        ("fr", "Soumettre à Relecture du cours", "Course review"),
        ("en", "Submit to Course review", "Relecture"),
    ],
)
def test_the_submit_button_names_the_workflow_in_the_users_language(
    draft_course, language, submit, other
):
    trainer = UserFactory(role="trainer", preferred_language=language)
    totp_enable(trainer)
    page = _admin_page(trainer, f"/admin/pages/{draft_course.pk}/edit/")
    assert submit in page
    assert other not in page


def test_a_course_awaiting_review_names_the_task_in_french(draft_course):
    trainer = UserFactory(role="trainer", preferred_language="fr")
    totp_enable(trainer)
    draft_course.save_revision(user=trainer)
    draft_course.get_workflow().start(draft_course, trainer)
    lead = UserFactory(role="lead_trainer", preferred_language="fr")
    totp_enable(lead)
    for user, url in ((trainer, f"/admin/pages/{draft_course.pk}/edit/"), (lead, "/admin/")):
        page = _admin_page(user, url)
        assert "Approbation du formateur principal" in page, url
        assert "Lead trainer approval" not in page and "Course review" not in page, url


def test_a_workflow_saved_in_french_is_still_the_one_catalogues_get(home_page):
    # A French administrator saving the workflow's form stores the name as shown.
    Workflow.objects.filter(name=WORKFLOW_NAME).update(name="Relecture du cours")
    Task.objects.filter(name=TASK_NAME).update(name="Approbation du formateur principal")
    before = (Workflow.objects.count(), Task.objects.count())
    catalogue = catalogue_make(home_page)
    catalogue_permissions_ensure(catalogue=catalogue)
    assert (Workflow.objects.count(), Task.objects.count()) == before
    with translation.override("en"):
        assert WorkflowPage.objects.get(page=catalogue).workflow.name == "Course review"
