"""A URLconf with the LRS alone, set on xAPI 404 answers so that LocaleMiddleware does not
turn "no such statement" into a redirect to a language-prefixed page."""

from django.urls import include, path

urlpatterns = [path("xapi/", include("lms.xapi.urls"))]
