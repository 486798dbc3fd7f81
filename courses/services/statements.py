"""The course events sent to the LRS, always through lms.xapi's emitter.

Event keys are stable strings naming what happened once (``module-completed:<registration>:
<module>``), so the emitter's deterministic statement ids make every retry idempotent.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from courses.models import CoursePage, Enrolment, ModulePage, ProgrammePage


def _names(page) -> dict[str, str]:
    rows = page.get_translations(inclusive=True).values_list("locale__language_code", "title")
    return dict(rows)


def _person_uuid(user) -> uuid.UUID:
    """The account's actor, read only: the registry makes the person when it consumes the
    statement (``lms.xapi.actors``; courses never write registry rows)."""
    from lms.xapi.actors import account_actor_uuid

    return account_actor_uuid(user=user)


def course_activity(course: CoursePage):
    from lms.xapi.emitter import ActivityRef

    return ActivityRef(kind="course", uuid=course.translation_key, name=_names(course))


def module_activity(module: ModulePage):
    from lms.xapi.emitter import ActivityRef

    return ActivityRef(kind="module", uuid=module.translation_key, name=_names(module))


def assessment_activity(course: CoursePage):
    from lms.xapi.emitter import ActivityRef

    names = {code: f"{title} · assessment" for code, title in _names(course).items()}
    return ActivityRef(kind="assessment", uuid=course.assessment_uuid, name=names)


def question_activity(course: CoursePage, block_id: str, text: str):
    from lms.xapi.emitter import ActivityRef

    language = course.locale.language_code
    return ActivityRef(
        kind="question", uuid=course.question_uuid(block_id), name={language: text[:250]}
    )


def programme_activity(course: CoursePage):
    from lms.xapi.emitter import ActivityRef

    programme = ProgrammePage.objects.filter(pk=course.get_parent().pk).first()
    if programme is None:
        return None
    return ActivityRef(kind="programme", uuid=programme.translation_key, name=_names(programme))


def statement_send(
    *,
    event_key: str,
    enrolment: Enrolment,
    course: CoursePage,
    verb_name: str,
    activity,
    result: dict | None = None,
    in_course: bool = True,
    timestamp: datetime | None = None,
    instructor=None,
    offline_sync: bool = False,
) -> uuid.UUID:
    """One statement about an enrolment; context parent is the course, grouping the programme.
    ``offline_sync``: the learning it says was done offline and synced later."""
    from lms.xapi.emitter import EmitResult, Verb, statement_emit

    return statement_emit(
        event_key=event_key,
        person_uuid=_person_uuid(enrolment.user),
        verb=getattr(Verb, verb_name),
        activity=activity,
        result=EmitResult(**result) if result is not None else None,
        registration=enrolment.public_id,
        parent=course_activity(course) if in_course else None,
        grouping=programme_activity(course),
        timestamp=timestamp,
        instructor_uuid=_person_uuid(instructor) if instructor is not None else None,
        offline_sync=offline_sync,
    )
