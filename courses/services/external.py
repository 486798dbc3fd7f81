"""Statements from external content (H5P, authoring tools) counting towards completion.

A tool that reports "completed" or "passed" on a module's activity id completes that module; a
"passed" on the course's activity id counts as the final assessment passed. The enrolment is
found by the statement's registration (what the platform hands to launched content). Our own
statements come through here too: every step is idempotent, so they change nothing.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings

from courses.models import CoursePage, Enrolment, ModulePage

_VERBS = {
    "http://adlnet.gov/expapi/verbs/completed": "completed",
    "http://adlnet.gov/expapi/verbs/passed": "passed",
}
_IRI = re.compile(r"/xapi/activities/(course|module)/([0-9a-fA-F-]{36})$")


def statements_from_content(stored: list) -> None:
    """Apply a stored batch: at most three lookups per batch (enrolments by registration,
    courses and modules by translation key) however many statements it holds; the LRS
    ingests thousands of statements a second and this runs after every batch."""
    from courses.services.assessment import assessment_passed_record
    from courses.services.progress import module_complete

    wanted = []
    for item in stored:
        verb = _VERBS.get(item.verb_id)
        if verb is None or not item.object_activity_id or item.registration is None:
            continue
        if not item.object_activity_id.startswith(settings.SITE_URL):
            continue
        if item.result_success is False:
            continue
        match = _IRI.search(item.object_activity_id)
        if match is None:
            continue
        wanted.append((item.registration, verb, match.group(1), uuid.UUID(match.group(2))))
    if not wanted:
        return
    enrolments = {
        enrolment.public_id: enrolment
        for enrolment in Enrolment.objects.filter(
            public_id__in={registration for registration, *_ in wanted},
            status=Enrolment.Status.ACTIVE,
        )
    }
    if not enrolments:
        return
    courses: dict[uuid.UUID, CoursePage] = {}
    for course in CoursePage.objects.filter(
        translation_key__in={enrolment.course_key for enrolment in enrolments.values()}
    ).order_by("pk"):
        courses.setdefault(course.translation_key, course)  # .first(): the lowest pk
    module_keys = {key for _, _, kind, key in wanted if kind == "module"}
    modules: dict[tuple[str, uuid.UUID], ModulePage] = {}
    if module_keys and courses:
        for module in ModulePage.objects.filter(translation_key__in=module_keys).order_by("pk"):
            # Keyed by the parent's path: ModulePage.objects.child_of(course).
            parent_path = module.path[: -ModulePage.steplen]
            modules.setdefault((parent_path, module.translation_key), module)
    for registration, verb, kind, key in wanted:
        enrolment = enrolments.get(registration)
        # An earlier statement of this batch may have completed the enrolment: it is then no
        # longer active, as a fresh query would have found.
        if enrolment is None or enrolment.status != Enrolment.Status.ACTIVE:
            continue
        course = courses.get(enrolment.course_key)
        if course is None:
            continue
        if kind == "module":
            module = modules.get((course.path, key))
            if module is not None:
                module_complete(enrolment=enrolment, module=module, course=course, emit=False)
        elif kind == "course" and verb == "passed" and key == enrolment.course_key:
            assessment_passed_record(enrolment=enrolment, course=course)
