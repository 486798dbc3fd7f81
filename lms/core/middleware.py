"""Request language: the URL's prefix on the site, the user's own choice in the admin."""

from __future__ import annotations

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

#: Paths outside ``i18n_patterns``: a 404 there is an answer, never a cue to add /fr/.
UNPREFIXED_PATHS = ("/xapi/", "/xapi", "/admin/", "/documents/", "/i18n/", "/static/", "/media/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that the LRS, the admin and files are never redirected to /fr/...:
    an xAPI client asking for ``/xapi/`` must get the LRS's own answer, not a redirect to a
    page that does not exist."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class AdminLanguageMiddleware:
    """The admin speaks the language the user chose (``User.preferred_language``), not the
    browser's. Wagtail's own profile setting, when a user sets it, still wins: Wagtail applies
    it inside its views, after this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user is not None else ""
        if (
            request.path_info.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and language in {"fr", "en"}
        ):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
