"""Reads about courses and a trainee's progress, shared by pages, views and services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from courses.models import (
    AssessmentAttempt,
    Certificate,
    CourseCatalogue,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
)
from lms.core.formats import date_text


def _locale_pages(queryset, language: str | None = None):
    """Pages in the current language, falling back to French when not translated yet."""
    language = language or get_language() or "fr"
    pages = list(queryset.filter(locale__language_code__in=[language, "fr"]))
    chosen: dict[uuid.UUID, object] = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale.language_code == language:
            chosen[page.translation_key] = page
    return [p for p in pages if chosen.get(p.translation_key) is p]


def catalogue_current(*, language: str | None = None) -> CourseCatalogue | None:
    """The live course catalogue in the reader's language (French when not translated)."""
    pages = _locale_pages(CourseCatalogue.objects.live().select_related("locale"), language)
    return pages[0] if pages else None


def course_by_key(*, course_key: uuid.UUID, language: str | None = None) -> CoursePage | None:
    pages = _locale_pages(
        CoursePage.objects.live().filter(translation_key=course_key).select_related("locale"),
        language,
    )
    return pages[0] if pages else None


def course_modules(*, course: CoursePage) -> list[ModulePage]:
    """Live modules of a course, in the editor's order."""
    return list(ModulePage.objects.live().child_of(course).order_by("path"))


def course_module_keys(*, course: CoursePage) -> list[uuid.UUID]:
    return list(
        ModulePage.objects.live()
        .child_of(course)
        .order_by("path")
        .values_list("translation_key", flat=True)
    )


def catalogue_programmes(*, catalogue) -> list[dict]:
    """Programmes of the catalogue with their live courses: two queries whatever the size."""
    programmes = list(ProgrammePage.objects.live().child_of(catalogue).order_by("path"))
    courses = (
        CoursePage.objects.live()
        .filter(locale_id=catalogue.locale_id, depth=catalogue.depth + 2)
        .filter(path__startswith=catalogue.path)
        .order_by("path")
    )
    by_parent: dict[str, list] = {}
    for course in courses:
        by_parent.setdefault(course.path[: -CoursePage.steplen], []).append(course)
    return [{"programme": p, "courses": by_parent.get(p.path, [])} for p in programmes]


def enrolment_current(*, user, course_key: uuid.UUID) -> Enrolment | None:
    """The enrolment that counts now: the open one, otherwise the latest completed."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Enrolment.objects.filter(user=user, course_key=course_key)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .order_by("status", "-started_at")  # "active" sorts before "completed"
        .first()
    )


def course_completed_keys(*, user) -> set[uuid.UUID]:
    return set(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.COMPLETED).values_list(
            "course_key", flat=True
        )
    )


def prerequisites_missing(*, user, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses the user has not completed (compared across languages)."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = course_completed_keys(user=user)
    return [page for page in required if page.translation_key not in done]


@dataclass
class ModuleAccess:
    course: CoursePage
    enrolment: Enrolment | None


def module_access(*, module: ModulePage, user) -> ModuleAccess:
    course = CoursePage.objects.get(path=module.path[: -ModulePage.steplen])
    return ModuleAccess(
        course=course, enrolment=enrolment_current(user=user, course_key=course.translation_key)
    )


@dataclass
class Progress:
    total: int
    done: int
    completed_keys: set = field(default_factory=set)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def enrolment_progress(*, enrolment: Enrolment, module_keys: list[uuid.UUID]) -> Progress:
    completed = set(
        enrolment.module_progress.filter(completed_at__isnull=False).values_list(
            "module_key", flat=True
        )
    )
    done = sum(1 for key in module_keys if key in completed)
    return Progress(total=len(module_keys), done=done, completed_keys=completed)


@dataclass
class AssessmentState:
    available: bool
    passed: bool
    attempts_used: int
    attempts_left: int | None
    next_attempt_at: datetime | None
    open_attempt: AssessmentAttempt | None
    reason: str = ""


def assessment_state(
    *, enrolment: Enrolment, course: CoursePage, now: datetime | None = None
) -> AssessmentState:
    """Whether a new attempt may start now, and why not: limit reached, waiting time, passed."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    attempts = list(enrolment.attempts.all())
    submitted = [a for a in attempts if a.submitted_at is not None]
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    passed = any(a.passed for a in submitted)
    left = None if not course.attempt_limit else max(course.attempt_limit - len(submitted), 0)
    next_at = None
    if submitted and course.attempt_wait_minutes:
        last = max(a.submitted_at for a in submitted)
        candidate = last + timezone.timedelta(minutes=course.attempt_wait_minutes)
        next_at = candidate if candidate > now else None
    reason = ""
    if not course.question_bank:
        reason = _("This course has no final assessment.")
    elif passed:
        reason = _("You have passed the final assessment.")
    elif open_attempt is None and left == 0:
        reason = _("You have used all your attempts. Ask your trainer for advice.")
    elif open_attempt is None and next_at is not None:
        reason = _("You can try again after %(when)s.") % {"when": date_text(next_at)}
    return AssessmentState(
        available=not reason,
        passed=passed,
        attempts_used=len(submitted),
        attempts_left=left,
        next_attempt_at=next_at,
        open_attempt=open_attempt,
        reason=reason,
    )


