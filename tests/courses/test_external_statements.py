"""Statements sent by external content (H5P...) about a module or the course count too."""

import uuid

import pytest

from courses.models import Enrolment, ModulePage, ModuleProgress
from courses.services.enrolment import enrolment_create
from lms.xapi.emitter import ActivityRef, EmitResult, Verb, statement_emit
from tests.courses.builders import course_make

pytestmark = pytest.mark.django_db


def external(*, enrolment, verb, kind, key, success=None, captured):
    from trainees.services import person_for_user_ensure

    with captured(execute=True):
        statement_emit(
            event_key=f"h5p:{uuid.uuid4()}",
            person_uuid=person_for_user_ensure(user=enrolment.user).public_id,
            verb=verb,
            activity=ActivityRef(kind=kind, uuid=key, name={"en": "H5P"}),
            result=EmitResult(success=success, completion=True),
            registration=enrolment.public_id,
        )


def test_h5p_completed_on_a_module_completes_it(
    home_page, make_user, django_capture_on_commit_callbacks
):
    course = course_make(questions=0, modules=(("H5P", True),))
    enrolment = enrolment_create(user=make_user(role="trainee"), course=course)
    module = ModulePage.objects.child_of(course).get()
    external(
        enrolment=enrolment,
        verb=Verb.COMPLETED,
        kind="module",
        key=module.translation_key,
        captured=django_capture_on_commit_callbacks,
    )
    assert ModuleProgress.objects.get(module_key=module.translation_key).completed_at
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_failed_or_unrelated_statements_change_nothing(
    home_page, make_user, django_capture_on_commit_callbacks
):
    course = course_make()
    enrolment = enrolment_create(user=make_user(role="trainee"), course=course)
    module = ModulePage.objects.child_of(course).first()
    external(
        enrolment=enrolment,
        verb=Verb.PASSED,
        kind="module",
        key=module.translation_key,
        success=False,
        captured=django_capture_on_commit_callbacks,
    )
    external(
        enrolment=enrolment,
        verb=Verb.COMPLETED,
        kind="module",
        key=uuid.uuid4(),
        captured=django_capture_on_commit_callbacks,
    )
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_passed_on_the_course_counts_as_assessment_passed(
    home_page, make_user, django_capture_on_commit_callbacks
):
    course = course_make(modules=())
    enrolment = enrolment_create(user=make_user(role="trainee"), course=course)
    external(
        enrolment=enrolment,
        verb=Verb.PASSED,
        kind="course",
        key=course.translation_key,
        success=True,
        captured=django_capture_on_commit_callbacks,
    )
    enrolment.refresh_from_db()
    assert enrolment.assessment_passed_at is not None
    assert enrolment.status == Enrolment.Status.COMPLETED
