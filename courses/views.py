from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.roles import Role
from lms.accounts.selectors import user_has_role
from lms.core.services import audit_record

from .forms import BulkEnrolForm, RevokeForm, SearchForm, VerifyForm
from .models import AssessmentAttempt, CoursePage, Enrolment, ModulePage
from .selectors import (
    assessment_state,
    attempt_questions,
    catalogue_current,
    certificate_by_code,
    certificate_state,
    course_by_key,
    course_search,
    enrolment_current,
    signoffs_pending,
    trainees_to_enrol,
)
from .services import CourseError
from .services.assessment import attempt_start, attempt_submit, attempt_token
from .services.certificates import certificate_code_display, certificate_pdf, certificate_revoke
from .services.enrolment import enrolment_create, enrolments_create
from .services.progress import knowledge_check_answer, module_mark_done, practical_signoff_record

TRAINERS = {Role.TRAINER, Role.LEAD_TRAINER, Role.ADMINISTRATOR}
COORDINATORS = {Role.COORDINATOR, Role.ADMINISTRATOR}


def _course_or_404(course_key) -> CoursePage:
    course = course_by_key(course_key=course_key, language=get_language())
    if course is None:
        raise Http404(_("This course does not exist or is not published."))
    return course


def catalogue(request):
    page = catalogue_current()
    if page is None:
        return render(
            request, "404.html", {"message": _("No course is published yet.")}, status=404
        )
    return redirect(page.url)


