"""What a phone needs to study a course offline, and what a synced statement may be about."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from courses.models import CoursePage, Enrolment, ModulePage
from courses.selectors import course_by_key, course_modules

#: Image renditions a phone gets: the module pages' own srcset widths up to a phone's screen.
PHONE_RENDITIONS = ("width-360", "width-720")

_MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
_QUESTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
_COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"


def _iri(kind: str, key) -> str:
    return f"{settings.SITE_URL}/xapi/activities/{kind}/{key}"


def _file_size(document) -> int | None:
    size = getattr(document, "file_size", None)
    if size:
        return int(size)
    try:
        return int(document.file.size)
    except (OSError, ValueError):
        return None


def _module_files(module: ModulePage) -> tuple[list[dict], list[dict]]:
    """(files always in the package, optional videos) of one module's body."""
    files: list[dict] = []
    videos: list[dict] = []
    for block in module.body:
        value = block.value
        if block.block_type == "image" and value.get("image") is not None:
            for spec in PHONE_RENDITIONS:
                rendition = value["image"].get_rendition(spec)
                files.append({"url": rendition.url, "kind": "image"})
        elif block.block_type == "document" and value.get("document") is not None:
            document = value["document"]
            files.append({"url": document.url, "kind": "document", "size": _file_size(document)})
        elif block.block_type == "video" and value.get("video") is not None:
            if value.get("captions") is not None:
                files.append({"url": value["captions"].url, "kind": "captions"})
            if value.get("poster") is not None:
                files.append(
                    {"url": value["poster"].get_rendition("width-720").url, "kind": "image"}
                )
            videos.append(
                {
                    "url": value["video"].url,
                    "title": str(value["title"]),
                    "size": _file_size(value["video"]),
                    "module": module.title,
                }
            )
    return files, videos


def _checks(course: CoursePage, module: ModulePage) -> list[dict]:
    """Knowledge checks with their key and feedback: they are formative, so the answers may
    travel to the phone (the final assessment's never do)."""
    return [
        {
            "id": block.id,
            "iri": _iri("question", course.question_uuid(block.id)),
            "question": str(block.value["question"]),
            "kind": block.value["kind"],
            "correct": [i for i, c in enumerate(block.value["choices"]) if c["correct"]],
            "feedback": [str(c["feedback"] or "") for c in block.value["choices"]],
        }
        for block in module.body
        if block.block_type == "knowledge_check"
    ]


def offline_package(*, course: CoursePage, enrolment: Enrolment, person_uuid: uuid.UUID) -> dict:
    """The package descriptor: pages, files and optional videos to keep, the checks' keys,
    and what the phone needs to write statements. ``version`` changes with every new
    published revision of the course or of one of its modules."""
    modules = course_modules(course=course)
    language = course.locale.language_code
    stamp = hashlib.sha256()
    stamp.update(f"{course.pk}:{course.last_published_at}:{language}".encode())
    files: list[dict] = []
    videos: list[dict] = []
    module_rows = []
    for module in modules:
        stamp.update(f"|{module.pk}:{module.last_published_at}".encode())
        module_files, module_videos = _module_files(module)
        files += module_files
        videos += module_videos
        module_rows.append(
            {
                "key": str(module.translation_key),
                "url": module.url,
                "iri": _iri("module", module.translation_key),
                "title": module.title,
                "checks": _checks(course, module),
            }
        )
    seen: set[str] = set()
    files = [f for f in files if not (f["url"] in seen or seen.add(f["url"]))]
    programme = course.get_parent().specific
    return {
        "course": str(course.translation_key),
        "title": course.title,
        "language": language,
        "version": stamp.hexdigest()[:16],
        "account": enrolment.user_id,
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": settings.SITE_URL, "name": str(person_uuid)},
        },
        "registration": str(enrolment.public_id),
        "course_activity": {
            "objectType": "Activity",
            "id": _iri("course", course.translation_key),
            "definition": {"type": _COURSE_TYPE, "name": {language: course.title}},
        },
        "programme_activity": {
            "objectType": "Activity",
            "id": _iri("programme", programme.translation_key),
            "definition": {"type": _COURSE_TYPE, "name": {language: programme.title}},
        },
        "module_type": _MODULE_TYPE,
        "question_type": _QUESTION_TYPE,
        "pages": [
            course.url,
            *[row["url"] for row in module_rows],
            # The fallback page in every language: a page of the other language that the
            # phone does not keep gets it in its own language, never in this one.
            *_unavailable_pages(),
        ],
        "assessment_url": reverse(
            "courses:assessment", kwargs={"course_key": course.translation_key}
        ),
        "modules": module_rows,
        "files": files,
        "videos": videos,
    }


def _unavailable_pages() -> list[str]:
    urls = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            urls.append(reverse("courses:offline_unavailable"))
    return urls


@dataclass
class CourseActivities:
    """The activities of one enrolment's course a synced statement may be about."""

    course: CoursePage
    course_iri: str
    assessment_iri: str
    modules: dict[str, ModulePage] = field(default_factory=dict)
    # question IRI -> (module, knowledge-check block id, block value)
    questions: dict[str, tuple[ModulePage, str, object]] = field(default_factory=dict)


def course_activities(*, course_key: uuid.UUID) -> CourseActivities | None:
    """The live course (French first, as the completion rules read it) and its modules'
    and knowledge checks' activity ids."""
    course = CoursePage.objects.live().filter(translation_key=course_key).order_by(
        "pk"
    ).first() or course_by_key(course_key=course_key)
    if course is None:
        return None
    found = CourseActivities(
        course=course,
        course_iri=_iri("course", course.translation_key),
        assessment_iri=_iri("assessment", course.assessment_uuid),
    )
    for module in course_modules(course=course):
        found.modules[_iri("module", module.translation_key)] = module
        for block in module.body:
            if block.block_type == "knowledge_check":
                iri = _iri("question", course.question_uuid(block.id))
                found.questions[iri] = (module, block.id, block.value)
    return found
