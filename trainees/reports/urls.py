from django.urls import path, re_path

from . import views
from .api import api

urlpatterns: list = [
    path("", views.dashboard, name="reports_dashboard"),
    path("people/", views.people, name="reports_people"),
    re_path(
        r"^breakdown/(?P<figure>[a-z_]+)/(?P<by>[a-z_]+)/$",
        views.breakdown,
        name="reports_breakdown",
    ),
    re_path(r"^export/(?P<fmt>csv|xlsx|pdf)/$", views.export, name="reports_export"),
    path("publish/", views.publish, name="reports_publish"),
    path("published/", views.published_index, name="reports_published_index"),
    path("published/<int:pk>/", views.published_detail, name="reports_published_detail"),
    path("methodology/", views.methodology, name="reports_methodology"),
    path("charts.css", views.chart_stylesheet, name="reports_chart_css"),
    path("api/", api.urls),
]
