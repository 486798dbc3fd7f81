"""Background work on roster imports: the preview (read and match) and the confirm (write).

Both outlast a web request on a large roster; the page polls the import's progress.
"""

from django_tasks import task

from .models import ImportStatus, RosterImport


@task()
def roster_import_analyse_task(import_id: int) -> str:
    from .services import roster_import_analyse

    roster_import = RosterImport.objects.filter(pk=import_id).first()
    if roster_import is None:
        return "missing"
    try:
        roster_import = roster_import_analyse(roster_import=roster_import)
    except Exception:
        RosterImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED)
        raise
    return roster_import.status


@task()
def roster_import_confirm_task(
    import_id: int, user_id: int | None = None, attempt: str | None = None
) -> str:
    """Write a confirmed import (one transaction). On failure nothing was written: the
    import is ready again, with a message. While it runs it beats (``heartbeat.py``), so a
    worker killed in the middle is seen and the confirm can be asked for again; a task of
    an attempt replaced since does nothing ("superseded")."""
    from django.contrib.auth import get_user_model

    from .heartbeat import Heartbeat
    from .services import RosterImportError, roster_import_confirm, roster_import_confirm_failed

    roster_import = RosterImport.objects.filter(pk=import_id).first()
    if roster_import is None:
        return "missing"
    if attempt is not None and str(roster_import.confirm_attempt) != attempt:
        return "superseded"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        with Heartbeat(import_id, attempt):
            roster_import = roster_import_confirm(
                roster_import=roster_import, user=user, attempt=attempt
            )
    except RosterImportError as exc:
        return str(exc)
    except Exception:
        roster_import_confirm_failed(import_id=import_id, attempt=attempt)
        raise
    return roster_import.status
