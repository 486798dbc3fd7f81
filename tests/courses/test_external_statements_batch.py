"""The external-content consumer handles a whole LRS batch in a fixed number of lookups."""

import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from courses.models import Enrolment, ModulePage, ModuleProgress
from courses.services.enrolment import enrolment_create
from courses.services.external import statements_from_content
from lms.xapi.hooks import StoredStatement
from tests.courses.builders import course_make

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def stored(*, key, registration, kind="module"):
    now = timezone.now()
    return StoredStatement(
        id=uuid.uuid4(),
        verb_id=COMPLETED,
        object_activity_id=f"{settings.SITE_URL}/xapi/activities/{kind}/{key}",
        actor_key="",
        registration=registration,
        voided_target_id=None,
        result_success=None,
        result_completion=True,
        result_scaled=None,
        timestamp=now,
        stored=now,
        raw={},
    )


def test_a_batch_without_enrolments_costs_one_query(django_assert_num_queries):
    batch = [stored(key=uuid.uuid4(), registration=uuid.uuid4()) for _ in range(100)]
    with django_assert_num_queries(1):
        statements_from_content(batch)


def test_a_batch_completing_every_module_completes_the_course_once(home_page, make_user):
    course = course_make(questions=0, modules=(("One", True), ("Two", True)))
    enrolment = enrolment_create(user=make_user(role="trainee"), course=course)
    keys = [module.translation_key for module in ModulePage.objects.child_of(course)]
    batch = [stored(key=key, registration=enrolment.public_id) for key in keys]
    # A statement after the course is complete finds no active enrolment and changes nothing.
    batch.append(stored(key=keys[0], registration=enrolment.public_id))
    statements_from_content(batch)
    assert ModuleProgress.objects.filter(completed_at__isnull=False).count() == 2
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