def attempt_questions(*, attempt, course: CoursePage) -> list[dict]:
    """The questions of an attempt as its trainee sees them: in the attempt's order, each
    with its choices in the attempt's order and numbered by position only."""
    from courses.services.questions import question_blocks

    bank = question_blocks(course.question_bank)
    questions = []
    for number, block_id in enumerate(
        (block_id for block_id in attempt.question_ids if block_id in bank), start=1
    ):
        value = bank[block_id]
        choices = list(value["choices"])
        order = attempt.choice_orders.get(block_id) or list(range(len(choices)))
        questions.append(
            {
                "id": block_id,
                "number": number,
                "text": value["question"],
                "kind": value["kind"],
                "choices": [
                    {"position": position, "text": choices[index]["text"]}
                    for position, index in enumerate(order)
                    if index < len(choices)
                ],
            }
        )
    return questions


def course_page_context(*, course: CoursePage, user) -> dict:
    modules = course_modules(course=course)
    context: dict = {"modules": modules, "enrolment": None}
    if not getattr(user, "is_authenticated", False):
        return context
    enrolment = enrolment_current(user=user, course_key=course.translation_key)
    context["enrolment"] = enrolment
    context["missing_prerequisites"] = prerequisites_missing(user=user, course=course)
    if enrolment is not None:
        progress = enrolment_progress(
            enrolment=enrolment, module_keys=[m.translation_key for m in modules]
        )
        context["progress"] = progress
        context["module_rows"] = [
            {"page": m, "done": m.translation_key in progress.completed_keys} for m in modules
        ]
        context["assessment"] = assessment_state(enrolment=enrolment, course=course)
        context["certificate"] = enrolment.certificates.first()
        context["resume"] = next(
            (m for m in modules if m.translation_key == enrolment.last_module_key), None
        )
    return context


def module_page_context(*, module: ModulePage, user, access: ModuleAccess | None = None) -> dict:
    access = access or module_access(module=module, user=user)
    course = access.course
    siblings = course_modules(course=course)
    index = next((i for i, m in enumerate(siblings) if m.pk == module.pk), 0)
    context = {
        "course": course,
        "module_number": index + 1,
        "module_total": len(siblings),
        "previous_module": siblings[index - 1] if index > 0 else None,
        "next_module": siblings[index + 1] if index + 1 < len(siblings) else None,
        "answers": {},
        "module_done": False,
    }
    enrolment = access.enrolment
    if enrolment is not None:
        progress = ModuleProgress.objects.filter(
            enrolment=enrolment, module_key=module.translation_key
        ).first()
        if progress is not None:
            context["answers"] = progress.answers
            context["module_done"] = progress.completed_at is not None
    context["enrolment"] = enrolment
    return context


