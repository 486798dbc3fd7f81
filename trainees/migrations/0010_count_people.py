"""Per-person summaries of the counting table, ``trainees_countperson`` (PostgreSQL).

See ``trainees.models.count_facts.CountPerson``. One row per person and figure ("trained",
"briefed") they qualify for, with their first qualifying date, their participations, one
bitmask per small dimension and the sorted distinct organisations, places and months
(``tags``). A statement trigger on ``trainees_countfact`` recomputes the rows of every person
a write touched (from their rows of the counting table, through its person index); a change
of a programme's qualifying outcomes recomputes that programme's people. "Trained" is the
counting selector's rule: an outcome the participation's programme lists in its
``qualifying_outcomes``, or completed or passed without a programme. "Briefed": a briefing.

Two transactions recomputing the same person take turns (transaction-level advisory locks
on groups of people, ``person id mod 128``, taken in order): the second recomputes after the
first commits, from what it committed, so a row is never computed from a stale view.

Bits: a text key's bit is its position in ``KEYS`` (a frozen copy of
``trainees.models.count_facts.MASK_KEYS``; a test keeps them equal), a programme's or field
office's its id, a year's ``year - 2000``, an age's its years (0 also holds below zero);
bit 61 is "not recorded", bit 62 a key the mask cannot hold (the dashboard then counts
that dimension from the counting table). The table is filled from the counting table when
the migration runs.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

KEYS = {
    "kind": ["course", "practical", "briefing", "risk_education", "online"],
    "outcome": ["attended", "completed", "passed", "failed"],
    "sex": ["F", "M", ""],
    "organisation_category": [
        "armed_forces",
        "gendarmerie",
        "national_guard",
        "police",
        "civil_protection",
        "peacekeeping_contingent",
        "un",
        "ngo",
        "community",
        "driver",
        "civil_society",
        "other",
        "",
    ],
    "reporting_category": [
        "mdsf",
        "peacekeepers",
        "un",
        "humanitarian",
        "drivers",
        "community",
        "civil_society",
        "other",
        "",
    ],
}
NULL_BIT, OTHER_BIT = 61, 62
TAG_PLACE, TAG_MONTH = 1 << 24, 1 << 25
LOCK_SPACE = 74063  # advisory lock space of the per-person recompute
LOCK_GROUPS = 128  # people are locked in this many groups (person id modulo, a power of two)


def _text_bit(column: str, keys: list[str]) -> str:
    listed = "ARRAY[" + ", ".join(f"'{key}'" for key in keys) + "]::text[]"
    return (
        f"CASE WHEN {column} IS NULL THEN 1::bigint << {NULL_BIT} ELSE COALESCE(1::bigint << "
        f"(array_position({listed}, {column}::text) - 1), 1::bigint << {OTHER_BIT}) END"
    )


def _small_bit(value: str, low: int = 0, high: int = 60) -> str:
    return (
        f"CASE WHEN {value} IS NULL THEN 1::bigint << {NULL_BIT} "
        f"WHEN {value} BETWEEN {low} AND {high} THEN 1::bigint << ({value} - {low})::integer "
        f"ELSE 1::bigint << {OTHER_BIT} END"
    )


AGE_BIT = (
    f"CASE WHEN f.age IS NULL THEN 1::bigint << {NULL_BIT} WHEN f.age <= 0 THEN 1::bigint "
    f"WHEN f.age <= 60 THEN 1::bigint << f.age ELSE 1::bigint << {OTHER_BIT} END"
)

TRAINED = (
    "CASE WHEN f.programme_id IS NULL THEN f.outcome IN ('completed', 'passed') "
    "ELSE COALESCE(pr.qualifying_outcomes ? f.outcome, false) END"
)

SUMMARY = (  # constants only
    "SELECT f.person_id, c.figure, MIN(f.date), COUNT(*), "  # noqa: S608
    f"BIT_OR({_small_bit('f.programme_id')}), "
    f"BIT_OR({_text_bit('f.kind', KEYS['kind'])}), "
    f"BIT_OR({_text_bit('f.outcome', KEYS['outcome'])}), "
    f"BIT_OR({_text_bit('f.sex', KEYS['sex'])}), "
    f"BIT_OR({AGE_BIT}), "
    f"BIT_OR({_text_bit('f.organisation_category', KEYS['organisation_category'])}), "
    f"BIT_OR({_text_bit('f.reporting_category', KEYS['reporting_category'])}), "
    f"BIT_OR({_small_bit('f.field_office_id')}), "
    f"BIT_OR({_small_bit('EXTRACT(YEAR FROM f.date)::integer', 2000, 2060)}), "
    "BIT_OR(CASE WHEN f.organisation_id IS NULL THEN 1 ELSE 0 END "
    "| CASE WHEN f.place_id IS NULL THEN 2 ELSE 0 END "
    "| CASE WHEN f.course_public_id IS NULL THEN 4 ELSE 0 END "
    f"| CASE WHEN f.organisation_id >= {TAG_PLACE} OR f.place_id >= {TAG_PLACE} "
    "THEN 8 ELSE 0 END)::smallint, "
    "COALESCE(uniq(sort(array_agg(f.organisation_id::integer) "
    f"FILTER (WHERE f.organisation_id < {TAG_PLACE}))), '{{}}') "
    f"+ COALESCE(uniq(sort(array_agg(f.place_id::integer + {TAG_PLACE}) "
    f"FILTER (WHERE f.place_id < {TAG_PLACE}))), '{{}}') "
    f"+ uniq(sort(array_agg(f.month + {TAG_MONTH}))) "
    "FROM trainees_countfact f "
    "LEFT JOIN trainees_programme pr ON pr.id = f.programme_id "
    "CROSS JOIN (VALUES ('trained'), ('briefed')) AS c(figure) "
    f"WHERE {{where}} AND CASE c.figure WHEN 'trained' THEN {TRAINED} "
    "ELSE f.kind = 'briefing' END "
    "GROUP BY f.person_id, c.figure"
)

COLUMNS = (
    "person_id, figure, first_date, participations, m_programme, m_kind, m_outcome, m_sex, "
    "m_age, m_organisation_category, m_reporting_category, m_field_office, m_year, nulls, tags"
)

REFRESH = (  # constants only
    "CREATE FUNCTION trainees_countperson_refresh(ids bigint[]) RETURNS void "  # noqa: S608
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF; "
    # Take turns per group of people: a concurrent writer's rows are committed before we
    # read them. Groups, not people, so a statement touching 100,000 people takes at most
    # LOCK_GROUPS locks (the lock table holds a few thousand).
    f"PERFORM pg_advisory_xact_lock({LOCK_SPACE}, bucket) "
    f"FROM (SELECT DISTINCT (unnest(ids) & {LOCK_GROUPS - 1})::integer AS bucket "
    "ORDER BY 1) groups; "
    "DELETE FROM trainees_countperson WHERE person_id = ANY(ids); "
    f"INSERT INTO trainees_countperson ({COLUMNS}) "
    + SUMMARY.replace("{where}", "f.person_id = ANY(ids)")
    + "; END $$"
)

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS intarray",
    "CREATE TABLE trainees_countperson ("
    " person_id bigint NOT NULL, figure varchar(8) NOT NULL, first_date date NOT NULL,"
    " participations integer NOT NULL, m_programme bigint NOT NULL, m_kind bigint NOT NULL,"
    " m_outcome bigint NOT NULL, m_sex bigint NOT NULL, m_age bigint NOT NULL,"
    " m_organisation_category bigint NOT NULL, m_reporting_category bigint NOT NULL,"
    " m_field_office bigint NOT NULL, m_year bigint NOT NULL, nulls smallint NOT NULL,"
    " tags integer[] NOT NULL, PRIMARY KEY (person_id, figure))",
    REFRESH,
    "CREATE FUNCTION trainees_countperson_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM trainees_countperson_refresh(ARRAY(SELECT DISTINCT person_id FROM new_rows)); "
    "RETURN NULL; END $$",
    "CREATE FUNCTION trainees_countperson_updated() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM trainees_countperson_refresh(ARRAY(SELECT person_id FROM new_rows "
    "UNION SELECT person_id FROM old_rows)); RETURN NULL; END $$",
    "CREATE FUNCTION trainees_countperson_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM trainees_countperson_refresh(ARRAY(SELECT DISTINCT person_id FROM old_rows)); "
    "RETURN NULL; END $$",
    "CREATE FUNCTION trainees_countperson_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN TRUNCATE trainees_countperson; RETURN NULL; END $$",
    "CREATE TRIGGER trainees_countperson_ins AFTER INSERT ON trainees_countfact "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countperson_inserted()",
    "CREATE TRIGGER trainees_countperson_upd AFTER UPDATE ON trainees_countfact "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countperson_updated()",
    "CREATE TRIGGER trainees_countperson_del AFTER DELETE ON trainees_countfact "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countperson_deleted()",
    "CREATE TRIGGER trainees_countperson_trunc AFTER TRUNCATE ON trainees_countfact "
    "FOR EACH STATEMENT EXECUTE FUNCTION trainees_countperson_truncated()",
    # A programme's qualifying outcomes decide who is trained: recompute its people.
    "CREATE FUNCTION trainees_countperson_programme() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM trainees_countperson_refresh(ARRAY(SELECT DISTINCT f.person_id "
    "FROM trainees_countfact f JOIN new_rows n ON n.id = f.programme_id "
    "JOIN old_rows o ON o.id = n.id "
    "WHERE n.qualifying_outcomes IS DISTINCT FROM o.qualifying_outcomes)); "
    "RETURN NULL; END $$",
    "CREATE TRIGGER trainees_countperson_programme AFTER UPDATE ON trainees_programme "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION trainees_countperson_programme()",
    f"INSERT INTO trainees_countperson ({COLUMNS}) " + SUMMARY.replace("{where}", "true"),
    "CREATE INDEX trainees_countperson_figure ON trainees_countperson (figure)",
    "ANALYZE trainees_countperson",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS trainees_countperson_ins ON trainees_countfact",
    "DROP TRIGGER IF EXISTS trainees_countperson_upd ON trainees_countfact",
    "DROP TRIGGER IF EXISTS trainees_countperson_del ON trainees_countfact",
    "DROP TRIGGER IF EXISTS trainees_countperson_trunc ON trainees_countfact",
    "DROP TRIGGER IF EXISTS trainees_countperson_programme ON trainees_programme",
    "DROP FUNCTION IF EXISTS trainees_countperson_inserted()",
    "DROP FUNCTION IF EXISTS trainees_countperson_updated()",
    "DROP FUNCTION IF EXISTS trainees_countperson_deleted()",
    "DROP FUNCTION IF EXISTS trainees_countperson_truncated()",
    "DROP FUNCTION IF EXISTS trainees_countperson_programme()",
    "DROP FUNCTION IF EXISTS trainees_countperson_refresh(bigint[])",
    "DROP TABLE IF EXISTS trainees_countperson",
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
        ("trainees", "0009_count_facts"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountPerson",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "person_id",
                        "figure",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
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
                ("figure", models.CharField(max_length=8)),
                ("first_date", models.DateField()),
                ("participations", models.IntegerField()),
                ("m_programme", models.BigIntegerField()),
                ("m_kind", models.BigIntegerField()),
                ("m_outcome", models.BigIntegerField()),
                ("m_sex", models.BigIntegerField()),
                ("m_age", models.BigIntegerField()),
                ("m_organisation_category", models.BigIntegerField()),
                ("m_reporting_category", models.BigIntegerField()),
                ("m_field_office", models.BigIntegerField()),
                ("m_year", models.BigIntegerField()),
                ("nulls", models.SmallIntegerField()),
                (
                    "tags",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.IntegerField(), size=None
                    ),
                ),
            ],
            options={"db_table": "trainees_countperson", "managed": False},
        ),
        migrations.RunPython(forwards, backwards),
    ]
