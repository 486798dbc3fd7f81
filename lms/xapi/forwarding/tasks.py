"""Background work of forwarding (Django's tasks framework; the database backend in
production, the immediate backend in tests)."""

from django_tasks import task

from .services import deliveries_send


@task()
def forwarding_send_task() -> dict:
    """Send every forwarding delivery that is due."""
    report = deliveries_send()
    return {"delivered": report.delivered, "failed": report.failed}
