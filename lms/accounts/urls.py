from django.urls import path

from . import views

urlpatterns = [
    path("trainees/", views.trainee_account_index, name="trainee_account_index"),
    path("trainees/new/", views.trainee_account_new, name="trainee_account_new"),
    path("trainees/new-list/", views.trainee_account_list_new, name="trainee_account_list_new"),
]
