"""Authoring and review in the real Wagtail editor: a trainer writes a course (fields, a module
with rich text and a knowledge check, a final assessment's question bank) and submits it; a
lead trainer requests changes with a comment, which the trainer reads in the workflow
history; the trainer fixes and resubmits; the lead trainer approves; the course is in the
public catalogue. Then the English version is translated, submitted and approved, and the
language switcher on the French course lands on the English one.

The English version: with WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE (our setting),
simple_translation makes it when the French page is created, as an alias; the admin's way to
translate it is "Convert this alias into an ordinary page", then edit. The "Translate" action
is only offered for pages that have no English version yet, so it is not the path here.

The site, catalogues and programme (French and English) are set up through services, as the
demo data makes them; every authoring and review step goes through the browser, and the
database is only read to find pages' ids and check what the screens did."""

import re

from playwright.sync_api import expect
from wagtail.models import Locale, WorkflowState

from courses.models import CourseCatalogue, CoursePage, ModulePage
from courses.services.catalogue import catalogue_permissions_ensure
from tests.browser.test_courses_flow import site_make, staff_sign_in
from tests.courses.builders import publish
from tests.factories import UserFactory, totp_enable

COMMENT = "Ajoutez le délai d’attente entre deux tentatives."


def english_tree(programme):
    """The English catalogue and programme, as the demo data makes them."""
    en = Locale.objects.get(language_code="en")
    catalogue = programme.get_parent().specific
    english_catalogue = catalogue.copy_for_translation(en)
    english_catalogue.title, english_catalogue.slug = "Course catalogue", "courses"
    publish(english_catalogue)
    catalogue_permissions_ensure(catalogue=CourseCatalogue.objects.get(pk=english_catalogue.pk))
    english = programme.copy_for_translation(en)
    english.title = "Explosive ordnance disposal"
    publish(english)


def rich_text(page, field_id: str, text: str) -> None:
    editor = page.locator(f"[data-field-input]:has(input[id='{field_id}']) [contenteditable=true]")
    editor.click()
    page.keyboard.type(text)


def stream_add(page, stream: str) -> None:
    """The block chooser's "+" after the last block of a StreamField (not a list's "+")."""
    page.locator(
        f"#{stream}-root button.c-sf-add-button:not([data-streamfield-list-add])"
    ).last.click()


def question_fill(page, prefix: str, text: str, choices: list[tuple[str, bool, str]]) -> None:
    """Fill a question block: the first choice exists already, the others are added."""
    page.locator(f"[id='{prefix}-question']").fill(text)
    for n, (answer, correct, feedback) in enumerate(choices):
        if n:
            page.locator(
                f"[data-contentpath='choices']:has(input[name='{prefix}-choices-count']) "
                "button[data-streamfield-list-add]"
            ).last.click()
        page.locator(f"[id='{prefix}-choices-{n}-value-text']").fill(answer)
        if correct:
            page.locator(f"[id='{prefix}-choices-{n}-value-correct']").check()
        page.locator(f"[id='{prefix}-choices-{n}-value-feedback']").fill(feedback)


def more_actions(page):
    page.get_by_role("button", name=re.compile("More actions|Plus d")).click()


def action(page, name: str):
    more_actions(page)
    page.get_by_role("button", name=re.compile(name, re.I)).click()


def test_trainer_writes_lead_trainer_reviews_then_english_version(page, sign_in, settings):
    # Wagtail 8 autosaves every 500 ms: on the create view the first autosave makes the page
    # and swaps the URL and form mid-typing. Off, so the test drives the explicit buttons.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    # The editor's round trips (workflow modal, redirects) are slow on a loaded 2-core machine.
    page.set_default_timeout(45_000)
    expect.set_options(timeout=30_000)
    try:
        _flow(page, sign_in)
    finally:
        expect.set_options(timeout=5_000)


