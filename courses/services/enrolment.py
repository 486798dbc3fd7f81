"""Enrolment by the trainee or by a trainer, with prerequisites enforced."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment
from courses.selectors import certificate_valid_for, prerequisites_missing, trainees_in_scope
from courses.services import CourseError
from courses.services.statements import course_activity, statement_send
from lms.accounts.models import User


def _enrolment_check(*, user, course: CoursePage) -> None:
    missing = prerequisites_missing(user=user, course=course)
    if missing:
        raise CourseError(
            _("Complete these courses first: %(courses)s.")
            % {"courses": ", ".join(page.title for page in missing)}
        )
    open_enrolment = Enrolment.objects.filter(
        user=user, course_key=course.translation_key, status=Enrolment.Status.ACTIVE
    ).exists()
    if open_enrolment:
        raise CourseError(_("You are already enrolled in this course."))
    completed = Enrolment.objects.filter(
        user=user, course_key=course.translation_key, status=Enrolment.Status.COMPLETED
    ).exists()
    if completed and certificate_valid_for(user=user, course_key=course.translation_key):
        raise CourseError(_("This course is completed and its certificate is still valid."))


def enrolment_create(
    *, user: User, course: CoursePage, enrolled_by: User | None = None
) -> Enrolment:
    """Enrol a user; a refresher (a new enrolment) is allowed once the certificate has expired.

    The registered statement carries the enrolment's UUID as registration, so every later
    statement of this course run can be grouped by it.
    """
    _enrolment_check(user=user, course=course)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user, course_key=course.translation_key, enrolled_by=enrolled_by
            )
    except IntegrityError as error:  # a double click racing itself
        raise CourseError(_("You are already enrolled in this course.")) from error
    statement_send(
        event_key=f"course-registered:{enrolment.public_id}",
        enrolment=enrolment,
        course=course,
        verb_name="REGISTERED",
        activity=course_activity(course),
        in_course=False,
        instructor=enrolled_by,
    )
    return enrolment


@dataclass
class BulkEnrolment:
    enrolled: list[User] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def enrolments_create(
    *, usernames: list[str], course: CoursePage, enrolled_by: User
) -> BulkEnrolment:
    """Enrol a list of accounts: every name is checked first, then all are enrolled or none.

    Accounts already enrolled are skipped (listing them again changes nothing); unknown
    accounts, accounts outside the trainer's field offices (``trainees_in_scope``) and missing
    prerequisites are errors that stop the whole list.
    """
    wanted = [name.strip() for name in usernames if name.strip()]
    if not wanted:
        raise CourseError(_("Enter at least one username."))
    lookup = Q.create([("username__iexact", name) for name in wanted], connector=Q.OR)
    users = {u.username.lower(): u for u in User.objects.filter(lookup)}
    in_scope = set(
        trainees_in_scope(user=enrolled_by)
        .filter(pk__in=[u.pk for u in users.values()])
        .values_list("pk", flat=True)
    )
    errors, result, seen = [], BulkEnrolment(), set()
    to_enrol: list[User] = []
    for name in wanted:
        user = users.get(name.lower())
        if user is None:
            errors.append(_("Unknown account: %(name)s") % {"name": name})
            continue
        if user.pk in seen:
            continue
        seen.add(user.pk)
        if user.pk not in in_scope:
            errors.append(
                _("%(name)s is not a trainee of your field offices.") % {"name": user.username}
            )
            continue
        try:
            _enrolment_check(user=user, course=course)
        except CourseError as error:
            if Enrolment.objects.filter(
                user=user, course_key=course.translation_key, status=Enrolment.Status.ACTIVE
            ).exists():
                result.skipped.append((user.username, _("already enrolled")))
                continue
            errors.append(f"{user.username}: {error}")
            continue
        to_enrol.append(user)
    if errors:
        raise CourseError(" ".join(errors))
    with transaction.atomic():
        for user in to_enrol:
            enrolment_create(user=user, course=course, enrolled_by=enrolled_by)
            result.enrolled.append(user)
    return result
