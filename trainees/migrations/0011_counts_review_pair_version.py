"""Pairs waiting in the review queue move the registry's data version (issue 11, item 6).

Every figure of people now carries its range (standing, lowest, expected) from the pending
pairs, so a cached report must not outlive a pair proposed, decided or re-scored: the review
pair table gets the same version trigger as the other counted tables (migrations
``0006_counting_cache`` and ``0007_registry_version_bump_at_commit``).
"""

from django.db import migrations

TABLE = "trainees_reviewpair"
BUMP = (
    "INSERT INTO trainees_registryversion (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = trainees_registryversion.version + 1"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION trainees_registry_version_mark()"
        )
    elif vendor == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_version_{event.lower()} AFTER {event} ON {TABLE} "
                f"BEGIN {BUMP}; END"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_version ON {TABLE}")
    elif vendor == "sqlite":
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_version_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0010_count_people"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
