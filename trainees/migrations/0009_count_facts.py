"""The counting table ``trainees_countfact`` and the triggers that keep it exact (PostgreSQL).

See ``trainees.models.count_facts``. One row per live participation with the person's sex,
the age at the activity, the organisation's categories and ``year * 100 + month`` copied in.
Statement triggers with transition tables keep it in step with every write, whatever path
wrote (services, the admin, ``QuerySet.update``, bulk imports, ``COPY``, merges):

* participations: insert rows for inserted live participations; on update drop the old rows
  and insert the new live ones (a voided participation has none); on delete drop them; on
  truncate empty the table;
* people: when sex, date of birth or year of birth changes, rewrite sex and age of their rows;
* organisations: when a category changes, rewrite it on their rows.

The table is filled from the participations when the migration runs. The migration also
creates the ``intarray`` extension (shipped with PostgreSQL, trusted: sorting and
deduplicating integer arrays, used to count people per organisation, place and month in one
pass). SQLite has no counting table.
"""

import django.db.models.deletion
from django.db import migrations, models

#: Full years at ``d`` from a date of birth, or ``year(d) - birth_year``; as the counting
#: selector's ``_age`` computes it on SQLite.
AGE_FUNCTION = """
CREATE OR REPLACE FUNCTION trainees_age_at(d date, birth_date date, birth_year integer)
RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE
    WHEN birth_date IS NOT NULL THEN
      EXTRACT(YEAR FROM d)::integer - EXTRACT(YEAR FROM birth_date)::integer
      - CASE WHEN EXTRACT(MONTH FROM birth_date) * 100 + EXTRACT(DAY FROM birth_date)
                > EXTRACT(MONTH FROM d) * 100 + EXTRACT(DAY FROM d) THEN 1 ELSE 0 END
    WHEN birth_year IS NOT NULL THEN EXTRACT(YEAR FROM d)::integer - birth_year
  END)::smallint
$$
"""

COLUMNS = (
    "participation_id, person_id, date, month, programme_id, course_public_id, course_title, "
    "kind, outcome, organisation_id, organisation_category, reporting_category, place_id, "
    "field_office_id, sex, age"
)


def _insert_from(source: str) -> str:
    """Rows for the live participations of ``source`` (a table or a transition table)."""
    return (
        f"INSERT INTO trainees_countfact ({COLUMNS}) "  # noqa: S608 - constant names
        "SELECT n.id, n.person_id, n.date, "
        "(EXTRACT(YEAR FROM n.date) * 100 + EXTRACT(MONTH FROM n.date))::integer, "
        "n.programme_id, n.course_public_id, n.course_title, n.kind, n.outcome, "
        "n.organisation_id, o.category, o.reporting_category, n.place_id, n.field_office_id, "
        "pe.sex, trainees_age_at(n.date, pe.birth_date, pe.birth_year) "
        f"FROM {source} n JOIN trainees_person pe ON pe.id = n.person_id "
        "LEFT JOIN trainees_organisation o ON o.id = n.organisation_id WHERE NOT n.voided"
    )


