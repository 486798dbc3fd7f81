"""PostgreSQL: move the registry version bump to commit time, so concurrent writers do not
queue on the version row for the whole of their transactions (issue 6, write serialisation).

Before, a statement trigger on every counted table updated the one ``RegistryVersion`` row
inside the writing transaction: its row lock was held from the first counted write until
commit, so two imports running at once ran one after the other. Now:

* the statement triggers only *mark* the transaction (a transaction-local setting) and, the
  first time, insert one row into ``trainees_registryversion_pending``: no shared row is
  locked while the transaction works;
* that row fires a ``DEFERRABLE INITIALLY DEFERRED`` constraint trigger at ``COMMIT``, which
  adds one to the version and deletes the pending row: the row lock is held only from that
  moment to the end of the commit, and the new version becomes visible exactly when the data
  does (same transaction), so the report cache stays exact;
* ``trainees_registry_version()`` reads the version; inside a transaction that has written
  counted data and not committed, it first runs its pending bump (``SET CONSTRAINTS ...
  IMMEDIATE``), so that transaction sees its own change, as before. A rolled-back write,
  or a savepoint rolled back, takes its mark and its pending row with it.

SQLite keeps its row triggers: it has one writer at a time anyway.
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
    ("accounts", "FieldOffice"),
]

BUMP = (
    "INSERT INTO trainees_registryversion (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = trainees_registryversion.version + 1"
)
SETTING = "trainees.registry_version_pending"

FORWARDS = [
    "CREATE TABLE trainees_registryversion_pending (id bigserial PRIMARY KEY)",
    # At commit (or when the writing transaction itself reads the version): bump, then forget.
    "CREATE FUNCTION trainees_registry_version_settle() RETURNS trigger "  # noqa: S608 - constants
    "LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM set_config('{SETTING}', '', true); {BUMP}; "
    "DELETE FROM trainees_registryversion_pending WHERE id = NEW.id; RETURN NULL; END $$",
    "CREATE CONSTRAINT TRIGGER trainees_registry_version_at_commit AFTER INSERT "
    "ON trainees_registryversion_pending DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
    "EXECUTE FUNCTION trainees_registry_version_settle()",
    # On every counted write: mark the transaction once; nothing shared is locked.
    "CREATE FUNCTION trainees_registry_version_mark() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF current_setting('{SETTING}', true) IS DISTINCT FROM '1' THEN "
    f"PERFORM set_config('{SETTING}', '1', true); "
    "INSERT INTO trainees_registryversion_pending DEFAULT VALUES; END IF; "
    "RETURN NULL; END $$",
    # The version as this transaction must see it.
    "CREATE FUNCTION trainees_registry_version() RETURNS bigint "  # noqa: S608 - constants
    "LANGUAGE plpgsql AS $$ "
    f"BEGIN IF current_setting('{SETTING}', true) = '1' THEN "
    "SET CONSTRAINTS trainees_registry_version_at_commit IMMEDIATE; "
    "SET CONSTRAINTS trainees_registry_version_at_commit DEFERRED; END IF; "
    "RETURN COALESCE((SELECT version FROM trainees_registryversion WHERE id = 1), 0); END $$",
]

BACKWARDS = [
    "DROP FUNCTION IF EXISTS trainees_registry_version()",
    "DROP TABLE IF EXISTS trainees_registryversion_pending",
    "DROP FUNCTION IF EXISTS trainees_registry_version_settle()",
    "DROP FUNCTION IF EXISTS trainees_registry_version_mark()",
]


def _tables(apps):
    return [apps.get_model(app, name)._meta.db_table for app, name in WATCHED]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARDS:
        schema_editor.execute(sql)
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION trainees_registry_version_mark()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION trainees_registry_version_bump()"
        )
    for sql in BACKWARDS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0006_counting_cache"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