def _flow(page, sign_in):
    programme = site_make()
    english_tree(programme)
    trainer = UserFactory(username="trainer", role="trainer")
    lead = UserFactory(username="lead", role="lead_trainer")
    trainer_secret, lead_secret = totp_enable(trainer), totp_enable(lead)

    # The trainer creates the course under the programme, with its fields and question bank.
    staff_sign_in(page, sign_in, trainer, trainer_secret)
    page.goto(f"/admin/pages/{programme.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(r"/admin/pages/add/courses/coursepage/\d+/$"))
    page.locator("#id_title").fill("Sensibilisation aux restes explosifs")
    page.locator("#id_summary").fill("Reconnaître, ne pas toucher, baliser, signaler.")
    rich_text(page, "id_learning_objectives", "Reconnaître un engin explosif.")
    page.locator("#id_level").select_option("eod1")
    page.locator("#id_expected_duration_minutes").fill("90")
    page.locator("#id_language").select_option("fr")
    page.locator("#id_certificate_validity_months").fill("24")
    page.locator("#id_questions_per_attempt").fill("1")
    page.locator("#id_pass_mark_percent").fill("100")
    page.locator("#id_attempt_limit").fill("3")
    page.locator("#id_attempt_wait_minutes").fill("0")
    stream_add(page, "question_bank")
    question_fill(
        page,
        "question_bank-0-value",
        "Que faire devant un engin inconnu ?",
        [("Le déplacer", False, "Jamais."), ("Baliser et signaler", True, "Oui.")],
    )
    page.get_by_role("button", name=re.compile("^(Save draft|Enregistrer le brouillon)")).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    course = CoursePage.objects.get(
        title="Sensibilisation aux restes explosifs", locale__language_code="fr"
    )
    assert not course.live and course.level == "eod1" and course.pass_mark_percent == 100
    draft = course.get_latest_revision_as_object()
    assert draft.certificate_validity_months == 24
    assert [b.value["question"] for b in draft.question_bank] == [
        "Que faire devant un engin inconnu ?"
    ]

    # A module with rich text and a knowledge check, submitted with the course.
    page.goto(f"/admin/pages/{course.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(r"/admin/pages/add/courses/modulepage/\d+/$"))
    page.locator("#id_title").fill("Reconnaître")
    stream_add(page, "body")
    page.get_by_role("option", name=re.compile("^(Text|Texte)$")).click()
    rich_text(page, "body-0-value", "Un engin explosif peut être enfoui ou visible.")
    stream_add(page, "body")
    page.get_by_role("option", name=re.compile("^(Knowledge check|Vérification)")).click()
    question_fill(
        page,
        "body-1-value",
        "Vous voyez une munition au sol : que faites-vous ?",
        [("Je la ramasse", False, "Ne touchez jamais."), ("Je signale", True, "Bien.")],
    )
    action(page, "^(Submit to|Soumettre)")
    expect(page.locator(".messages")).to_contain_text(re.compile("submitted|soumise"))
    module = ModulePage.objects.get(title="Reconnaître", locale__language_code="fr")
    body = module.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["text", "knowledge_check"]
    assert "enfoui" in str(body[0].value)

    page.goto(f"/admin/pages/{course.pk}/edit/")
    action(page, "^(Submit to|Soumettre)")
    expect(page.locator(".messages")).to_contain_text(re.compile("submitted|soumise"))
    page.context.clear_cookies()

    # The lead trainer requests changes, with a comment.
    staff_sign_in(page, sign_in, lead, lead_secret)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    action(page, "^(Request changes|Demander des modifications)")
    page.locator(".modal textarea[name='comment']").fill(COMMENT)
    page.locator(".modal button[type='submit']").click()
    expect(page.locator(".messages")).to_contain_text(
        re.compile("has been updated|a été mise à jour")
    )
    state = WorkflowState.objects.filter(object_id=str(course.pk)).latest("created_at")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    course.refresh_from_db()
    assert not course.live
    page.context.clear_cookies()

    # The trainer reads the comment, fixes the course and resubmits it.
    staff_sign_in(page, sign_in, trainer, trainer_secret)
    page.goto(f"/admin/pages/{course.pk}/workflow_history/detail/{state.pk}/")
    expect(page.locator("main")).to_contain_text(COMMENT)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    page.locator("#id_attempt_wait_minutes").fill("30")
    action(page, "^(Resubmit|Resoumettre|Soumettre à nouveau|Soumettre de nouveau)")
    expect(page.locator(".messages")).to_contain_text(re.compile("submitted|soumise"))
    page.context.clear_cookies()

    # The lead trainer approves the course and its module: both are published.
    staff_sign_in(page, sign_in, lead, lead_secret)
    for pk in (course.pk, module.pk):
        page.goto(f"/admin/pages/{pk}/edit/")
        action(page, r"^\s*(Approve and Publish|Approuver et publier)$")
        expect(page.locator(".messages")).to_contain_text(
            re.compile("has been updated|a été mise à jour|published|publiée")
        )
    course.refresh_from_db()
    module.refresh_from_db()
    assert course.live and module.live and course.attempt_wait_minutes == 30
    page.context.clear_cookies()

    page.goto(course.get_parent().get_parent().url)
    expect(page.get_by_role("link", name="Sensibilisation aux restes explosifs")).to_be_visible()

    # The English version: simple_translation made it as an alias when the French page was
    # created (WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE); the trainer converts it in the admin,
    # translates it and submits it; the lead trainer approves it.
    english = CoursePage.objects.get(
        translation_key=course.translation_key, locale__language_code="en"
    )
    english_module = ModulePage.objects.get(
        translation_key=module.translation_key, locale__language_code="en"
    )
    staff_sign_in(page, sign_in, trainer, trainer_secret)
    for pk, fields in (
        (
            english.pk,
            {"title": "Explosive remnants awareness", "summary": "Recognise, do not touch."},
        ),
        (english_module.pk, {"title": "Recognise"}),
    ):
        page.goto(f"/admin/pages/{pk}/edit/")
        page.get_by_role(
            "link", name=re.compile("^(Convert this alias|Convertir cet alias)")
        ).click()
        page.get_by_role(
            "button", name=re.compile("^(Yes, convert it|Oui, le convertir|Oui, convertir)")
        ).click()
        expect(page).to_have_url(re.compile(rf"/admin/pages/{pk}/edit/$"))
        for name, text in fields.items():
            page.locator(f"#id_{name}").fill(text)
        action(page, "^(Submit to|Soumettre)")
        expect(page.locator(".messages")).to_contain_text(re.compile("submitted|soumise"))
    page.context.clear_cookies()

    staff_sign_in(page, sign_in, lead, lead_secret)
    for pk in (english.pk, english_module.pk):
        page.goto(f"/admin/pages/{pk}/edit/")
        action(page, r"^\s*(Approve and Publish|Approuver et publier)$")
        expect(page.locator(".messages")).to_contain_text(
            re.compile("has been updated|a été mise à jour|published|publiée")
        )
    english.refresh_from_db()
    english_module.refresh_from_db()
    assert english.alias_of_id is None and english.live
    assert english.title == "Explosive remnants awareness" and english_module.title == "Recognise"
    page.context.clear_cookies()

    # A visitor on the French course follows the language switcher to the English course.
    page.goto(course.url)
    page.locator("a[hreflang='en']").first.click()
    expect(page).to_have_url(re.compile(re.escape(english.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Explosive remnants awareness")
