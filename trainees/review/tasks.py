"""The whole-registry duplicate scan as a background task (minutes at 100,000 people)."""

from django_tasks import task


@task()
def duplicate_scan_task(user_id: int | None = None, merge: bool = False) -> dict:
    from django.contrib.auth import get_user_model

    from .services import duplicate_scan_run

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return duplicate_scan_run(user=user, merge=merge)


@task()
def linkage_train_task(user_id: int | None = None) -> str:
    from django.contrib.auth import get_user_model

    from trainees.services.linkage import linkage_model_train

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return linkage_model_train(user=user).status