FORWARDS = [
    # Shipped with PostgreSQL (contrib), trusted: sorts and deduplicates integer arrays.
    "CREATE EXTENSION IF NOT EXISTS intarray",
    AGE_FUNCTION,
    "CREATE TABLE trainees_countfact ("
    " participation_id bigint PRIMARY KEY, person_id bigint NOT NULL, date date NOT NULL,"
    " month integer NOT NULL, programme_id bigint, course_public_id uuid,"
    " course_title varchar(200) NOT NULL, kind varchar(20) NOT NULL,"
    " outcome varchar(16) NOT NULL, organisation_id bigint, organisation_category varchar(32),"
    " reporting_category varchar(32), place_id bigint, field_office_id bigint,"
    " sex varchar(1) NOT NULL, age smallint)",
    # Triggers of participations.
    "CREATE FUNCTION trainees_countfact_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN {_insert_from('new_rows')}; RETURN NULL; END $$",
    "CREATE FUNCTION trainees_countfact_updated() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM trainees_countfact WHERE participation_id IN (SELECT id FROM old_rows); "
    f"{_insert_from('new_rows')}; RETURN NULL; END $$",
    "CREATE FUNCTION trainees_countfact_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM trainees_countfact WHERE participation_id IN (SELECT id FROM old_rows); "
    "RETURN NULL; END $$",
    "CREATE FUNCTION trainees_countfact_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN TRUNCATE trainees_countfact; RETURN NULL; END $$",
    "CREATE TRIGGER trainees_countfact_ins AFTER INSERT ON trainees_participation "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countfact_inserted()",
    "CREATE TRIGGER trainees_countfact_upd AFTER UPDATE ON trainees_participation "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countfact_updated()",
    "CREATE TRIGGER trainees_countfact_del AFTER DELETE ON trainees_participation "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countfact_deleted()",
    "CREATE TRIGGER trainees_countfact_trunc AFTER TRUNCATE ON trainees_participation "
    "FOR EACH STATEMENT EXECUTE FUNCTION trainees_countfact_truncated()",
    # People: sex and age follow the person's record.
    "CREATE FUNCTION trainees_countfact_person() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN UPDATE trainees_countfact f SET sex = c.sex, "
    "age = trainees_age_at(f.date, c.birth_date, c.birth_year) "
    "FROM (SELECT n.id, n.sex, n.birth_date, n.birth_year FROM new_rows n "
    "JOIN old_rows o ON o.id = n.id WHERE (n.sex, n.birth_date, n.birth_year) "
    "IS DISTINCT FROM (o.sex, o.birth_date, o.birth_year)) c WHERE f.person_id = c.id; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER trainees_countfact_person AFTER UPDATE ON trainees_person "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countfact_person()",
    # Organisations: their categories.
    "CREATE FUNCTION trainees_countfact_organisation() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN UPDATE trainees_countfact f SET organisation_category = c.category, "
    "reporting_category = c.reporting_category "
    "FROM (SELECT n.id, n.category, n.reporting_category FROM new_rows n "
    "JOIN old_rows o ON o.id = n.id WHERE (n.category, n.reporting_category) "
    "IS DISTINCT FROM (o.category, o.reporting_category)) c WHERE f.organisation_id = c.id; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER trainees_countfact_organisation AFTER UPDATE ON trainees_organisation "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countfact_organisation()",
    # Fill it, then index it (faster than indexing while filling).
    _insert_from("trainees_participation"),
    "CREATE INDEX trainees_countfact_person ON trainees_countfact (person_id)",
    "CREATE INDEX trainees_countfact_date ON trainees_countfact (date)",
    "CREATE INDEX trainees_countfact_office ON trainees_countfact (field_office_id, date)",
    "CREATE INDEX trainees_countfact_org ON trainees_countfact (organisation_id)",
    "CREATE INDEX trainees_countfact_course ON trainees_countfact (course_public_id) "
    "WHERE course_public_id IS NOT NULL",
    "ANALYZE trainees_countfact",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS trainees_countfact_ins ON trainees_participation",
    "DROP TRIGGER IF EXISTS trainees_countfact_upd ON trainees_participation",
    "DROP TRIGGER IF EXISTS trainees_countfact_del ON trainees_participation",
    "DROP TRIGGER IF EXISTS trainees_countfact_trunc ON trainees_participation",
    "DROP TRIGGER IF EXISTS trainees_countfact_person ON trainees_person",
    "DROP TRIGGER IF EXISTS trainees_countfact_organisation ON trainees_organisation",
    "DROP FUNCTION IF EXISTS trainees_countfact_inserted()",
    "DROP FUNCTION IF EXISTS trainees_countfact_updated()",
    "DROP FUNCTION IF EXISTS trainees_countfact_deleted()",
    "DROP FUNCTION IF EXISTS trainees_countfact_truncated()",
    "DROP FUNCTION IF EXISTS trainees_countfact_person()",
    "DROP FUNCTION IF EXISTS trainees_countfact_organisation()",
    "DROP TABLE IF EXISTS trainees_countfact",
    "DROP FUNCTION IF EXISTS trainees_age_at(date, date, integer)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARDS:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARDS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("trainees", "0008_roster_import_creates_its_event"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountFact",
            fields=[
                (
                    "participation",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="trainees.participation",
                    ),
                ),
                ("date", models.DateField()),
                ("month", models.IntegerField()),
                ("course_public_id", models.UUIDField(null=True)),
                ("course_title", models.CharField(max_length=200)),
                ("kind", models.CharField(max_length=20)),
                ("outcome", models.CharField(max_length=16)),
                ("organisation_category", models.CharField(max_length=32, null=True)),
                ("reporting_category", models.CharField(max_length=32, null=True)),
                ("sex", models.CharField(max_length=1)),
                ("age", models.SmallIntegerField(null=True)),
                (
                    "field_office",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.fieldoffice",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainees.organisation",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainees.person",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainees.place",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainees.programme",
                    ),
                ),
            ],
            options={"db_table": "trainees_countfact", "managed": False},
        ),
        migrations.RunPython(forwards, backwards),
    ]
