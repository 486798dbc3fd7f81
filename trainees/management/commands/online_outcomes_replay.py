"""Replay the LRS's course outcomes into the registry (after a consumer failure)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from trainees.services.online import online_outcomes_backfill


class Command(BaseCommand):
    help = (
        "Record every course outcome statement (completed, passed, failed) the LRS holds and "
        "the registry has not consumed yet; statements consumed already change nothing."
    )

    def handle(self, *args, **options):
        consumed = online_outcomes_backfill(statement_model=apps.get_model("xapi", "Statement"))
        self.stdout.write(f"{consumed} statements recorded as online outcomes.")