def my_learning(*, user) -> dict:
    """In-progress courses with progress, completed courses and certificates of one trainee."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .order_by("-started_at")
    )
    keys = {e.course_key for e in enrolments}
    language = get_language() or "fr"
    courses = {
        c.translation_key: c
        for c in _locale_pages(
            CoursePage.objects.live().filter(translation_key__in=keys).select_related("locale"),
            language,
        )
    }
    module_keys: dict[uuid.UUID, list[uuid.UUID]] = {}
    course_paths = {c.path: c.translation_key for c in courses.values()}
    if course_paths:
        modules = (
            ModulePage.objects.live()
            .filter(depth=next(iter(courses.values())).depth + 1)
            .filter(Q.create([("path__startswith", path) for path in course_paths], connector=Q.OR))
            .order_by("path")
            .values_list("path", "translation_key")
        )
        for path, key in modules:
            course_key = course_paths.get(path[: -ModulePage.steplen])
            if course_key is not None:
                module_keys.setdefault(course_key, []).append(key)
    done = {}
    for row in ModuleProgress.objects.filter(
        enrolment__in=enrolments, completed_at__isnull=False
    ).values_list("enrolment_id", "module_key"):
        done.setdefault(row[0], set()).add(row[1])
    last_keys = {e.last_module_key for e in enrolments if e.last_module_key}
    last_modules = {
        m.translation_key: m
        for m in _locale_pages(
            ModulePage.objects.live()
            .filter(translation_key__in=last_keys)
            .select_related("locale"),
            language,
        )
    }
    in_progress, completed = [], []
    for enrolment in enrolments:
        course = courses.get(enrolment.course_key)
        if course is None:
            continue
        keys_of_course = module_keys.get(enrolment.course_key, [])
        finished = done.get(enrolment.pk, set())
        progress = Progress(
            total=len(keys_of_course),
            done=sum(1 for k in keys_of_course if k in finished),
        )
        row = {
            "enrolment": enrolment,
            "course": course,
            "progress": progress,
            "resume": last_modules.get(enrolment.last_module_key),
        }
        (completed if enrolment.status == Enrolment.Status.COMPLETED else in_progress).append(row)
    certificates = list(Certificate.objects.filter(user=user).order_by("-issued_at"))
    for certificate in certificates:
        certificate.course = courses.get(certificate.course_key)
        certificate.state = certificate_state(certificate=certificate)
    return {"in_progress": in_progress, "completed": completed, "certificates": certificates}


def certificates_for_person(*, person) -> list[Certificate]:
    """Certificates held by the accounts of a registry person and of the people merged into
    them (newest first), each with ``course`` (the page in the reader's language) and ``state``.

    The registry's record page calls this; a person has at most one account, but a merge can
    bring the accounts of several records under one person.
    """
    certificates = list(
        Certificate.objects.filter(
            Q(user__person=person) | Q(user__person__merged_into=person)
        ).order_by("-issued_at", "-pk")
    )
    keys = {certificate.course_key for certificate in certificates}
    courses = {
        c.translation_key: c
        for c in _locale_pages(
            CoursePage.objects.live().filter(translation_key__in=keys).select_related("locale"),
            get_language() or "fr",
        )
    }
    now = timezone.now()
    for certificate in certificates:
        certificate.course = courses.get(certificate.course_key)
        certificate.state = certificate_state(certificate=certificate, now=now)
    return certificates


def certificate_state(*, certificate: Certificate, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.expires_at is not None and certificate.expires_at <= now:
        return "expired"
    return "valid"


def certificate_by_code(*, code: str) -> Certificate | None:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if not cleaned or len(cleaned) > 16:
        return None
    return Certificate.objects.select_related("user").filter(code=cleaned).first()


def certificate_valid_for(*, user, course_key: uuid.UUID, now=None) -> Certificate | None:
    now = now or timezone.now()
    return (
        Certificate.objects.filter(user=user, course_key=course_key, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )


def trainees_in_scope(*, user):
    """Accounts a trainer may enrol or sign off: the trainees of the trainer's field offices.

    An account belongs to an office when the account lists it (``User.field_offices``), when
    the registry person it is linked to took part in training of that office (the registry's
    own rule, ``trainees.selectors.access.people_visible``), or when the trainer made the
    account. Lead trainers, coordinators and administrators act for every office.
    """
    from lms.accounts.models import User
    from lms.accounts.roles import Role
    from lms.accounts.selectors import user_field_offices, user_has_role
    from trainees.selectors.access import people_visible

    accounts = User.objects.filter(is_active=True)
    if user_has_role(user=user, roles={Role.LEAD_TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR}):
        return accounts
    if not user_has_role(user=user, roles=Role.TRAINER):
        return accounts.none()
    offices = user_field_offices(user=user)
    return accounts.filter(
        Q(pk__in=User.objects.filter(field_offices__in=offices).values("pk"))
        | Q(pk__in=people_visible(user=user).filter(user__isnull=False).values("user_id"))
        | Q(created_by=user)
    )


def trainees_to_enrol(*, user, course_key: uuid.UUID, limit: int = 200):
    """Trainee accounts of the user's offices not enrolled in the course now, for ticking.

    At most ``limit`` (a lead trainer acts for every office); longer lists are pasted.
    """
    from lms.accounts.roles import Role

    shown = (
        trainees_in_scope(user=user)
        .filter(groups__name=Role.TRAINEE.value)
        .exclude(
            pk__in=Enrolment.objects.filter(
                course_key=course_key, status=Enrolment.Status.ACTIVE
            ).values("user_id")
        )
        .order_by("last_name", "first_name", "username")
    )
    return shown.model.objects.filter(pk__in=shown.values("pk")[:limit]).order_by(
        "last_name", "first_name", "username"
    )


def trainee_in_scope(*, user, trainee) -> bool:
    return trainees_in_scope(user=user).filter(pk=trainee.pk).exists()


def signoffs_pending(*, user) -> list[dict]:
    """Enrolments in courses that need a practical sign-off and do not have one yet, of the
    trainees the user may sign off (``trainees_in_scope``)."""
    keys = list(
        CoursePage.objects.live()
        .filter(practical_signoff_required=True)
        .values_list("translation_key", flat=True)
        .distinct()
    )
    enrolments = (
        Enrolment.objects.filter(
            course_key__in=keys,
            status=Enrolment.Status.ACTIVE,
            signoff__isnull=True,
            user__in=trainees_in_scope(user=user),
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    rows = []
    cache: dict = {}
    for enrolment in enrolments:
        if enrolment.course_key not in cache:
            cache[enrolment.course_key] = course_by_key(course_key=enrolment.course_key)
        rows.append({"enrolment": enrolment, "course": cache[enrolment.course_key]})
    return rows


def course_search(*, query: str, limit: int = 50) -> list[CoursePage]:
    """Published courses matching the words, in both languages (Wagtail's search backend).

    On PostgreSQL the backend stems French and English (``courses.search_backend``). SQLite's
    full-text index has no French stemmer: there, each word without its plural ending is
    also searched as a prefix of the titles and of the programme acronyms, so "munition"
    and "munitions" find the same courses.
    """
    from django.db import connection

    courses = CoursePage.objects.live().select_related("locale")
    found = list(courses.search(query)[:limit])
    if connection.vendor == "postgresql" or len(found) >= limit:
        return found
    words = [_singular(word) for word in query.split() if len(word) > 1]
    if words:
        seen = {course.pk for course in found}
        for course in courses.autocomplete(" ".join(words))[:limit]:
            if course.pk not in seen and len(found) < limit:
                found.append(course)
                seen.add(course.pk)
    return found


def _singular(word: str) -> str:
    # French and English plurals of the catalogue's words: munitions, engins, explosifs, jeux.
    if len(word) > 3 and word[-1].lower() in "sx" and not word.isupper():
        return word[:-1]
    return word


@dataclass(frozen=True)
class CourseFacts:
    """What the registry records of a course with an online participation."""

    title: str
    programme_code: str


def courses_facts(*, course_keys: set[uuid.UUID]) -> dict[uuid.UUID, CourseFacts]:
    """Title (the French page's, else the first page's) and the registry programme code of
    each course, by translation key: two queries for any number of courses. The registry's
    statement consumer reads courses here only, never their tables."""
    if not course_keys:
        return {}
    pages: dict[uuid.UUID, CoursePage] = {}
    for page in (
        CoursePage.objects.filter(translation_key__in=course_keys)
        .select_related("locale")
        .order_by("pk")
    ):
        kept = pages.get(page.translation_key)
        if kept is None or (
            page.locale.language_code == "fr" and kept.locale.language_code != "fr"
        ):
            pages[page.translation_key] = page
    parents = {page.path[: -CoursePage.steplen] for page in pages.values()}
    codes = dict(
        ProgrammePage.objects.filter(path__in=parents).values_list("path", "programme_code")
    )
    return {
        key: CourseFacts(
            title=page.title, programme_code=codes.get(page.path[: -CoursePage.steplen], "")
        )
        for key, page in pages.items()
    }
