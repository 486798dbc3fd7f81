"""Online outcomes: the course-level statements the registry consumed, and a backfill of
participations for every course outcome the LRS stored before the registry read them
(``trainees.services.online``)."""

import django.db.models.deletion
from django.db import migrations, models


def online_backfill(apps, schema_editor):
    """Every completed, passed or failed statement already stored, not voided, replayed in
    stored order through the registry's statement consumer. The statements are read with
    the historical model (named columns only); the writes go through the consumer's own
    services, so this migration runs with the code it ships with."""
    from trainees.services.online import online_outcomes_backfill

    online_outcomes_backfill(statement_model=apps.get_model("xapi", "Statement"))


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0010_count_people"),
        ("xapi", "0004_activity_related_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="OnlineOutcome",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("statement_id", models.UUIDField(unique=True, verbose_name="statement")),
                ("delivery_id", models.UUIDField(db_index=True, verbose_name="delivery")),
                ("course_public_id", models.UUIDField(verbose_name="course")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("attended", "Attended"),
                            ("completed", "Completed"),
                            ("passed", "Passed"),
                            ("failed", "Failed"),
                        ],
                        max_length=16,
                        verbose_name="outcome",
                    ),
                ),
                ("score", models.FloatField(blank=True, null=True, verbose_name="score (%)")),
                ("timestamp", models.DateTimeField(verbose_name="timestamp")),
                ("voided", models.BooleanField(default=False, verbose_name="voided")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="trainees.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "online outcome",
                "verbose_name_plural": "online outcomes",
            },
        ),
        migrations.RunPython(online_backfill, migrations.RunPython.noop),
    ]
