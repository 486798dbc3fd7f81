from django.urls import path

from . import views

# No app namespace: the import and review routes included below use plain names.
urlpatterns: list = [
    path("people/", views.people_index, name="registry_people_index"),
    path("people/<uuid:public_id>/", views.person_detail, name="registry_person_detail"),
    path(
        "people/<uuid:public_id>/names/", views.person_names_correct, name="registry_person_names"
    ),
    path(
        "participations/<uuid:public_id>/withdraw/",
        views.participation_withdraw,
        name="registry_participation_withdraw",
    ),
    path("events/", views.event_index, name="registry_event_index"),
    path("events/<uuid:public_id>/", views.event_detail, name="registry_event_detail"),
    path("events/<uuid:public_id>/correct/", views.event_correct, name="registry_event_correct"),
    path("sessions/", views.session_index, name="registry_session_index"),
    path("sessions/new/", views.session_new, name="registry_session_new"),
]
from django.urls import include  # noqa: E402

urlpatterns += [path("imports/", include("trainees.imports.urls"))]  # roster import (issue 5)
urlpatterns += [path("review/", include("trainees.review.urls"))]  # review queue (issue 5)
