"""The whole course path in chromium: write, submit, approve, enrol, learn, fail, pass,
download the certificate, verify it publicly; then the statements recorded for it."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale, Page, Site

from courses.models import Certificate, CoursePage, Enrolment, ModulePage, ProgrammePage
from courses.services.catalogue import catalogue_permissions_ensure
from lms.core.models import HomePage
from lms.xapi.models import Statement
from tests.courses.builders import catalogue_make, knowledge_check, publish, question
from tests.factories import PASSWORD, UserFactory, totp_code, totp_enable

TEXT = {
    "fr": {
        "enrol": "Inscrivez-vous à ce cours",
        "check": "Vérifier ma réponse",
        "done": "Marquer comme terminé et continuer",
        "next": "Module suivant",
        "assessment": "Évaluation finale",
        "start": "Commencer une tentative",
        "submit": "Envoyer mes réponses",
        "failed": "Vous n’avez pas atteint la note de passage cette fois.",
        "passed": "Vous avez réussi l’évaluation finale.",
        "download": "Télécharger votre certificat (PDF)",
        "valid": "Ce certificat est valide.",
    },
    "en": {
        "enrol": "Enrol in this course",
        "check": "Check my answer",
        "done": "Mark as done and continue",
        "next": "Next module",
        "assessment": "Final assessment",
        "start": "Start an attempt",
        "submit": "Submit my answers",
        "failed": "You did not reach the pass mark this time.",
        "passed": "You passed the final assessment.",
        "download": "Download your certificate (PDF)",
        "valid": "This certificate is valid.",
    },
}


def site_make():
    fr = Locale.objects.get_or_create(language_code="fr")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Accueil", slug="accueil", locale=fr)
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    english = home.copy_for_translation(en)
    english.title, english.slug = "Home", "training-home"
    publish(english)
    catalogue = catalogue_make(home)
    catalogue_permissions_ensure(catalogue=catalogue)
    programme = publish(
        catalogue.add_child(
            instance=ProgrammePage(title="NEDex", slug="nedex", programme_code="eod")
        )
    )
    return programme


def draft_course(programme) -> CoursePage:
    """The trainer's draft so far: two modules and a question bank, not yet submitted."""
    course = programme.add_child(
        instance=CoursePage(
            title="Brouillon",
            slug="sensibilisation",
            summary="Reconnaître, ne pas toucher, baliser, signaler.",
            questions_per_attempt=2,
            pass_mark_percent=100,
            attempt_limit=3,
            attempt_wait_minutes=0,
            question_bank=[question("q0", "Danger"), question("q1", "Signaler")],
            live=False,
        )
    )
    course.save_revision()
    for index, with_check in enumerate([True, False]):
        body = [{"type": "text", "value": f"<p>Contenu {index}</p>"}]
        if with_check:
            body.append(knowledge_check("kc0", "Que faire ?", correct=1))
        publish(
            course.add_child(
                instance=ModulePage(
                    title=f"Module {index + 1}", slug=f"module-{index + 1}", body=body
                )
            )
        )
    return course


def staff_sign_in(page, sign_in, user, secret, language="en"):
    sign_in(user.username, PASSWORD, language)
    expect(page).to_have_url(re.compile("/2fa/authenticate/$"))
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/my-learning/$"))


def sign_out(page, language):
    page.context.clear_cookies()