def course_search_view(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = course_search(query=form.cleaned_data["q"])
    return render(
        request,
        "courses/search.html",
        {
            "form": form,
            "results": results,
            "searched": bool(form.is_bound and form.is_valid() and form.cleaned_data["q"]),
        },
    )


@login_required
@require_POST
def course_enrol(request, course_key):
    course = _course_or_404(course_key)
    try:
        enrolment_create(user=request.user, course=course)
    except CourseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are enrolled. Start with the first module."))
    return redirect(course.url)


@login_required
def course_enrol_trainees(request, course_key):
    if not user_has_role(user=request.user, roles=TRAINERS):
        raise PermissionDenied(_("Only trainers can enrol other people."))
    course = _course_or_404(course_key)
    form = BulkEnrolForm(
        request.POST if request.method == "POST" else None,
        trainees=trainees_to_enrol(user=request.user, course_key=course.translation_key),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = enrolments_create(
                usernames=form.cleaned_usernames(), course=course, enrolled_by=request.user
            )
        except CourseError as error:
            form.add_error("usernames", str(error))
        else:
            audit_record(
                user=request.user,
                action="course.enrol_trainees",
                target=None,
                detail={
                    "course": str(course.translation_key),
                    "enrolled": [u.username for u in result.enrolled],
                },
            )
            messages.success(
                request,
                _("Enrolled: %(enrolled)s. Already enrolled: %(skipped)s.")
                % {"enrolled": len(result.enrolled), "skipped": len(result.skipped)},
            )
            return redirect(request.path)
    return render(request, "courses/enrol_trainees.html", {"course": course, "form": form})


def _module_and_enrolment(request, module_id):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    course = CoursePage.objects.get(pk=module.get_parent().pk)
    enrolment = enrolment_current(user=request.user, course_key=course.translation_key)
    if enrolment is None:
        raise PermissionDenied(_("You are not enrolled in this course."))
    return module, course, enrolment


@login_required
@require_POST
def module_check(request, module_id, block_id):
    module, course, enrolment = _module_and_enrolment(request, module_id)
    try:
        marked = knowledge_check_answer(
            enrolment=enrolment,
            module=module,
            course=course,
            block_id=block_id,
            raw=request.POST.getlist("choice"),
        )
    except CourseError as error:
        messages.error(request, str(error))
    else:
        if marked.correct:
            messages.success(request, _("Correct."))
        else:
            messages.info(request, _("Not quite: read the feedback below."))
    return redirect(f"{module.url}#check-{block_id}")


@login_required
@require_POST
def module_done(request, module_id):
    module, course, enrolment = _module_and_enrolment(request, module_id)
    try:
        module_mark_done(enrolment=enrolment, module=module, course=course)
    except CourseError as error:
        messages.error(request, str(error))
        return redirect(module.url)
    following = ModulePage.objects.live().sibling_of(module).filter(path__gt=module.path)
    following = following.order_by("path").first()
    return redirect(following.url if following else course.url)


@login_required
def assessment(request, course_key):
    course = _course_or_404(course_key)
    enrolment = enrolment_current(user=request.user, course_key=course.translation_key)
    if enrolment is None:
        messages.error(request, _("You are not enrolled in this course."))
        return redirect(course.url)
    if request.method == "POST":
        try:
            attempt = attempt_start(enrolment=enrolment, course=course)
        except CourseError as error:
            messages.error(request, str(error))
        else:
            return redirect(
                "courses:assessment_attempt", course_key=course_key, attempt_id=attempt.public_id
            )
    state = assessment_state(enrolment=enrolment, course=course)
    attempts = list(enrolment.attempts.filter(submitted_at__isnull=False))
    return render(
        request,
        "courses/assessment.html",
        {"course": course, "state": state, "attempts": attempts, "enrolment": enrolment},
    )


@login_required
def assessment_attempt(request, course_key, attempt_id):
    course = _course_or_404(course_key)
    attempt = (
        AssessmentAttempt.objects.filter(
            public_id=attempt_id, enrolment__user=request.user, enrolment__course_key=course_key
        )
        .select_related("enrolment")
        .first()
    )
    if attempt is None:
        raise Http404(_("This attempt does not exist."))
    if request.method == "POST":
        answers = {
            key.removeprefix("q-"): request.POST.getlist(key)
            for key in request.POST
            if key.startswith("q-")
        }
        try:
            attempt = attempt_submit(
                user=request.user,
                token=request.POST.get("token", ""),
                course=course,
                responses=answers,
            )
        except CourseError as error:
            messages.error(request, str(error))
            return redirect("courses:assessment", course_key=course_key)
        if attempt.passed:
            messages.success(request, _("You passed the final assessment."))
        else:
            messages.error(request, _("You did not reach the pass mark this time."))
        return redirect("courses:assessment", course_key=course_key)
    if attempt.submitted_at is not None:
        return redirect("courses:assessment", course_key=course_key)
    questions = attempt_questions(attempt=attempt, course=course)
    return render(
        request,
        "courses/attempt.html",
        {
            "course": course,
            "attempt": attempt,
            "questions": questions,
            "token": attempt_token(attempt=attempt),
        },
    )


@login_required
def signoffs(request):
    if not user_has_role(user=request.user, roles=TRAINERS):
        raise PermissionDenied(_("Only trainers can sign off practical work."))
    if request.method == "POST":
        enrolment = get_object_or_404(Enrolment, public_id=request.POST.get("enrolment"))
        course = _course_or_404(enrolment.course_key)
        try:
            practical_signoff_record(
                enrolment=enrolment,
                course=course,
                signed_by=request.user,
                note=request.POST.get("note", "")[:2000],
            )
        except CourseError as error:
            messages.error(request, str(error))
        else:
            audit_record(user=request.user, action="course.practical_signoff", target=enrolment)
            messages.success(
                request,
                _("Practical work signed off for %(name)s.")
                % {"name": enrolment.user.get_full_name() or enrolment.user.username},
            )
        return redirect("courses:signoffs")
    rows = signoffs_pending(user=request.user)
    audit_record(user=request.user, action="course.signoffs_view", target=None)
    return render(request, "courses/signoffs.html", {"rows": rows})


@login_required
def certificate_download(request, code):
    certificate = certificate_by_code(code=code)
    if certificate is None:
        raise Http404(_("No certificate has this code."))
    if certificate.user_id != request.user.pk:
        if not user_has_role(user=request.user, roles=COORDINATORS):
            raise PermissionDenied(_("This certificate is not yours."))
        audit_record(user=request.user, action="certificate.download", target=certificate)
    language = certificate.user.preferred_language or get_language()
    course = course_by_key(course_key=certificate.course_key, language=language)
    pdf = certificate_pdf(certificate=certificate, course=course, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def certificate_verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        cleaned = "".join(ch for ch in form.cleaned_data["code"].upper() if ch.isalnum())
        if cleaned:
            return redirect("courses:certificate_verify", code=cleaned)
    return render(request, "courses/verify_form.html", {"form": form})


def certificate_verify(request, code):
    certificate = certificate_by_code(code=code)
    context = {"code": code, "form": VerifyForm(initial={"code": code})}
    if certificate is None:
        return render(request, "courses/verify.html", context, status=404)
    course = course_by_key(course_key=certificate.course_key, language=get_language())
    context.update(
        certificate=certificate,
        course=course,
        state=certificate_state(certificate=certificate),
        display_code=certificate_code_display(certificate.code),
        now=timezone.now(),
    )
    return render(request, "courses/verify.html", context)


@login_required
def certificate_revoke_view(request, code):
    if not user_has_role(user=request.user, roles=COORDINATORS):
        raise PermissionDenied(_("Only coordinators can revoke a certificate."))
    certificate = certificate_by_code(code=code)
    if certificate is None:
        raise Http404(_("No certificate has this code."))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, user=request.user, reason=form.cleaned_data["reason"]
            )
        except CourseError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("courses:certificate_verify", code=certificate.code)
    return render(
        request,
        "courses/revoke.html",
        {
            "certificate": certificate,
            "form": form,
            "display_code": certificate_code_display(certificate.code),
        },
    )
