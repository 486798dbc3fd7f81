"""Restore the registry-version triggers and the covering index on SQLite.

SQLite cannot add most columns in place: Django rebuilds the table (create, copy, drop,
rename), and the rebuild drops triggers and indexes written in raw SQL. Migrations 0011 and
0013 rebuilt trainees_person, trainees_reviewpair and others, so on SQLite a write to them no
longer moved the registry version and cached figures outlived it. PostgreSQL alters tables in
place and keeps its triggers: nothing to do there. Re-running this is harmless.
"""

from django.db import migrations

WATCHED = [
    ("trainees", "Participation"),
    ("trainees", "Person"),
    ("trainees", "Organisation"),
    ("trainees", "Place"),
    ("trainees", "Programme"),
    ("trainees", "AggregateSession"),
    ("trainees", "AggregateCount"),
    ("trainees", "ReviewPair"),
    ("accounts", "FieldOffice"),
]
BUMP = (
    "INSERT INTO trainees_registryversion (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = trainees_registryversion.version + 1"
)
COVER_COLUMNS = (
    "person_id, programme_id, outcome, kind, organisation_id, place_id, field_office_id, "
    "course_public_id"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for app, name in WATCHED:
        table = apps.get_model(app, name)._meta.db_table
        for event in ("INSERT", "UPDATE", "DELETE"):
            trigger = f"{table}_version_{event.lower()}"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            schema_editor.execute(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} BEGIN {BUMP}; END"
            )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS part_live_cover ON trainees_participation "
        f"(date, {COVER_COLUMNS}) WHERE voided = 0"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0013_rosters_fields"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
