"""Offline study in chromium, phone-sized: keep a course, study it with the network cut,
come back online and see each step reach the LRS once (docs/offline.md)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from courses.models import CoursePage, Enrolment, ModulePage, ModuleProgress
from lms.xapi.models import Statement
from tests.browser.test_courses_flow import english_translate, site_make
from tests.courses.builders import knowledge_check, publish, question
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.service_worker  # the tests drive the service worker

TEXT = {
    "fr": {
        "enrol": "Inscrivez-vous à ce cours",
        "keep": "Rendre disponible hors ligne",
        "kept": "Disponible hors ligne",
        "check": "Vérifier ma réponse",
        "retry": "Réessayer",
        "not_quite": "Pas tout à fait. Lisez le commentaire et réessayez.",
        "correct": "C’est exact.",
        "module_done": "Module terminé. Il sera envoyé au retour de la connexion.",
        "next": "Module suivant",
        "done": "Marquer comme terminé et continuer",
        "waiting": "5 activités en attente d’envoi",
        "all_sent": "Tout ce qui a été fait sur ce téléphone a été envoyé.",
        "assessment": "Évaluation finale",
        "needs_connection": "L’évaluation finale demande une connexion",
        "progress": "2 modules terminés sur 2",
        "refused_actor": "Cette déclaration concerne une autre personne",
        "refused_course": "Cette déclaration ne concerne pas l’un de vos cours.",
        "refused_future": "L’heure de cette déclaration est dans le futur",
    },
    "en": {
        "enrol": "Enrol in this course",
        "keep": "Make available offline",
        "kept": "Available offline",
        "check": "Check my answer",
        "retry": "Try again",
        "not_quite": "Not quite. Read the feedback and try again.",
        "correct": "That’s right.",
        "module_done": "Module complete. It will be sent when the connection comes back.",
        "next": "Next module",
        "done": "Mark as done and continue",
        "waiting": "5 activities waiting to be sent",
        "all_sent": "Everything done on this phone has been sent.",
        "assessment": "Final assessment",
        "needs_connection": "The final assessment needs a connection",
        "progress": "2 of 2 modules complete",
        "refused_actor": "This statement is about another person",
        "refused_course": "This statement is not about one of your courses.",
        "refused_future": "The time of this statement is in the future",
    },
}


def course_make(language: str) -> CoursePage:
    programme = site_make()
    course = programme.add_child(
        instance=CoursePage(
            title="Sensibilisation",
            slug="sensibilisation",
            summary="Reconnaître, ne pas toucher, baliser, signaler.",
            questions_per_attempt=1,
            question_bank=[question("q0", "Danger")],
        )
    )
    publish(course)
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
    course = CoursePage.objects.get(pk=course.pk)
    return english_translate(course) if language == "en" else course


def keep_offline(page, sign_in, language, *, course=None, choose=None):
    """Enrol Awa and keep ``course`` (a new one by default) on the phone; ``choose(page)``
    runs just before "Make available offline" (to tick videos)."""
    text = TEXT[language]
    course = course or course_make(language)
    UserFactory(username="awa", role="trainee", preferred_language=language)
    sign_in("awa", PASSWORD, language)
    expect(page).to_have_url(re.compile("/my-learning/$"))
    page.goto(course.url)
    page.get_by_role("button", name=text["enrol"]).click()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if choose is not None:
        choose(page)
    page.get_by_role("button", name=text["keep"]).click()
    expect(page.locator("#offline-course-state")).to_contain_text(text["kept"])
    # The page is controlled by the service worker once it has claimed it.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return course


def module_two_done_offline(page, course):
    """Cut the network, open module 2 from the kept copy and mark it done."""
    page.context.set_offline(True)
    page.get_by_role("link", name=re.compile("^Module 2")).click()
    page.get_by_role("button", name=TEXT["en"]["done"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.locator("#offline-status")).to_contain_text("activities waiting to be sent")


def verbs_of(enrolment):
    return [
        verb.rsplit("/", 1)[-1]
        for verb in Statement.objects.filter(registration=enrolment.public_id).values_list(
            "verb_id", flat=True
        )
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_study_offline_then_sync_once(page, sign_in, language):
    text = TEXT[language]
    course = keep_offline(page, sign_in, language)

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    page.get_by_role("link", name=re.compile("^Module 1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Module 1"))
    page.get_by_label("Que faire ? answer 0").check()
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".offline-feedback")).to_contain_text(text["not_quite"])
    expect(page.locator(".offline-feedback")).to_contain_text("Feedback 0")
    page.get_by_label("Que faire ? answer 1").check()
    page.get_by_role("button", name=text["check"]).click()
    expect(page.locator(".offline-feedback")).to_contain_text(text["correct"])
    expect(page.locator(".offline-feedback")).to_contain_text("Feedback 1")
    expect(page.locator(".offline-done")).to_contain_text(text["module_done"])
    page.get_by_role("link", name=text["next"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Module 2"))
    page.get_by_role("button", name=text["done"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.locator("#offline-status")).to_contain_text(text["waiting"])
    page.get_by_role("link", name=text["assessment"]).click()
    expect(page.get_by_role("alert")).to_contain_text(text["needs_connection"])
    enrolment = Enrolment.objects.get(user__username="awa")
    assert verbs_of(enrolment) == ["registered"]  # nothing reached the server yet

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text(text["all_sent"])
    verbs = verbs_of(enrolment)
    assert sorted(verbs) == sorted(
        [
            "registered",
            "launched",
            "launched",
            "answered",
            "answered",
            "experienced",
            "completed",
            "completed",
        ]
    )
    assert (
        ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count() == 2
    )
    page.goto(f"/{language}/my-learning/")
    expect(page.get_by_text(text["progress"])).to_be_visible()


def test_final_assessment_offline_says_it_needs_a_connection(page, sign_in):
    course = keep_offline(page, sign_in, "en")
    page.context.set_offline(True)
    page.goto(f"/en/learn/courses/{course.translation_key}/assessment/")
    expect(page.locator("#offline-assessment-message")).to_contain_text(
        TEXT["en"]["needs_connection"]
    )


def test_sync_cut_off_then_resumed_stores_nothing_twice(page, sign_in):
    text = TEXT["en"]
    course = keep_offline(page, sign_in, "en")
    context = page.context
    module_two_done_offline(page, course)

    cut = []

    def cut_after_the_server(route):
        route.fetch()  # the server stores the batch...
        cut.append(route.request.url)
        route.abort("connectionreset")  # ...and the answer never reaches the phone

    context.route(re.compile(r"/learn/offline/sync/$"), cut_after_the_server)
    context.set_offline(False)
    for _ in range(150):  # the phone sends as the connection comes back (a loaded CI: slow)
        if cut:
            break
        page.wait_for_timeout(100)
    assert cut, "the sync was not sent"
    enrolment = Enrolment.objects.get(user__username="awa")
    stored_once = Statement.objects.filter(registration=enrolment.public_id).count()
    page.close()
    context.unroute(re.compile(r"/learn/offline/sync/$"))

    again = context.new_page()
    again.goto(course.url)
    expect(again.locator("#offline-status")).to_contain_text(text["all_sent"])
    assert Statement.objects.filter(registration=enrolment.public_id).count() == stored_once
    assert sorted(verbs_of(enrolment)) == ["completed", "experienced", "launched", "registered"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_forged_statements_are_refused_with_reason_and_do_not_block(page, sign_in, language):
    text = TEXT[language]
    keep_offline(page, sign_in, language)
    page.goto(f"/{language}/my-learning/")
    page.evaluate(
        """async ([other]) => {
          const Q = window.LmsOffline;
          const row = (await Q.all("packages"))[0];
          const pkg = row.descriptor;
          const target = {objectType: "Activity", id: pkg.modules[0].iri,
                          definition: {type: pkg.module_type, name: {en: "Module 1"}}};
          const put = (s) => Q.enqueue(pkg, s);
          const someone = Q.statementMake(pkg, "launched", target);
          someone.actor = {objectType: "Agent", account: {homePage: pkg.actor.account.homePage,
                                                        name: other}};
          const course = Q.statementMake(pkg, "launched", target);
          course.context.registration = other;
          const future = Q.statementMake(pkg, "launched", target);
          future.timestamp = new Date(Date.now() + 3600 * 1000).toISOString();
          const good = Q.statementMake(pkg, "launched", target);
          for (const s of [someone, course, future, good]) await put(s);
        }""",
        [str(uuid.uuid4())],
    )
    page.reload()
    status = page.locator("#offline-status")
    expect(status).to_contain_text(text["refused_actor"])
    expect(status).to_contain_text(text["refused_course"])
    expect(status).to_contain_text(text["refused_future"])
    enrolment = Enrolment.objects.get(user__username="awa")
    assert sorted(verbs_of(enrolment)) == ["launched", "registered"]


def test_a_new_revision_replaces_the_copy_and_says_so(page, sign_in):
    course = keep_offline(page, sign_in, "en")
    module = ModulePage.objects.child_of(course).order_by("path").first()
    module.title = "Module 1, revised"
    publish(module)
    page.reload()
    expect(page.locator("#offline-status")).to_contain_text(
        "A new version of this course was published: the copy on this phone was updated."
    )
    page.context.set_offline(True)
    page.goto(module.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 1, revised")


def test_a_course_unpublished_while_offline_loses_its_copy_not_its_queue(page, sign_in):
    course = keep_offline(page, sign_in, "en")
    module_two_done_offline(page, course)
    page.goto("/en/my-learning/")
    for translation in CoursePage.objects.filter(translation_key=course.translation_key):
        translation.unpublish()
    page.context.set_offline(False)
    status = page.locator("#offline-status")
    expect(status).to_contain_text(
        "This course is no longer published: its copy was removed from this phone."
    )
    expect(status).to_contain_text("This course is no longer published.")
    assert page.evaluate("caches.keys()") == [
        name for name in page.evaluate("caches.keys()") if not name.startswith("lms-course-")
    ]


def test_statements_stay_with_the_trainee_who_made_them(page, sign_in):
    course = keep_offline(page, sign_in, "en")
    awa = Enrolment.objects.get(user__username="awa")
    module_two_done_offline(page, course)

    page.context.clear_cookies()  # signed out while the statements wait
    page.context.set_offline(False)
    UserFactory(username="bob", role="trainee")
    sign_in("bob", PASSWORD, "en")
    expect(page).to_have_url(re.compile("/my-learning/$"))
    page.goto(course.url)
    page.wait_for_load_state("networkidle")
    assert verbs_of(awa) == ["registered"]  # nothing sent under Bob's account
    waiting = page.evaluate(
        "LmsOffline.all('queue').then(rows => rows.map(r => [r.account, r.status]))"
    )
    assert waiting == [[awa.user_id, "waiting"]] * 2

    page.context.clear_cookies()
    sign_in("awa", PASSWORD, "en")
    expect(page.locator("#offline-status")).to_contain_text(TEXT["en"]["all_sent"])
    assert sorted(verbs_of(awa)) == ["completed", "experienced", "launched", "registered"]


def test_an_interrupted_download_keeps_nothing(page, sign_in):
    text = TEXT["en"]
    course = course_make("en")
    UserFactory(username="awa", role="trainee")
    sign_in("awa", PASSWORD, "en")
    expect(page).to_have_url(re.compile("/my-learning/$"))
    page.goto(course.url)
    page.get_by_role("button", name=text["enrol"]).click()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.route(re.compile(r"/module-2/$"), lambda route: route.abort("connectionreset"))
    page.get_by_role("button", name=text["keep"]).click()
    expect(page.locator("#offline-course-state")).to_have_text(
        "The download was interrupted: nothing was kept. Try again when the connection is better."
    )
    assert page.evaluate("LmsOffline.all('packages')") == []
    assert not [n for n in page.evaluate("caches.keys()") if n.startswith("lms-course-")]


def test_two_tabs_coming_back_online_send_each_statement_once(page, sign_in):
    text = TEXT["en"]
    course = keep_offline(page, sign_in, "en")
    context = page.context
    module_two_done_offline(page, course)
    other = context.new_page()
    other.goto(course.url)
    expect(other.locator("#offline-status")).to_contain_text("activities waiting to be sent")
    sent = []
    context.on("request", lambda r: sent.append(r.url) if r.url.endswith("/sync/") else None)
    context.set_offline(False)  # both tabs hear "online" and sync at once
    for tab in (page, other):
        expect(tab.locator("#offline-status")).to_contain_text(text["all_sent"])
    enrolment = Enrolment.objects.get(user__username="awa")
    assert sorted(verbs_of(enrolment)) == ["completed", "experienced", "launched", "registered"]
    assert len(sent) == 1  # one tab sent the queue; the other found it empty
