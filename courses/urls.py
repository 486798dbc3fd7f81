from django.urls import path

from . import views
from .offline import views as offline_views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.course_search_view, name="search"),
    path("courses/<uuid:course_key>/enrol/", views.course_enrol, name="enrol"),
    path(
        "courses/<uuid:course_key>/enrol-trainees/",
        views.course_enrol_trainees,
        name="enrol_trainees",
    ),
    path("courses/<uuid:course_key>/assessment/", views.assessment, name="assessment"),
    path(
        "courses/<uuid:course_key>/offline/",
        offline_views.offline_package_view,
        name="offline_package",
    ),
    path("offline/session/", offline_views.offline_session, name="offline_session"),
    path("offline/sync/", offline_views.offline_sync, name="offline_sync"),
    path("offline/unavailable/", offline_views.offline_unavailable, name="offline_unavailable"),
    path("offline/manifest.webmanifest", offline_views.offline_manifest, name="offline_manifest"),
    path(
        "courses/<uuid:course_key>/assessment/<uuid:attempt_id>/",
        views.assessment_attempt,
        name="assessment_attempt",
    ),
    path("modules/<int:module_id>/check/<str:block_id>/", views.module_check, name="module_check"),
    path("modules/<int:module_id>/done/", views.module_done, name="module_done"),
    path("signoffs/", views.signoffs, name="signoffs"),
    path("certificates/verify/", views.certificate_verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path(
        "certificates/<str:code>/download/",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "certificates/<str:code>/revoke/", views.certificate_revoke_view, name="certificate_revoke"
    ),
]
