from django.urls import path

from . import views

urlpatterns = [
    path("", views.review_index, name="review_index"),
    path("decide/", views.review_decide, name="review_decide"),
    path("merges/", views.merge_index, name="review_merges"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="review_merge_undo"),
    path("scan/", views.scan_start, name="review_scan"),
    path("accept-above/", views.review_accept_above, name="review_accept_above"),
    path("batches/<int:pk>/undo/", views.merge_batch_undo_view, name="review_batch_undo"),
    path("learn/", views.linkage_train_start, name="review_learn"),
]
