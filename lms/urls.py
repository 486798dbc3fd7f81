from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.offline.views import service_worker
from lms.accounts import views as accounts_views
from lms.core import views as core_views

handler500 = "lms.core.views.server_error"

urlpatterns = [
    path("xapi/", include("lms.xapi.urls")),
    # At the root, so that the service worker's scope covers every page (docs/offline.md).
    path("sw.js", service_worker, name="service_worker"),
    # One way to sign in (allauth, with its rate limits and the second factor for staff):
    # Wagtail's own sign-in and password reset forms are never served.
    path("admin/login/", accounts_views.sign_in_redirect, {"default_next": "/admin/"}),
    re_path(r"^admin/password_reset/", accounts_views.admin_password_reset),
    # Wagtail's choosers read the id with int() and answer 500 to one that is not a number;
    # every object they choose here has an integer key, so such an id is simply not found.
    *(
        re_path(rf"^admin/{chooser}/chosen/(?P<pk>[^/]*\D[^/]*)/$", core_views.not_found)
        for chooser in (
            "documents/chooser",
            "images/chooser",
            "snippets/choose/(?P<app>[^/]+)/(?P<model>[^/]+)",
        )
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("lms.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("my-learning/", core_views.my_learning, name="my_learning"),
    path("learn/", include("courses.urls")),
    path("registry/", include("trainees.urls")),
    path("reports/", include("trainees.reports.urls")),
    path("_util/login/", accounts_views.sign_in_redirect),
    path("", include(wagtail_urls)),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
