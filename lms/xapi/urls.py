from django.urls import include, path

from .views import resources, statements

urlpatterns = [
    path("statements", statements.statements, name="xapi_statements"),
    path("activities", resources.activities, name="xapi_activities"),
    path("about", resources.about, name="xapi_about"),
    path("", include("lms.xapi.documents.urls")),
]
