from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_index, name="roster_import_index"),
    path("<uuid:public_id>/", views.import_detail, name="roster_import_detail"),
    path("<uuid:public_id>/status.json", views.import_status, name="roster_import_status"),
    path("<uuid:public_id>/mapping/", views.import_mapping, name="roster_import_mapping"),
    path("<uuid:public_id>/confirm/", views.import_confirm, name="roster_import_confirm"),
    path("<uuid:public_id>/errors.csv", views.import_errors_csv, name="roster_import_errors"),
    path("<uuid:public_id>/report.csv", views.import_report_csv, name="roster_import_report"),
]
