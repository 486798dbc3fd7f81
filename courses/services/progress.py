"""Module progress, knowledge checks, practical sign-off and the course completion rule."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment, ModulePage, ModuleProgress, PracticalSignoff
from courses.selectors import course_module_keys, trainee_in_scope
from courses.services import CourseError
from courses.services.questions import choices_parse, question_mark
from courses.services.statements import (
    course_activity,
    module_activity,
    question_activity,
    statement_send,
)


def _progress_for(*, enrolment: Enrolment, module: ModulePage) -> ModuleProgress:
    progress, _created = ModuleProgress.objects.get_or_create(
        enrolment=enrolment, module_key=module.translation_key
    )
    return progress


def module_launch(*, enrolment: Enrolment, module: ModulePage, course: CoursePage) -> None:
    """Remember where the trainee is (for "resume") and say once that the module was launched."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        return  # reviewing a completed course records nothing
    if enrolment.last_module_key != module.translation_key:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_module_key=module.translation_key)
        enrolment.last_module_key = module.translation_key
    if ModuleProgress.objects.filter(
        enrolment=enrolment, module_key=module.translation_key
    ).exists():
        return
    with transaction.atomic():
        _progress_for(enrolment=enrolment, module=module)
        statement_send(
            event_key=f"module-launched:{enrolment.public_id}:{module.translation_key}",
            enrolment=enrolment,
            course=course,
            verb_name="LAUNCHED",
            activity=module_activity(module),
        )


def knowledge_check_answer(
    *, enrolment: Enrolment, module: ModulePage, course: CoursePage, block_id: str, raw: list[str]
):
    """Mark one try at a knowledge check; a wrong answer may be tried again.

    Every try is an *answered* statement with its own deterministic id (the first keeps the
    id it always had; later ones add the try number), so a retried request stores nothing
    twice. A correct answer closes the check; resending the same wrong answer is refused and
    changes nothing. The module is complete once every check has been answered, right or
    wrong (docs/courses.md: knowledge checks teach, the final assessment decides).
    """
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise CourseError(_("This enrolment is closed: nothing more is recorded."))
    checks = {
        block.id: block.value for block in module.body if block.block_type == "knowledge_check"
    }
    if block_id not in checks:
        raise CourseError(_("This question is not part of this module."))
    value = checks[block_id]
    chosen = choices_parse(raw=raw, value=value)
    if not chosen:
        raise CourseError(_("Choose an answer before you check it."))
    with transaction.atomic():
        progress = ModuleProgress.objects.select_for_update().get(
            pk=_progress_for(enrolment=enrolment, module=module).pk
        )
        previous = progress.answers.get(block_id)
        if previous is not None:
            if question_mark(block_id=block_id, value=value, chosen=tuple(previous)).correct:
                raise CourseError(_("You have already answered this question correctly."))
            if tuple(previous) == chosen:
                raise CourseError(_("You have already tried this answer: choose another one."))
        tries = int(progress.check_attempts.get(block_id, 1 if previous is not None else 0)) + 1
        marked = question_mark(block_id=block_id, value=value, chosen=chosen)
        progress.answers = {**progress.answers, block_id: list(chosen)}
        progress.check_attempts = {**progress.check_attempts, block_id: tries}
        progress.save(update_fields=["answers", "check_attempts"])
        event_key = f"check-answered:{enrolment.public_id}:{block_id}"
        statement_send(
            event_key=event_key if tries == 1 else f"{event_key}:{tries}",
            enrolment=enrolment,
            course=course,
            verb_name="ANSWERED",
            activity=question_activity(course, block_id, marked.question),
            result={"success": marked.correct, "response": marked.response_text},
        )
        if set(checks) <= set(progress.answers):
            module_complete(enrolment=enrolment, module=module, course=course, progress=progress)
    return marked


