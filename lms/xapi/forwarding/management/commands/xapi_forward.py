from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lms.xapi.forwarding.services import BATCH_SIZE, deliveries_send


class Command(BaseCommand):
    help = "Send the xAPI statements queued for external LRSs (those that are due)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--max-batches", type=int, default=None)
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")

    def handle(self, *args, batch_size, max_batches, timeout, **options):
        report = deliveries_send(batch_size=batch_size, max_batches=max_batches, timeout=timeout)
        self.stdout.write(
            _("Delivered: %(delivered)d. Failed (will be retried): %(failed)d.")
            % {"delivered": report.delivered, "failed": report.failed}
        )
