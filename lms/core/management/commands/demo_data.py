from django.core.management.base import BaseCommand

from lms.core.demo import demo_data_load


class Command(BaseCommand):
    help = "Load demo data (site, home page, field offices, a user for each role). Idempotent."

    def handle(self, *args, **options):
        for line in demo_data_load():
            self.stdout.write(line)
