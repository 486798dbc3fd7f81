# Published reports keep the people behind every figure (``row_people``) and their filters
# as lists of values (multi-value filters). Older reports: ``row_people`` stays empty (their
# restatement explains the headline only) and each single filter value becomes a list of one.

from django.db import migrations, models

#: ``trainees.reports.filters.MULTI_FILTERS`` when this migration was written.
MULTI_FILTERS = (
    "programme",
    "course",
    "kind",
    "organisation_category",
    "organisation",
    "field_office",
    "place",
)


def filters_to_lists(apps, schema_editor):
    PublishedReport = apps.get_model("reports", "PublishedReport")
    for report in PublishedReport.objects.only("pk", "scope").iterator():
        filters = (report.scope or {}).get("filters") or {}
        changed = {
            name: [value]
            for name, value in filters.items()
            if name in MULTI_FILTERS and isinstance(value, str)
        }
        if changed:
            report.scope = {**report.scope, "filters": {**filters, **changed}}
            report.save(update_fields=["scope"])


def filters_to_strings(apps, schema_editor):
    PublishedReport = apps.get_model("reports", "PublishedReport")
    for report in PublishedReport.objects.only("pk", "scope").iterator():
        filters = (report.scope or {}).get("filters") or {}
        changed = {
            name: ", ".join(value)
            for name, value in filters.items()
            if name in MULTI_FILTERS and isinstance(value, list)
        }
        if changed:
            report.scope = {**report.scope, "filters": {**filters, **changed}}
            report.save(update_fields=["scope"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedreport",
            name="row_people",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(filters_to_lists, filters_to_strings),
    ]
