"""Demo step: the course catalogue, its programmes and four courses, in French and English.

Idempotent: pages are found by slug and only what is missing is created. Demo pages are
published directly (the workflow-free path); real courses go through "Course review".
"""

from __future__ import annotations

from wagtail.models import Locale

from lms.core.models import HomePage

from .demo_content import COURSES, PROGRAMMES
from .models import CourseCatalogue, CoursePage, ModulePage, ProgrammePage
from .services.catalogue import catalogue_permissions_ensure

LANGS = ("fr", "en")
CATALOGUE = {"fr": ("Catalogue des cours", "catalogue"), "en": ("Course catalogue", "catalogue")}
CATALOGUE_INTRO = {
    "fr": "<p>Cours en ligne par programme. Inscrivez-vous et progressez à votre rythme.</p>",
    "en": "<p>Online courses by programme. Enrol and learn at your own pace.</p>",
}


def _choices(choices, i):
    return [
        {"text": text[i], "correct": correct, "feedback": feedback[i]}
        for text, correct, feedback in choices
    ]


def _question(block_type: str, block_id: str, item: dict, i: int) -> dict:
    return {
        "type": block_type,
        "id": block_id,
        "value": {
            "question": item["q"][i],
            "kind": item["kind"],
            "choices": _choices(item["choices"], i),
        },
    }


def _module_body(slug: str, index: int, module: dict, i: int) -> list[dict]:
    prefix = f"{slug}-m{index}"
    body = [{"type": "text", "id": f"{prefix}-text", "value": module["text"][i]}]
    if "warning" in module:
        body.append(
            {
                "type": "safety_warning",
                "id": f"{prefix}-warning",
                "value": {
                    "title": ("Sécurité", "Safety")[i],
                    "text": f"<p>{module['warning'][i]}</p>",
                },
            }
        )
    if "procedure" in module:
        title, steps = module["procedure"]
        body.append(
            {
                "type": "procedure",
                "id": f"{prefix}-procedure",
                "value": {"title": title[i], "steps": [f"<p>{step[i]}</p>" for step in steps]},
            }
        )
    for n, item in enumerate(module["checks"]):
        body.append(_question("knowledge_check", f"{prefix}-kc{n}", item, i))
    return body


def _publish(page):
    page.save_revision().publish()
    return page


def _translate(page, locale, **fields):
    if page.has_translation(locale):
        return page.get_translation(locale)
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return _publish(copy)


def demo_courses() -> list[str]:
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGS}
    home = HomePage.objects.filter(locale=locales["fr"]).first()
    if home is None:
        return []
    catalogue = CourseCatalogue.objects.child_of(home).first()
    if catalogue is None:
        title, slug = CATALOGUE["fr"]
        catalogue = _publish(
            home.add_child(
                instance=CourseCatalogue(title=title, slug=slug, intro=CATALOGUE_INTRO["fr"])
            )
        )
    catalogue_permissions_ensure(catalogue=catalogue)
    if home.has_translation(locales["en"]):
        title, slug = CATALOGUE["en"]
        english = _translate(
            catalogue, locales["en"], title=title, slug=slug, intro=CATALOGUE_INTRO["en"]
        )
        catalogue_permissions_ensure(catalogue=english)
    programmes = {}
    for code, titles, intros in PROGRAMMES:
        programme = ProgrammePage.objects.child_of(catalogue).filter(programme_code=code).first()
        if programme is None:
            programme = _publish(
                catalogue.add_child(
                    instance=ProgrammePage(
                        title=titles[0], slug=code, programme_code=code, intro=f"<p>{intros[0]}</p>"
                    )
                )
            )
        if catalogue.has_translation(locales["en"]):
            _translate(programme, locales["en"], title=titles[1], intro=f"<p>{intros[1]}</p>")
        programmes[code] = programme
    created = []
    for spec in COURSES:
        created.append(_demo_course(spec, programmes[spec["programme"]], locales))
    return created


def _course_fields(spec: dict, i: int) -> dict:
    return {
        "title": spec["title"][i],
        "summary": spec["summary"][i],
        "learning_objectives": spec["objectives"][i],
        "question_bank": [
            _question("question", f"{spec['slug']}-q{n}", item, i)
            for n, item in enumerate(spec["questions"])
        ],
    }


def _demo_course(spec: dict, programme: ProgrammePage, locales) -> str:
    # French pages have French slugs; the English translations keep the English ones.
    slug, fr_slug = spec["slug"], spec.get("slug_fr", spec["slug"])
    course = CoursePage.objects.child_of(programme).filter(slug__in=[fr_slug, slug]).first()
    if course is None:
        course = programme.add_child(
            instance=CoursePage(
                slug=fr_slug,
                level=spec["level"],
                expected_duration_minutes=spec["minutes"],
                language="fr-en",
                certificate_validity_months=spec["validity"],
                questions_per_attempt=min(4, len(spec["questions"])),
                pass_mark_percent=75,
                attempt_limit=3,
                attempt_wait_minutes=10,
                **_course_fields(spec, 0),
            )
        )
        _publish(course)
    modules = []
    for index, module in enumerate(spec["modules"]):
        slugs = [f"{fr_slug}-{index + 1}", f"{slug}-{index + 1}"]
        page = ModulePage.objects.child_of(course).filter(slug__in=slugs).first()
        if page is None:
            page = course.add_child(
                instance=ModulePage(
                    title=module["title"][0],
                    slug=slugs[0],
                    intro=module["intro"][0],
                    body=_module_body(slug, index, module, 0),
                )
            )
            _publish(page)
        modules.append((page, module, index))
    if programme.has_translation(locales["en"]):
        _translate(course, locales["en"], slug=slug, **_course_fields(spec, 1))
        for page, module, index in modules:
            _translate(
                page,
                locales["en"],
                slug=f"{slug}-{index + 1}",
                title=module["title"][1],
                intro=module["intro"][1],
                body=_module_body(slug, index, module, 1),
            )
    return spec["title"][1]
