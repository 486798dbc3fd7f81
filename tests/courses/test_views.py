import pytest
from django.core import signing

from courses.models import AssessmentAttempt, Certificate, Enrolment, ModulePage, ModuleProgress
from courses.services.assessment import attempt_start, attempt_token
from courses.services.enrolment import enrolment_create
from lms.core.models import AuditEvent
from tests.courses.builders import attempt_answers, course_make, course_translate, office_join
from tests.factories import totp_enable

pytestmark = pytest.mark.django_db


def first_module(course):
    return ModulePage.objects.child_of(course).order_by("path").first().specific


def test_catalogue_lists_programmes_and_courses_with_few_queries(
    client, course, django_assert_max_num_queries
):
    course_make(title="Stockage sûr", programme_code="wam")
    with django_assert_max_num_queries(14):
        response = client.get("/fr/catalogue/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Programme eod" in body and "Programme wam" in body
    assert "Sensibilisation NEM" in body and "Stockage sûr" in body


def test_course_page_offers_enrolment_and_enrols(client, course, trainee):
    client.force_login(trainee)
    body = client.get(course.url).content.decode()
    assert "Inscrivez-vous à ce cours" in body
    response = client.post(f"/fr/learn/courses/{course.translation_key}/enrol/", follow=True)
    assert response.status_code == 200
    assert Enrolment.objects.filter(user=trainee).count() == 1


def test_course_page_query_guard(client, course, trainee, django_assert_max_num_queries):
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    with django_assert_max_num_queries(24):
        response = client.get(course.url)
    assert response.status_code == 200


def test_module_page_query_guard_and_weight(client, course, trainee, django_assert_max_num_queries):
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    module = first_module(course)
    client.get(module.url)  # first visit records the launch
    with django_assert_max_num_queries(22):
        response = client.get(module.url)
    assert response.status_code == 200
    assert len(response.content) < 150_000
    body = response.content.decode()
    # The correct answer is never in the page before answering.
    assert "correct" not in body.lower().replace("correctement", "")
    assert 'name="choice"' in body


def test_module_of_a_course_not_enrolled_in_is_refused(client, course, trainee):
    client.force_login(trainee)
    response = client.get(first_module(course).url)
    assert response.status_code == 403
    assert (
        "Ce module fait partie du cours «\u202fSensibilisation NEM\u202f»"
        in response.content.decode()
    )
    assert not ModuleProgress.objects.exists()


def test_posting_an_answer_when_not_enrolled_changes_nothing(client, course, trainee):
    client.force_login(trainee)
    module = first_module(course)
    response = client.post(f"/en/learn/modules/{module.pk}/check/kc0/", {"choice": ["1"]})
    assert response.status_code == 403
    assert not ModuleProgress.objects.exists()


def test_knowledge_check_answer_then_replay_is_refused(client, course, trainee):
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    module = first_module(course)
    url = f"/en/learn/modules/{module.pk}/check/kc0/"
    response = client.post(url, {"choice": ["1"]}, follow=True)
    assert "Correct." in response.content.decode()
    response = client.post(url, {"choice": ["0"]}, follow=True)
    assert "You have already answered this question correctly." in response.content.decode()
    assert ModuleProgress.objects.get(module_key=module.translation_key).answers == {"kc0": [1]}


@pytest.mark.parametrize(
    ("block", "choice", "message"),
    [
        ("nope", ["0"], "This question is not part of this module."),
        ("kc0", ["7"], "This answer is not one of the choices offered."),
        ("kc0", ["x"], "This answer is not one of the choices offered."),
        ("kc0", ["0", "1"], "Choose only one answer to this question."),
    ],
)
def test_forged_knowledge_check_answers_change_nothing(
    client, course, trainee, block, choice, message
):
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    module = first_module(course)
    response = client.post(
        f"/en/learn/modules/{module.pk}/check/{block}/", {"choice": choice}, follow=True
    )
    assert message in response.content.decode()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()
    assert all(not p.answers for p in ModuleProgress.objects.all())


def test_assessment_forged_replayed_and_unasked_answers(client, course, trainee, make_user):
    enrolment = enrolment_create(user=trainee, course=course)
    attempt = attempt_start(enrolment=enrolment, course=course)
    client.force_login(trainee)
    url = f"/en/learn/courses/{course.translation_key}/assessment/{attempt.public_id}/"
    token = attempt_token(attempt=attempt)
    unasked = next(q for q in ["q0", "q1", "q2", "q3"] if q not in attempt.question_ids)

    response = client.post(url, {"token": token, f"q-{unasked}": "0"}, follow=True)
    assert "Answers were sent to questions that were not asked." in response.content.decode()

    forged = signing.dumps({"attempt": str(attempt.public_id), "user": trainee.pk}, salt="other")
    response = client.post(url, {"token": forged}, follow=True)
    assert "This submission is not valid. Start the assessment again." in (
        response.content.decode()
    )
    attempt.refresh_from_db()
    assert attempt.submitted_at is None

    answers = {f"q-{q}": chosen for q, chosen in attempt_answers(attempt, course).items()}
    response = client.post(url, {"token": token, **answers}, follow=True)
    assert "You passed the final assessment." in response.content.decode()
    response = client.post(url, {"token": token, **answers}, follow=True)
    assert "This attempt was submitted already; it is not scored twice." in (
        response.content.decode()
    )
    assert AssessmentAttempt.objects.filter(submitted_at__isnull=False).count() == 1

    other = make_user(role="trainee", username="other")
    client.force_login(other)
    response = client.post(url, {"token": token, **answers})
    assert response.status_code == 404


def test_attempt_page_never_shows_correct_answers(client, course, trainee):
    enrolment = enrolment_create(user=trainee, course=course)
    attempt = attempt_start(enrolment=enrolment, course=course)
    client.force_login(trainee)
    body = client.get(
        f"/en/learn/courses/{course.translation_key}/assessment/{attempt.public_id}/"
    ).content.decode()
    assert "Feedback" not in body
    assert "correct" not in body.lower()
    for qid in attempt.question_ids:
        assert f'name="q-{qid}"' in body


def complete(course, user):
    from tests.courses.test_completion import modules_finish, submit

    enrolment = enrolment_create(user=user, course=course)
    modules_finish(enrolment, course)
    submit(user, attempt_start(enrolment=enrolment, course=course), course, correct=True)
    return Certificate.objects.get(enrolment=enrolment)


def test_certificate_verification_is_public(client, course, trainee):
    certificate = complete(course, trainee)
    response = client.get(f"/en/learn/certificates/verify/{certificate.code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in body
    assert course.title in body


def test_unknown_certificate_code(client, home_page):
    response = client.get("/en/learn/certificates/verify/NOPE1234/")
    assert response.status_code == 404
    assert "No certificate has the code “NOPE1234”." in response.content.decode()


def test_coordinator_revokes_with_reason_and_it_is_audited(client, course, trainee, make_user):
    certificate = complete(course, trainee)
    coordinator = make_user(role="coordinator")
    totp_enable(coordinator)
    client.force_login(coordinator)
    url = f"/en/learn/certificates/{certificate.code}/revoke/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(url, {"reason": "Obtained by fraud"})
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Obtained by fraud"
    assert AuditEvent.objects.filter(action="certificate.revoke", reason="Obtained by fraud")
    body = client.get(f"/en/learn/certificates/verify/{certificate.code}/").content.decode()
    assert "This certificate has been revoked." in body


def test_trainee_cannot_revoke(client, course, trainee):
    certificate = complete(course, trainee)
    client.force_login(trainee)
    response = client.post(f"/en/learn/certificates/{certificate.code}/revoke/", {"reason": "x"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_certificate_pdf_download(client, course, trainee, make_user):
    certificate = complete(course, trainee)
    client.force_login(trainee)
    response = client.get(f"/fr/learn/certificates/{certificate.code}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(make_user(role="trainee", username="nosy"))
    response = client.get(f"/fr/learn/certificates/{certificate.code}/download/")
    assert response.status_code == 403


def test_my_learning_shows_progress_and_certificates(
    client, home_page, trainee, django_assert_max_num_queries
):
    done = course_make(title="Termine")
    complete(done, trainee)
    ongoing = course_make(title="En cours", programme_code="wam")
    enrolment_create(user=trainee, course=ongoing)
    client.force_login(trainee)
    with django_assert_max_num_queries(20):
        response = client.get("/en/my-learning/")
    body = response.content.decode()
    assert "En cours" in body and "Termine" in body
    assert 'value="0"' in body
    assert "Valid" in body


def test_search_finds_courses_in_both_languages(client, course):
    course_translate(course, "en")
    response = client.get("/en/learn/search/", {"q": "Sensibilisation"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 courses found" in body


def test_language_switcher_lands_on_the_translated_course(client, course):
    english = course_translate(course, "en")
    body = client.get(course.url).content.decode()
    assert f'href="{english.url}" hreflang="en"' in body


def test_trainer_enrols_trainees_from_a_list(client, course, make_user):
    trainer = make_user(role="trainer")
    totp_enable(trainer)
    office_join("gao", trainer, make_user(role="trainee", username="amadou"))
    client.force_login(trainer)
    url = f"/en/learn/courses/{course.translation_key}/enrol-trainees/"
    response = client.post(url, {"usernames": "amadou\nghost"})
    assert "Unknown account: ghost" in response.content.decode()
    assert Enrolment.objects.count() == 0
    response = client.post(url, {"usernames": "amadou"}, follow=True)
    assert "Enrolled: 1. Already enrolled: 0." in response.content.decode()
    assert AuditEvent.objects.filter(action="course.enrol_trainees").count() == 1


def test_trainee_cannot_enrol_others(client, course, trainee):
    client.force_login(trainee)
    response = client.get(f"/en/learn/courses/{course.translation_key}/enrol-trainees/")
    assert response.status_code == 403


def test_refresher_enrolment_is_the_one_a_module_page_uses(client, home_page, trainee):
    from datetime import timedelta

    from django.utils import timezone

    course = course_make(questions=0, validity=12)
    complete_without_assessment(course, trainee)
    Certificate.objects.update(expires_at=timezone.now() - timedelta(days=1))
    refresher = enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    module = first_module(course)
    body = client.get(module.url).content.decode()
    assert 'name="choice"' in body  # a fresh knowledge check, not the old answers
    assert ModuleProgress.objects.filter(enrolment=refresher).count() == 1


def complete_without_assessment(course, user):
    from tests.courses.test_completion import modules_finish

    enrolment = enrolment_create(user=user, course=course)
    modules_finish(enrolment, course)
    return enrolment


def test_my_learning_resume_links_to_the_last_module(client, course, trainee):
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    module = ModulePage.objects.child_of(course).order_by("path").last()
    client.get(module.url)
    body = client.get("/fr/my-learning/").content.decode()
    assert f'href="{module.url}">Reprendre' in body


def test_expired_certificate_says_so(client, home_page, trainee):
    from datetime import timedelta

    from django.utils import timezone

    course = course_make(questions=0, validity=6)
    complete_without_assessment(course, trainee)
    Certificate.objects.update(expires_at=timezone.now() - timedelta(days=2))
    code = Certificate.objects.get().code
    body = client.get(f"/fr/learn/certificates/verify/{code}/").content.decode()
    assert "Ce certificat a expiré." in body
    assert "Expiré le" in body


def test_verify_form_normalises_the_code(client, course, trainee):
    certificate = complete(course, trainee)
    spaced = "-".join(certificate.code[i : i + 4] for i in range(0, 12, 4)).lower()
    response = client.get("/en/learn/certificates/verify/", {"code": spaced})
    assert response.status_code == 302
    assert response["Location"] == f"/en/learn/certificates/verify/{certificate.code}/"


def test_module_preview_and_anonymous_visit(client, course):
    module = first_module(course)
    response = client.get(module.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


def test_trainer_signs_off_practical_work_on_the_signoff_screen(client, home_page, make_user):
    course = course_make(questions=0, signoff=True)
    trainee = make_user(role="trainee", username="moussa", first_name="Moussa")
    enrolment = complete_without_assessment(course, trainee)
    trainer = make_user(role="trainer")
    office_join("gao", trainer, trainee)
    totp_enable(trainer)
    client.force_login(trainer)
    body = client.get("/en/learn/signoffs/").content.decode()
    assert "Moussa Traoré" in body
    response = client.post(
        "/en/learn/signoffs/", {"enrolment": str(enrolment.public_id), "note": "OK"}, follow=True
    )
    assert "Practical work signed off for Moussa Traoré." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    body = client.get("/en/learn/signoffs/").content.decode()
    assert "No trainee is waiting for a sign-off." in body


def test_trainee_cannot_open_the_signoff_screen(client, course, trainee):
    client.force_login(trainee)
    assert client.get("/en/learn/signoffs/").status_code == 403
