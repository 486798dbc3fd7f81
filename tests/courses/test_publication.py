"""Page tree rules and the course review workflow."""

import pytest
from wagtail.models import GroupPagePermission, Workflow

from courses.models import CourseCatalogue, CoursePage, ModulePage, ProgrammePage
from courses.review_names import review_name_display
from courses.services.catalogue import TASK_NAME, WORKFLOW_NAME, catalogue_permissions_ensure
from lms.core.models import HomePage
from tests.courses.builders import catalogue_make

pytestmark = pytest.mark.django_db


def test_parent_child_rules():
    assert CourseCatalogue.allowed_parent_page_models() == [HomePage]
    assert ProgrammePage.allowed_parent_page_models() == [CourseCatalogue]
    assert CoursePage.allowed_parent_page_models() == [ProgrammePage]
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_subpage_models() == []
    assert CourseCatalogue in HomePage.allowed_subpage_models()


def test_course_review_workflow_exists_with_lead_trainer_approval():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    tasks = [task.specific for task in workflow.tasks.all()]
    # Shown in the reader's language (tests/courses/test_review_names.py).
    assert [task.name for task in tasks] == [review_name_display(TASK_NAME)]
    assert [group.name for group in tasks[0].groups.all()] == ["lead_trainer"]


def test_catalogue_gets_workflow_and_permissions(home_page):
    catalogue = catalogue_make(home_page)
    catalogue_permissions_ensure(catalogue=catalogue)
    catalogue_permissions_ensure(catalogue=catalogue)  # idempotent
    assert catalogue.get_workflow().name == review_name_display(WORKFLOW_NAME)
    rows = set(
        GroupPagePermission.objects.filter(page=catalogue).values_list(
            "group__name", "permission__codename"
        )
    )
    assert rows == {
        ("trainer", "add_page"),
        ("trainer", "change_page"),
        ("lead_trainer", "add_page"),
        ("lead_trainer", "change_page"),
        ("lead_trainer", "publish_page"),
    }


def test_trainer_cannot_publish_lead_trainer_can(home_page, make_user):
    catalogue = catalogue_make(home_page)
    catalogue_permissions_ensure(catalogue=catalogue)
    trainer, lead = make_user(role="trainer"), make_user(role="lead_trainer")
    assert catalogue.permissions_for_user(trainer).can_edit()
    assert not catalogue.permissions_for_user(trainer).can_publish()
    assert catalogue.permissions_for_user(lead).can_publish()


def test_lead_trainer_rejects_with_a_comment_and_nothing_is_published(home_page, make_user):
    from courses.models import ProgrammePage
    from tests.courses.builders import publish

    catalogue = catalogue_make(home_page)
    catalogue_permissions_ensure(catalogue=catalogue)
    programme = publish(catalogue.add_child(instance=ProgrammePage(title="WAM", slug="wam")))
    course = programme.add_child(
        instance=CoursePage(title="Stockage", slug="stockage", summary="S", live=False)
    )
    trainer, lead = make_user(role="trainer"), make_user(role="lead_trainer")
    revision = course.save_revision(user=trainer)
    state = course.get_workflow().start(course, trainer)
    assert state.status == "in_progress"
    task_state = state.current_task_state
    task = task_state.task.specific
    assert [a[0] for a in task.get_actions(course, trainer)] == []
    assert "approve" in [a[0] for a in task.get_actions(course, lead)]
    task.on_action(task_state, lead, "reject", comment="Ajoutez les sources IMAS.")
    state.refresh_from_db()
    task_state.refresh_from_db()
    assert state.status == "needs_changes"
    assert task_state.comment == "Ajoutez les sources IMAS."
    course.refresh_from_db()
    assert not course.live
    assert revision.pk == course.latest_revision_id
