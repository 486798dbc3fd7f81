"""A wrong knowledge-check answer shows its feedback and may be tried again; every try is an
*answered* statement; the module completes once its checks are answered."""

import json

import pytest

from courses.models import ModulePage, ModuleProgress
from courses.services.enrolment import enrolment_create
from lms.xapi.models import Statement
from tests.courses.builders import course_translate

pytestmark = pytest.mark.django_db


def answered(enrolment) -> list[dict]:
    rows = Statement.objects.filter(
        registration=enrolment.public_id, verb_id__endswith="/answered"
    ).order_by("seq")
    return [json.loads(row.raw) if isinstance(row.raw, str) else row.raw for row in rows]


def test_wrong_answer_shows_feedback_and_can_be_tried_again(client, course, trainee):
    enrolment = enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    # The English module (same block ids): the page the check redirects to is in English.
    module = ModulePage.objects.child_of(course_translate(course, "en")).order_by("path").first()
    url = f"/en/learn/modules/{module.pk}/check/kc0/"
    client.get(module.url)

    response = client.post(url, {"choice": ["0"]}, follow=True)
    body = response.content.decode()
    assert "Not quite: read the feedback below." in body
    assert "Not quite. Read the feedback and try again." in body
    assert "Feedback 0" in body
    assert "correct answer" not in body  # the right choice is not given away
    assert "Try again" in body and 'name="choice"' in body
    progress = ModuleProgress.objects.get(module_key=module.translation_key)
    assert progress.completed_at is not None  # answered: the module is complete
    assert progress.check_attempts == {"kc0": 1}

    response = client.post(url, {"choice": ["0"]}, follow=True)
    assert "You have already tried this answer: choose another one." in response.content.decode()
    assert len(answered(enrolment)) == 1

    response = client.post(url, {"choice": ["1"]}, follow=True)
    body = response.content.decode()
    assert "Correct." in body
    assert "(correct answer)" in body and "Feedback 1" in body
    assert 'name="choice"' not in body.split('id="check-kc0"')[1].split("</section>")[0]

    response = client.post(url, {"choice": ["2"]}, follow=True)
    assert "You have already answered this question correctly." in response.content.decode()

    statements = answered(enrolment)
    assert [s["result"]["success"] for s in statements] == [False, True]
    assert [s["result"]["response"] for s in statements] == ["0", "1"]
    assert len({s["id"] for s in statements}) == 2
    progress.refresh_from_db()
    assert progress.answers == {"kc0": [1]} and progress.check_attempts == {"kc0": 2}
    completed = Statement.objects.filter(
        registration=enrolment.public_id, verb_id__endswith="/completed"
    )
    assert completed.count() == 1  # the module completed once, at the first answer