def english_translate(course):
    en = Locale.objects.get(language_code="en")
    for ancestor in course.get_ancestors().filter(depth__gt=2).specific():
        if not ancestor.has_translation(en):
            publish(ancestor.copy_for_translation(en))
    copy = course.copy_for_translation(en)
    copy.title = "Explosive ordnance awareness"
    publish(copy)
    for module in ModulePage.objects.child_of(course):
        publish(module.copy_for_translation(en))
    return CoursePage.objects.get(pk=copy.pk)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_course_from_writing_to_verified_certificate(page, sign_in, language):
    text = TEXT[language]
    programme = site_make()
    course = draft_course(programme)
    trainer = UserFactory(username="trainer", role="trainer")
    lead = UserFactory(username="lead", role="lead_trainer")
    trainee = UserFactory(username="awa", role="trainee", preferred_language=language)
    trainer_secret, lead_secret = totp_enable(trainer), totp_enable(lead)

    # A trainer writes the course and submits it for review; they cannot publish it.
    staff_sign_in(page, sign_in, trainer, trainer_secret)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    page.locator("#id_title").fill("Sensibilisation aux engins explosifs")
    page.get_by_role("button", name=re.compile("More actions|Plus d")).click()
    expect(page.get_by_role("button", name=re.compile("^Publi"))).to_have_count(0)
    page.get_by_role("button", name=re.compile("Submit to|Soumettre")).click()
    expect(page.locator(".messages")).to_contain_text(re.compile("submitted|soumise"))
    course.refresh_from_db()
    assert not course.live
    sign_out(page, language)

    # A lead trainer approves it: it is published.
    staff_sign_in(page, sign_in, lead, lead_secret)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    page.get_by_role("button", name=re.compile("More actions|Plus d")).click()
    page.get_by_role(
        "button", name=re.compile(r"^\s*(Approve and Publish|Approuver et publier)$", re.I)
    ).click()
    expect(page.locator(".messages")).to_contain_text(
        re.compile("has been updated|a été mise à jour")
    )
    course.refresh_from_db()
    assert course.live and course.title == "Sensibilisation aux engins explosifs"
    sign_out(page, language)
    if language == "en":
        course = english_translate(course)

    # A trainee enrols, completes both modules, fails then passes the assessment.
    sign_in("awa", PASSWORD, language)
    expect(page).to_have_url(re.compile("/my-learning/$"))
    page.goto(course.url)
    page.get_by_role("button", name=text["enrol"]).click()
    page.get_by_role("link", name=re.compile("^Module 1")).click()
    page.get_by_label("Que faire ? answer 1").check()
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".answered")).to_contain_text("Feedback 1")
    page.get_by_role("link", name=text["next"]).click()  # the check completed the module
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Module 2"))
    page.get_by_role("button", name=text["done"]).click()
    page.get_by_role("link", name=text["assessment"]).click()

    page.get_by_role("button", name=text["start"]).click()
    for label in page.get_by_label(re.compile("answer 2$")).all():
        label.check()
    page.get_by_role("button", name=text["submit"]).click()
    expect(page.locator(".messages")).to_contain_text(text["failed"])
    page.get_by_role("button", name=text["start"]).click()
    for label in page.get_by_label(re.compile("answer 0$")).all():
        label.check()
    page.get_by_role("button", name=text["submit"]).click()
    expect(page.locator(".messages")).to_contain_text(text["passed"])

    page.goto(course.url)
    with page.expect_download() as download:
        page.get_by_role("link", name=text["download"]).click()
    assert download.value.suggested_filename.startswith("certificate-")
    certificate = Certificate.objects.get(user=trainee)

    # A visitor, not signed in, verifies it by code.
    page.context.clear_cookies()
    page.goto(f"/{language}/learn/certificates/verify/")
    page.get_by_label(re.compile("Verification code|Code de vérification")).fill(
        certificate.code.lower()
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(text["valid"])

    # The LRS holds the path, grouped by the enrolment's registration.
    enrolment = Enrolment.objects.get(user=trainee)
    verbs = [
        verb.rsplit("/", 1)[-1]
        for verb in Statement.objects.filter(registration=enrolment.public_id)
        .order_by("seq")
        .values_list("verb_id", flat=True)
    ]
    assert verbs[0] == "registered"
    assert verbs.count("launched") == 2
    assert verbs.count("experienced") == 1
    assert verbs.count("attempted") == 2
    assert verbs.count("answered") == 1 + 2 + 2
    assert verbs.count("failed") == 1 and verbs.count("passed") == 1
    assert verbs[-2:] == ["completed", "satisfied"]
    assert verbs.count("completed") == 3
