"""Scan the whole registry for likely duplicates and queue them for review."""

from django.core.management.base import BaseCommand

from trainees.matching import Thresholds
from trainees.review.services import duplicate_scan_run


class Command(BaseCommand):
    help = "Propose candidate pairs of people who may be one (never pairs judged different)."

    def add_arguments(self, parser):
        parser.add_argument("--link", type=float, default=Thresholds().link)
        parser.add_argument("--review", type=float, default=Thresholds().review)
        parser.add_argument(
            "--no-merge",
            action="store_true",
            help="queue the link band for review instead of merging it as one undoable batch",
        )

    def handle(self, *args, **options):
        result = duplicate_scan_run(
            thresholds=Thresholds(link=options["link"], review=options["review"]),
            merge=not options["no_merge"],
        )
        self.stdout.write(
            f"Scanned {result['people']} people in {result['seconds']} s: "
            f"{result['merged']} merged as one batch, "
            f"{result['pairs']} new candidate pairs to review (model {result['model']})."
        )
