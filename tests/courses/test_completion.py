import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from courses.models import Certificate, Enrolment, ModulePage, ModuleProgress
from courses.selectors import assessment_state, certificate_state
from courses.services import CourseError
from courses.services.assessment import attempt_start, attempt_submit, attempt_token
from courses.services.certificates import certificate_issue, months_add
from courses.services.enrolment import enrolment_create, enrolments_create
from courses.services.progress import (
    knowledge_check_answer,
    module_launch,
    module_mark_done,
    practical_signoff_record,
)
from lms.xapi.models import Statement
from tests.courses.builders import attempt_answers, course_make, office_join

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English (French is the default language)."""
    with translation.override("en"):
        yield


def modules_of(course):
    return list(ModulePage.objects.child_of(course).order_by("path").specific())


def modules_finish(enrolment, course):
    first, second = modules_of(course)
    module_launch(enrolment=enrolment, module=first, course=course)
    knowledge_check_answer(
        enrolment=enrolment, module=first, course=course, block_id="kc0", raw=["1"]
    )
    module_launch(enrolment=enrolment, module=second, course=course)
    module_mark_done(enrolment=enrolment, module=second, course=course)


def submit(user, attempt, course, correct: bool):
    return attempt_submit(
        user=user,
        token=attempt_token(attempt=attempt),
        course=course,
        responses=attempt_answers(attempt, course, right=correct),
    )


def test_module_with_knowledge_check_completes_when_answered(course, trainee):
    enrolment = enrolment_create(user=trainee, course=course)
    first = modules_of(course)[0]
    module_launch(enrolment=enrolment, module=first, course=course)
    with pytest.raises(
        CourseError, match=re.escape("Answer every knowledge check of this module first.")
    ):
        module_mark_done(enrolment=enrolment, module=first, course=course)
    marked = knowledge_check_answer(
        enrolment=enrolment, module=first, course=course, block_id="kc0", raw=["0"]
    )
    assert marked.correct is False
    assert marked.feedback == ("Feedback 0",)
    progress = ModuleProgress.objects.get(enrolment=enrolment, module_key=first.translation_key)
    assert progress.completed_at is not None
    assert progress.answers == {"kc0": [0]}


def test_course_completes_only_after_modules_and_passed_assessment(course, trainee):
    enrolment = enrolment_create(user=trainee, course=course)
    attempt = attempt_start(enrolment=enrolment, course=course)
    assert len(attempt.question_ids) == 2
    submit(trainee, attempt, course, correct=False)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.assessment_passed_at is None
    attempt = attempt_start(enrolment=enrolment, course=course)
    submit(trainee, attempt, course, correct=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE  # modules not done yet
    modules_finish(enrolment, course)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_failed_attempts_never_complete_and_limit_is_enforced(home_page, trainee):
    course = course_make(attempts=2)
    enrolment = enrolment_create(user=trainee, course=course)
    modules_finish(enrolment, course)
    for _ in range(2):
        attempt = attempt_start(enrolment=enrolment, course=course)
        done = submit(trainee, attempt, course, correct=False)
        assert done.passed is False
        assert done.score_scaled == 0
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert not Certificate.objects.exists()
    with pytest.raises(CourseError, match=re.escape("You have used all your attempts")):
        attempt_start(enrolment=enrolment, course=course)


def test_waiting_time_between_attempts(home_page, trainee):
    course = course_make(wait=60)
    enrolment = enrolment_create(user=trainee, course=course)
    submit(trainee, attempt_start(enrolment=enrolment, course=course), course, correct=False)
    with pytest.raises(CourseError, match=re.escape("You can try again after")):
        attempt_start(enrolment=enrolment, course=course)
    later = timezone.now() + timedelta(minutes=61)
    assert assessment_state(enrolment=enrolment, course=course, now=later).available
    assert attempt_start(enrolment=enrolment, course=course, now=later).number == 2


def test_pass_mark_boundary(home_page, trainee):
    course = course_make(questions=2, per_attempt=2, pass_mark=50)
    enrolment = enrolment_create(user=trainee, course=course)
    attempt = attempt_start(enrolment=enrolment, course=course)
    first, second = attempt.question_ids
    right, wrong = attempt_answers(attempt, course), attempt_answers(attempt, course, right=False)
    done = attempt_submit(
        user=trainee,
        token=attempt_token(attempt=attempt),
        course=course,
        responses={first: right[first], second: wrong[second]},
    )
    assert done.score_raw == 1
    assert str(done.score_scaled) == "0.5000"
    assert done.passed is True


def test_multiple_choice_needs_exactly_the_correct_set(home_page, trainee):
    from courses.services.questions import question_mark
    from tests.courses.builders import question

    value = (
        course_make()
        .question_bank.stream_block.to_python(
            [question("m", "Multi", correct=[0, 2], kind="multiple")]
        )[0]
        .value
    )
    assert question_mark(block_id="m", value=value, chosen=(0, 2)).correct
    assert not question_mark(block_id="m", value=value, chosen=(0,)).correct
    assert not question_mark(block_id="m", value=value, chosen=(0, 1, 2)).correct
    assert not question_mark(block_id="m", value=value, chosen=()).correct


def test_practical_signoff_required_before_completion(home_page, trainee, make_user):
    course = course_make(signoff=True, questions=0)
    enrolment = enrolment_create(user=trainee, course=course)
    modules_finish(enrolment, course)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    with pytest.raises(
        CourseError, match=re.escape("You cannot sign off your own practical work.")
    ):
        practical_signoff_record(enrolment=enrolment, course=course, signed_by=trainee)
    trainer = make_user(role="trainer")
    office_join("gao", trainer, trainee)
    practical_signoff_record(enrolment=enrolment, course=course, signed_by=trainer)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_prerequisites_are_enforced(home_page, trainee, make_user):
    basic = course_make(title="Base", questions=0)
    advanced = course_make(title="Avance", questions=0)
    advanced.prerequisites.add(basic)
    advanced.save_revision().publish()
    with pytest.raises(CourseError, match=re.escape("Complete these courses first: Base.")):
        enrolment_create(user=trainee, course=advanced)
    assert not Enrolment.objects.filter(course_key=advanced.translation_key).exists()
    enrolment = enrolment_create(user=trainee, course=basic)
    modules_finish(enrolment, basic)
    assert enrolment_create(user=trainee, course=advanced).status == "active"


def test_enrolling_twice_is_refused(course, trainee):
    enrolment_create(user=trainee, course=course)
    with pytest.raises(CourseError, match=re.escape("You are already enrolled in this course.")):
        enrolment_create(user=trainee, course=course)
    assert Enrolment.objects.count() == 1


def test_trainer_enrols_a_list_all_or_nothing(course, make_user):
    trainer = make_user(role="trainer")
    a = make_user(role="trainee", username="amadou")
    office_join("gao", trainer, a, make_user(role="trainee", username="binta"))
    with pytest.raises(CourseError, match=re.escape("Unknown account: nobody")):
        enrolments_create(usernames=["amadou", "nobody"], course=course, enrolled_by=trainer)
    assert Enrolment.objects.count() == 0
    enrolment_create(user=a, course=course)
    result = enrolments_create(
        usernames=["AMADOU", "binta", "binta"], course=course, enrolled_by=trainer
    )
    assert [u.username for u in result.enrolled] == ["binta"]
    assert result.skipped == [("amadou", "already enrolled")]
    assert Enrolment.objects.count() == 2


def test_certificate_expiry_and_refresher_issues_a_new_one(home_page, trainee):
    course = course_make(questions=0, validity=12)
    enrolment = enrolment_create(user=trainee, course=course)
    modules_finish(enrolment, course)
    certificate = Certificate.objects.get()
    assert certificate.expires_at == months_add(certificate.issued_at, 12)
    assert certificate_state(certificate=certificate) == "valid"
    with pytest.raises(CourseError, match=re.escape("certificate is still valid")):
        enrolment_create(user=trainee, course=course)
    Certificate.objects.update(expires_at=timezone.now() - timedelta(days=1))
    certificate.refresh_from_db()
    assert certificate_state(certificate=certificate) == "expired"
    refresher = enrolment_create(user=trainee, course=course)
    modules_finish(refresher, course)
    assert Certificate.objects.count() == 2
    new = Certificate.objects.get(enrolment=refresher)
    assert new.code != certificate.code
    assert certificate_state(certificate=new) == "valid"
    # Issuing again for the same enrolment returns the same certificate.
    assert certificate_issue(enrolment=refresher, course=course) == new


def test_months_add_clamps_to_month_end():
    moment = timezone.now().replace(year=2025, month=1, day=31)
    assert months_add(moment, 1).date().isoformat() == "2025-02-28"
    assert months_add(moment, 13).date().isoformat() == "2026-02-28"
    assert months_add(moment, 24).date().isoformat() == "2027-01-31"


def test_statements_of_a_full_path(home_page, trainee):
    course = course_make()
    enrolment = enrolment_create(user=trainee, course=course)
    modules_finish(enrolment, course)
    submit(trainee, attempt_start(enrolment=enrolment, course=course), course, correct=False)
    submit(trainee, attempt_start(enrolment=enrolment, course=course), course, correct=True)
    verbs = list(
        Statement.objects.filter(registration=enrolment.public_id)
        .order_by("seq")
        .values_list("verb_id", flat=True)
    )
    names = [v.rsplit("/", 1)[-1] for v in verbs]
    assert names == [
        "registered",
        "launched",
        "answered",
        "completed",
        "launched",
        "experienced",
        "completed",
        "attempted",
        "answered",
        "answered",
        "failed",
        "attempted",
        "answered",
        "answered",
        "passed",
        "completed",
        "satisfied",
    ]
