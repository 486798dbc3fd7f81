from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from lms.accounts.selectors import user_roles


def platform(request):
    """Language switcher links for the page being shown, and the signed-in user's roles."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    # On a Wagtail page (set by courses' before_serve_page hook), link to its translation.
    page = getattr(request, "wagtail_page", None)
    if page is not None:
        translations = {
            p.locale.language_code: p
            for p in page.get_translations().live().select_related("locale")
        }
        for link in languages:
            if link["code"] in translations:
                link["url"] = translations[link["code"]].url
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.SITE_URL,
        "language_links": languages,
        "user_roles": {role.value for role in user_roles(user=request.user)}
        if hasattr(request, "user")
        else set(),
    }