def module_mark_done(*, enrolment: Enrolment, module: ModulePage, course: CoursePage) -> None:
    """The "mark as done" button at the end of a module without knowledge checks."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise CourseError(_("This enrolment is closed: nothing more is recorded."))
    checks = {block.id for block in module.body if block.block_type == "knowledge_check"}
    with transaction.atomic():
        progress = _progress_for(enrolment=enrolment, module=module)
        if checks - set(progress.answers):
            raise CourseError(_("Answer every knowledge check of this module first."))
        statement_send(
            event_key=f"module-experienced:{enrolment.public_id}:{module.translation_key}",
            enrolment=enrolment,
            course=course,
            verb_name="EXPERIENCED",
            activity=module_activity(module),
        )
        module_complete(enrolment=enrolment, module=module, course=course, progress=progress)


def module_complete(
    *,
    enrolment: Enrolment,
    module: ModulePage,
    course: CoursePage,
    progress: ModuleProgress | None = None,
    emit: bool = True,
    when: datetime | None = None,
    offline_sync: bool = False,
) -> bool:
    """Complete a module once; then see whether the whole course is complete.

    ``when`` is the time the learning happened when it is not now (a module finished
    offline and synced later): completion and its statements carry that time, so figures
    count the learning at its date (DESIGN.md, counting rules). ``offline_sync``: the
    statements say so, and a report published meanwhile is restated with that reason."""
    progress = progress or _progress_for(enrolment=enrolment, module=module)
    if progress.completed_at is not None:
        return False
    progress.completed_at = when or timezone.now()
    progress.save(update_fields=["completed_at"])
    if emit:
        statement_send(
            event_key=f"module-completed:{enrolment.public_id}:{module.translation_key}",
            enrolment=enrolment,
            course=course,
            verb_name="COMPLETED",
            activity=module_activity(module),
            result={"completion": True},
            timestamp=when,
            offline_sync=offline_sync,
        )
    course_completion_evaluate(
        enrolment=enrolment, course=course, when=when, offline_sync=offline_sync
    )
    return True


def practical_signoff_record(
    *, enrolment: Enrolment, course: CoursePage, signed_by, note: str = ""
) -> PracticalSignoff:
    """Record a trainer's sign-off; only for trainees of the trainer's field offices."""
    if not course.practical_signoff_required:
        raise CourseError(_("This course does not need a practical sign-off."))
    if enrolment.user_id == signed_by.pk:
        raise CourseError(_("You cannot sign off your own practical work."))
    if not trainee_in_scope(user=signed_by, trainee=enrolment.user):
        raise CourseError(
            _("%(name)s is not a trainee of your field offices: nothing was signed off.")
            % {"name": enrolment.user.get_full_name() or enrolment.user.username}
        )
    with transaction.atomic():
        signoff, created = PracticalSignoff.objects.get_or_create(
            enrolment=enrolment, defaults={"signed_by": signed_by, "note": note}
        )
        if not created:
            raise CourseError(_("The practical work is already signed off."))
        course_completion_evaluate(enrolment=enrolment, course=course)
    return signoff


def course_rules_met(*, enrolment: Enrolment, course: CoursePage) -> bool:
    """Every module complete, the final assessment passed, the practical signed off if needed."""
    keys = course_module_keys(course=course)
    done = set(
        enrolment.module_progress.filter(completed_at__isnull=False).values_list(
            "module_key", flat=True
        )
    )
    if any(key not in done for key in keys):
        return False
    if course.question_bank and enrolment.assessment_passed_at is None:
        return False
    return not (
        course.practical_signoff_required
        and not PracticalSignoff.objects.filter(enrolment=enrolment).exists()
    )


def course_completion_evaluate(
    *,
    enrolment: Enrolment,
    course: CoursePage,
    when: datetime | None = None,
    offline_sync: bool = False,
) -> bool:
    """Close the enrolment, say completed and satisfied, and issue the certificate, once.

    ``when``: the time of the learning that completed the course, when it is not now;
    ``offline_sync``: that learning was done offline and synced later (the statements say
    so, for the registry)."""
    from courses.services.certificates import certificate_issue

    if enrolment.status != Enrolment.Status.ACTIVE:
        return False
    if not course_rules_met(enrolment=enrolment, course=course):
        return False
    now = when or timezone.now()
    updated = Enrolment.objects.filter(pk=enrolment.pk, status=Enrolment.Status.ACTIVE).update(
        status=Enrolment.Status.COMPLETED, completed_at=now
    )
    if not updated:
        return False
    enrolment.status, enrolment.completed_at = Enrolment.Status.COMPLETED, now
    activity = course_activity(course)
    statement_send(
        event_key=f"course-completed:{enrolment.public_id}",
        enrolment=enrolment,
        course=course,
        verb_name="COMPLETED",
        activity=activity,
        result={"completion": True},
        in_course=False,
        timestamp=now,
        offline_sync=offline_sync,
    )
    statement_send(
        event_key=f"course-satisfied:{enrolment.public_id}",
        enrolment=enrolment,
        course=course,
        verb_name="SATISFIED",
        activity=activity,
        in_course=False,
        timestamp=now,
        offline_sync=offline_sync,
    )
    certificate_issue(enrolment=enrolment, course=course, now=now)
    return True


# -- Learning done offline, applied when its statements are synced (docs/offline.md) ---------
# The device's own statement is the record of the step: these apply the same rules as the
# online views, without emitting that step again, at the time the learning happened.


def synced_launch_apply(*, enrolment: Enrolment, module: ModulePage) -> None:
    """A module opened offline: remembered for "resume", like an online visit."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        return
    _progress_for(enrolment=enrolment, module=module)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_module_key=module.translation_key)
    enrolment.last_module_key = module.translation_key


def synced_answer_apply(
    *,
    enrolment: Enrolment,
    module: ModulePage,
    course: CoursePage,
    block_id: str,
    chosen: tuple[int, ...],
    when: datetime,
) -> None:
    """A knowledge check answered offline: the latest try is kept unless the check was
    already answered correctly; every check answered completes the module, as online."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        return
    checks = {
        block.id: block.value for block in module.body if block.block_type == "knowledge_check"
    }
    with transaction.atomic():
        progress = ModuleProgress.objects.select_for_update().get(
            pk=_progress_for(enrolment=enrolment, module=module).pk
        )
        previous = progress.answers.get(block_id)
        already_right = previous is not None and (
            question_mark(block_id=block_id, value=checks[block_id], chosen=tuple(previous)).correct
        )
        if not already_right:
            tries = int(progress.check_attempts.get(block_id, 1 if previous is not None else 0))
            progress.answers = {**progress.answers, block_id: list(chosen)}
            progress.check_attempts = {**progress.check_attempts, block_id: tries + 1}
            progress.save(update_fields=["answers", "check_attempts"])
        if set(checks) <= set(progress.answers):
            _synced_complete(enrolment, module, course, progress, when)


def synced_done_apply(
    *, enrolment: Enrolment, module: ModulePage, course: CoursePage, when: datetime
) -> None:
    """ "Done to the end" offline: the module completes if its checks are all answered."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        return
    checks = {block.id for block in module.body if block.block_type == "knowledge_check"}
    progress = _progress_for(enrolment=enrolment, module=module)
    if checks - set(progress.answers):
        raise CourseError(_("Answer every knowledge check of this module first."))
    _synced_complete(enrolment, module, course, progress, when)


def _synced_complete(enrolment, module, course, progress, when) -> None:
    """Module completion from synced statements: at the learning's time, and saying it was
    synced from a phone."""
    module_complete(
        enrolment=enrolment,
        module=module,
        course=course,
        progress=progress,
        when=when,
        offline_sync=True,
    )
