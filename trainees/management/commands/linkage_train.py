"""Train the registry's linkage model (splink on DuckDB) and make it current."""

from django.core.management.base import BaseCommand

from trainees.services.linkage import linkage_model_train


class Command(BaseCommand):
    help = (
        "Learn the linkage model's parameters from the registry; with too few people the "
        "previous model (or the priors) stays."
    )

    def handle(self, *args, **options):
        run = linkage_model_train()
        version = run.model_version.version if run.model_version else "-"
        self.stdout.write(f"{run.get_status_display()}: {run.message} (model {version})")
