"""The final assessment: questions drawn on the server, stored per attempt, scored here.

The browser receives the question texts and a signed token naming the attempt; a submission
is accepted once, only for the questions drawn for that attempt, only from its trainee. The
questions and the choices of each are shown in an order drawn for the attempt and kept with it
(a resumed attempt shows the same); the page sends the position of a choice as shown, never
its place in the question as written, so neither the order nor the markup gives the key.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import AssessmentAttempt, CoursePage, Enrolment
from courses.selectors import assessment_state
from courses.services import CourseError
from courses.services.questions import (
    choices_from_positions,
    choices_order_draw,
    choices_parse,
    question_blocks,
    question_mark,
)
from courses.services.statements import assessment_activity, question_activity, statement_send

_TOKEN_SALT = "courses.assessment-attempt"  # noqa: S105 - a signing salt, not a secret
_rng = random.SystemRandom()


def attempt_token(*, attempt: AssessmentAttempt) -> str:
    return signing.dumps(
        {"attempt": str(attempt.public_id), "user": attempt.enrolment.user_id}, salt=_TOKEN_SALT
    )


def attempt_start(*, enrolment: Enrolment, course: CoursePage, now=None) -> AssessmentAttempt:
    """Start an attempt (or return the one still open), respecting limit and waiting time."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise CourseError(_("This enrolment is closed: nothing more is recorded."))
    state = assessment_state(enrolment=enrolment, course=course, now=now)
    if state.open_attempt is not None:
        return state.open_attempt
    if not state.available:
        raise CourseError(state.reason)
    bank = question_blocks(course.question_bank)
    # Questions and the choices of each in an order of this attempt's own.
    drawn = _rng.sample(list(bank), k=min(course.questions_per_attempt or len(bank), len(bank)))
    orders = {block_id: choices_order_draw(value=bank[block_id], rng=_rng) for block_id in drawn}
    try:
        with transaction.atomic():
            attempt = AssessmentAttempt.objects.create(
                enrolment=enrolment,
                number=state.attempts_used + 1,
                question_ids=drawn,
                choice_orders=orders,
            )
            statement_send(
                event_key=f"assessment-attempted:{attempt.public_id}",
                enrolment=enrolment,
                course=course,
                verb_name="ATTEMPTED",
                activity=assessment_activity(course),
            )
    except IntegrityError as error:
        raise CourseError(_("An attempt was started already: reload the page.")) from error
    return attempt


def attempt_submit(
    *,
    user,
    token: str,
    course: CoursePage,
    responses: dict[str, list[str]],
    now=None,
) -> AssessmentAttempt:
    """Score an attempt. Forged tokens, replays and answers to questions not drawn change nothing.

    A failed attempt is recorded (and said as "failed") but never completes the course.
    """
    try:
        data = signing.loads(token, salt=_TOKEN_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature as error:
        raise CourseError(_("This submission is not valid. Start the assessment again.")) from error
    if data.get("user") != user.pk:
        raise CourseError(_("This submission is not valid. Start the assessment again."))
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            AssessmentAttempt.objects.select_for_update()
            .select_related("enrolment")
            .filter(public_id=data.get("attempt"), enrolment__user=user)
            .first()
        )
        if attempt is None or attempt.enrolment.course_key != course.translation_key:
            raise CourseError(_("This submission is not valid. Start the assessment again."))
        if attempt.submitted_at is not None:
            raise CourseError(_("This attempt was submitted already; it is not scored twice."))
        asked = set(attempt.question_ids)
        extra = set(responses) - asked
        if extra:
            raise CourseError(_("Answers were sent to questions that were not asked."))
        bank = question_blocks(course.question_bank)
        if not asked <= set(bank):
            raise CourseError(_("The assessment has changed since you started. Start again."))
        marked = [
            question_mark(
                block_id=block_id,
                value=bank[block_id],
                chosen=choices_parse(
                    raw=choices_from_positions(
                        raw=responses.get(block_id, []),
                        order=attempt.choice_orders.get(block_id),
                        value=bank[block_id],
                    ),
                    value=bank[block_id],
                ),
            )
            for block_id in attempt.question_ids
        ]
        correct = sum(1 for item in marked if item.correct)
        total = len(marked)
        scaled = (
            (Decimal(correct) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            if total
            else Decimal(0)
        )
        passed = scaled * 100 >= course.pass_mark_percent
        attempt.responses = {item.block_id: list(item.chosen) for item in marked}
        attempt.score_raw, attempt.score_scaled, attempt.passed = correct, scaled, passed
        attempt.submitted_at = now
        attempt.save()
        enrolment = attempt.enrolment
        for item in marked:
            statement_send(
                event_key=f"assessment-answered:{attempt.public_id}:{item.block_id}",
                enrolment=enrolment,
                course=course,
                verb_name="ANSWERED",
                activity=question_activity(course, item.block_id, item.question),
                result={"success": item.correct, "response": item.response_text},
            )
        statement_send(
            event_key=f"assessment-{'passed' if passed else 'failed'}:{attempt.public_id}",
            enrolment=enrolment,
            course=course,
            verb_name="PASSED" if passed else "FAILED",
            activity=assessment_activity(course),
            result={
                "score_scaled": float(scaled),
                "score_raw": correct,
                "score_min": 0,
                "score_max": total,
                "success": passed,
            },
        )
        if passed:
            assessment_passed_record(enrolment=enrolment, course=course, when=now)
    return attempt


def assessment_passed_record(*, enrolment: Enrolment, course: CoursePage, when=None) -> None:
    from courses.services.progress import course_completion_evaluate

    if enrolment.assessment_passed_at is None:
        enrolment.assessment_passed_at = when or timezone.now()
        Enrolment.objects.filter(pk=enrolment.pk).update(
            assessment_passed_at=enrolment.assessment_passed_at
        )
    course_completion_evaluate(enrolment=enrolment, course=course)
