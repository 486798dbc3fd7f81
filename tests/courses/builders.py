"""Small course trees for tests: a catalogue, a programme, a course with modules."""

from wagtail.models import Locale, Page, Site

from courses.models import CourseCatalogue, CoursePage, ModulePage, ProgrammePage
from lms.core.models import HomePage


def home_page_make() -> HomePage:
    """A French home page and its English translation as the default site's root."""
    fr = Locale.objects.get_or_create(language_code="fr")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Accueil formation", slug="accueil", intro="<p>Bienvenue</p>", locale=fr
        )
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    english = home.copy_for_translation(en)
    english.title, english.slug, english.intro = "Training home", "training-home", "<p>Welcome</p>"
    english.save_revision().publish()
    return home


def question(block_id: str, text: str, correct: int = 0, kind: str = "single", n: int = 3):
    return {
        "type": "question",
        "id": block_id,
        "value": {
            "question": text,
            "kind": kind,
            "choices": [
                {
                    "text": f"{text} answer {i}",
                    "correct": i == correct if isinstance(correct, int) else i in correct,
                    "feedback": f"Feedback {i}",
                }
                for i in range(n)
            ],
        },
    }


def knowledge_check(block_id: str, text: str, correct: int = 0):
    block = question(block_id, text, correct)
    block["type"] = "knowledge_check"
    return block


def attempt_answers(attempt, course, *, right: bool = True) -> dict[str, list[str]]:
    """What a trainee who knows (or picks a wrong answer of) every question of ``attempt``
    sends: the positions of those choices as the attempt shows them."""
    from courses.selectors import attempt_questions

    bank = {block.id: block.value for block in course.question_bank}
    answers = {}
    for shown in attempt_questions(attempt=attempt, course=course):
        choices = bank[shown["id"]]["choices"]
        texts = {choice["text"] for choice in choices if bool(choice["correct"]) == right}
        answers[shown["id"]] = [
            str(choice["position"]) for choice in shown["choices"] if choice["text"] in texts
        ][: None if right else 1]
    return answers


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def catalogue_make(home=None) -> CourseCatalogue:
    home = home or HomePage.objects.filter(locale__language_code="fr").first()
    existing = CourseCatalogue.objects.filter(locale=home.locale).first()
    if existing:
        return existing
    catalogue = home.add_child(instance=CourseCatalogue(title="Catalogue", slug="catalogue"))
    return publish(catalogue)


def course_make(
    *,
    title="Sensibilisation NEM",
    questions=4,
    per_attempt=2,
    pass_mark=50,
    attempts=3,
    wait=0,
    signoff=False,
    validity=None,
    modules=(("Reconnaître", True), ("Signaler", False)),
    programme_code="eod",
    home=None,
) -> CoursePage:
    catalogue = catalogue_make(home)
    programme = ProgrammePage.objects.filter(programme_code=programme_code).first()
    if programme is None:
        programme = publish(
            catalogue.add_child(
                instance=ProgrammePage(
                    title=f"Programme {programme_code}",
                    slug=f"programme-{programme_code}",
                    programme_code=programme_code,
                )
            )
        )
    course = programme.add_child(
        instance=CoursePage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            summary=f"Résumé de {title}",
            questions_per_attempt=per_attempt,
            pass_mark_percent=pass_mark,
            attempt_limit=attempts,
            attempt_wait_minutes=wait,
            practical_signoff_required=signoff,
            certificate_validity_months=validity,
            question_bank=[question(f"q{i}", f"Question {i}", correct=0) for i in range(questions)],
        )
    )
    publish(course)
    for index, (module_title, with_check) in enumerate(modules):
        body = [{"type": "text", "value": f"<p>Contenu {module_title}</p>"}]
        if with_check:
            body.append(knowledge_check(f"kc{index}", f"Vérification {index}", correct=1))
        module = course.add_child(
            instance=ModulePage(
                title=module_title, slug=f"{course.slug}-m{index}", body=body, intro=""
            )
        )
        publish(module)
    return CoursePage.objects.get(pk=course.pk)


def course_translate(course: CoursePage, language: str = "en") -> CoursePage:
    """Translate the course and its ancestors/children the way simple_translation does."""
    locale = Locale.objects.get_or_create(language_code=language)[0]
    for ancestor in course.get_ancestors().filter(depth__gt=2).specific():
        if not ancestor.has_translation(locale):
            publish(ancestor.copy_for_translation(locale))
    translated = course.copy_for_translation(locale)
    translated.title = f"{course.title} ({language})"
    publish(translated)
    for module in ModulePage.objects.child_of(course):
        copy = module.copy_for_translation(locale)
        copy.title = f"{module.title} ({language})"
        publish(copy)
    return CoursePage.objects.get(pk=translated.pk)


def root_page():
    return Page.get_first_root_node()


def office_join(code: str, *users):
    """Put accounts in a field office (Gao, Kidal...): trainers act for their offices only."""
    from lms.accounts.models import FieldOffice

    office = FieldOffice.objects.get_or_create(code=code, defaults={"name": code.title()})[0]
    for user in users:
        user.field_offices.add(office)
    return office
