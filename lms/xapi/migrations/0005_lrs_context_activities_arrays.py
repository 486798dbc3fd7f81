"""Data 2.4.6.2.s4.b3: statements stored with a single context Activity (an object) get
it as an array of one, in their stored text, which ``format=exact`` serves as it is.
New statements are stored so by the store service."""

import json

from django.db import migrations

from lms.xapi.spec.formatting import context_activities_normalised

BATCH = 500


def forwards(apps, schema_editor):
    Statement = apps.get_model("xapi", "Statement")
    # The keys first, then batches by key: no cursor stays open over rows being updated.
    seqs = list(
        Statement.objects.filter(raw__contains='"contextActivities"')
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    for start in range(0, len(seqs), BATCH):
        changed = []
        for row in Statement.objects.filter(seq__in=seqs[start : start + BATCH]).only("raw"):
            statement = json.loads(row.raw)
            normalised = context_activities_normalised(statement)
            if normalised is not statement:
                row.raw = json.dumps(normalised, separators=(",", ":"), ensure_ascii=False)
                changed.append(row)
        Statement.objects.bulk_update(changed, ["raw"])


class Migration(migrations.Migration):
    dependencies = [
        ("xapi", "0004_activity_related_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
