import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses.offline.selectors import offline_package
from courses.offline.services import offline_statements_sync
from courses.selectors import course_by_key, enrolment_current
from courses.services import CourseError
from courses.services.statements import _person_uuid

#: What every page kept offline needs, kept when the service worker installs.
SHELL_FILES = (
    "css/site.css",
    "courses/courses.css",
    "offline/offline.css",
    "offline/queue.js",
    "offline/offline.js",
    "img/favicon.svg",
    "offline/icon-192.png",
)


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@never_cache
@require_GET
def offline_session(request):
    """Who is signed in now, and a CSRF token: the phone sends a queue only for this account."""
    account = request.user.pk if request.user.is_authenticated else None
    return JsonResponse({"account": account, "csrf": get_token(request) if account else None})


@never_cache
@require_GET
def offline_package_view(request, course_key):
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to keep a course on this phone."), 401)
    course = course_by_key(course_key=course_key, language=get_language())
    if course is None:
        return _json_error(_("This course does not exist or is not published."), 404)
    enrolment = enrolment_current(user=request.user, course_key=course.translation_key)
    if enrolment is None or enrolment.status != "active":
        return _json_error(_("Only a course you are studying can be kept on this phone."), 403)
    return JsonResponse(
        offline_package(course=course, enrolment=enrolment, person_uuid=_person_uuid(request.user))
    )


@never_cache
@require_POST
def offline_sync(request):
    if not request.user.is_authenticated:
        return _json_error(_("Sign in again: your activities wait on this phone."), 401)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _json_error(_("The request is not valid JSON."), 400)
    statements = body.get("statements") if isinstance(body, dict) else None
    try:
        results = offline_statements_sync(user=request.user, statements=statements)
    except CourseError as error:
        return _json_error(str(error), 400)
    return JsonResponse({"results": [result.as_json() for result in results]})


@require_GET
def offline_unavailable(request):
    """What the phone shows for a page it does not keep (kept with every course package)."""
    return render(request, "courses/offline/unavailable.html")


@require_GET
def offline_manifest(request):
    language = get_language() or "fr"
    icons = [
        {"src": static(f"offline/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": static("offline/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    manifest = {
        "id": "/",
        "name": settings.SITE_NAME or _("Mine action training"),
        "short_name": _("Training"),
        "description": _("Mine action courses you can study without a connection."),
        "lang": language,
        "dir": "ltr",
        "start_url": f"/{language}/my-learning/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d3b53",
        "icons": icons,
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_GET
def service_worker(request):
    """The service worker, from the site's root so that its scope covers every page. A
    template, so that it names the static files as the manifest storage does (hashed)."""
    shell = [static(name) for name in SHELL_FILES]
    version = hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]
    body = render_to_string("courses/offline/sw.js", {"shell": shell, "shell_version": version})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
