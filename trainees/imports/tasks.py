"""The background preview: large rosters are read and matched outside the request."""

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
