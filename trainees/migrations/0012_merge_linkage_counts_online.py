# Joins three migrations written side by side: the linkage model, the review pairs' model
# version for counts, and the online outcomes backfill. None touches what another does.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0011_consumer_online_backfill"),
        ("trainees", "0011_counts_review_pair_version"),
        ("trainees", "0011_registry_linkage"),
    ]

    operations = []
