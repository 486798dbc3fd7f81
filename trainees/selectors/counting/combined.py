"""Several breakdowns of one scope in one scan (the coordinator dashboard, issue 6).

Why: each :func:`people_breakdown` is a ``COUNT(DISTINCT person)`` over every qualifying
participation; at a million participations that is ~0.5 s a breakdown, and a dashboard asks
for a dozen. On PostgreSQL:

* a scope with no filter but its figure (the dashboard's default) is read from the
  per-person summaries the database keeps (``summary.py``);
* any other scope reads the counting table (``CountFact``) once, grouped by person
  (:func:`_one_pass`): a bitmask per dimension with few keys (programmes, outcomes, kinds,
  sex, age bands, categories, field offices, years), the distinct organisations, places and
  months, and the first qualifying date; every count comes from that per-person grouping in
  the same query.

The figures are the same as :func:`people_breakdown`'s by construction (same scope filters,
same key expressions, same row building; tests compare every dimension, and compare the
tables with the participations they are kept from); a key outside a mask's known domain (a
value added since) sends that dimension back to its own query. SQLite: one query per
breakdown.
"""

from __future__ import annotations

from uuid import UUID

from django.db import connection, transaction
from django.db.models import F, Max, Min, QuerySet

from lms.accounts.models import FieldOffice
from trainees.models import (
    AGE_BAND_SCHEMES,
    CountFact,
    EventKind,
    OrganisationCategory,
    Outcome,
    Participation,
    ReportingCategory,
    Sex,
)
from trainees.models.choices import AGE_UNKNOWN

from .people import (
    _breakdown_from,
    _period_sql,
    people_breakdown,
    people_count,
    people_new_breakdown,
)
from .queries import YearMonthOf, YearOf, _counted, _programmes, _with_age, copied_column
from .scope import BREAKDOWN_DIMENSIONS, Breakdown, CountScope, CountScopeError, Row
from .summary import summary_breakdowns, summary_serves

#: The widest domain a 64-bit mask holds: its keys, then "NULL", then "anything else".
_MAX_KEYS = 61


class Breakdowns(dict):
    """``{by: Breakdown}`` with ``total``: the distinct people of the scope, and ``new``: new
    people per period when asked for (else ``None``)."""

    def __init__(self, items, *, total: int, new: Breakdown | None = None) -> None:
        super().__init__(items)
        self.total = total
        self.new = new


def _domains(scope: CountScope, programmes, wanted: list[str]) -> dict[str, list]:
    """The possible keys of each small dimension of ``wanted`` (those a 64-bit mask holds)."""
    domains: dict[str, list] = {}
    fixed = {
        "programme": list(programmes),
        "kind": list(EventKind.values),
        "outcome": list(Outcome.values),
        "sex": list(Sex.values),
        "organisation_category": [*OrganisationCategory.values, ""],
        "reporting_category": [*ReportingCategory.values, ""],
        "age_band": [band.code for band in AGE_BAND_SCHEMES[scope.age_scheme]] + [AGE_UNKNOWN],
    }
    for by in wanted:
        if by in fixed:
            domains[by] = fixed[by]
        elif by == "field_office":
            domains[by] = list(FieldOffice.objects.values_list("pk", flat=True))
        elif by == "year":
            span = Participation.objects.filter(voided=False).aggregate(
                first=Min("date"), last=Max("date")
            )
            first, last = span["first"], span["last"]
            domains[by] = list(range(first.year, last.year + 1)) if first else []
    # No known key (an empty registry) or too many: that dimension is counted as a set.
    return {by: keys for by, keys in domains.items() if 0 < len(keys) <= _MAX_KEYS}


def _key_expression(by: str, qs: QuerySet):
    """A row's key for ``by`` (``age_band`` is computed from ``_age`` in the SQL below)."""
    if by in ("sex", "organisation_category", "reporting_category"):
        return F(copied_column(qs, by))
    if by == "month":
        return F("month") if qs.model is CountFact else YearMonthOf("date")
    return {
        "programme": F("programme_id"),
        "course": F("course_public_id"),
        "kind": F("kind"),
        "outcome": F("outcome"),
        "organisation": F("organisation_id"),
        "field_office": F("field_office_id"),
        "place": F("place_id"),
        "year": YearOf("date"),
    }[by]


#: Dimensions with integer keys too many for one mask, counted from per-person arrays
#: (``intarray``, created with the counting table) when reading the counting table.
_ARRAY_DIMENSIONS = ("organisation", "place", "month")


def _key_from_text(by: str, value: str | None):
    """A key sent back as text by the one-pass query, as :func:`people_breakdown` has it."""
    if value is None:
        return None
    if by == "course":
        return UUID(value)
    if by in ("programme", "organisation", "field_office", "place", "year", "month"):
        return int(value)
    return value


def _age_band_sql(scheme: str, age: str) -> str:
    """The band of an age (SQL), exactly as ``queries._age_band``: codes are our constants."""
    whens = [f"WHEN {age} IS NULL THEN '{AGE_UNKNOWN}'"]
    for band in AGE_BAND_SCHEMES[scheme]:
        if band.upper is not None:
            whens.append(f"WHEN {age} < {int(band.upper)} THEN '{band.code}'")
        else:
            whens.append(f"WHEN {age} IS NOT NULL THEN '{band.code}'")
    return f"CASE {' '.join(whens)} ELSE '{AGE_UNKNOWN}' END"


def _mask_sql(name: str, keys: list, scope: CountScope, column: str) -> str:
    """A row's bit in the mask of a small dimension (SQL; its domain is one parameter).

    Bit ``i`` is ``keys[i]``; then "not recorded" (``NULL``), then "a key outside the
    domain". The position is found by ``array_position`` (a loop in C, several times faster
    than a ``CASE`` of one comparison per key over a million rows); the age band is computed
    from the age at the activity, as ``_age_band_sql``.
    """
    if name == "age_band":
        unknown = 1 << keys.index(AGE_UNKNOWN)
        whens = [f"WHEN k._age IS NULL THEN {unknown}"]
        for band in AGE_BAND_SCHEMES[scope.age_scheme]:
            bit = 1 << keys.index(band.code)
            test = "IS NOT NULL" if band.upper is None else f"< {int(band.upper)}"
            whens.append(f"WHEN k._age {test} THEN {bit}")
        return f"CASE {' '.join(whens)} ELSE {unknown} END"
    kind = "text" if any(isinstance(key, str) for key in keys) else "bigint"
    value = f'k."{column}"::{kind}'
    return (
        f"COALESCE(1::bigint << (array_position(%s::{kind}[], {value}) - 1), "
        f"CASE WHEN {value} IS NULL THEN {1 << len(keys)} ELSE {1 << (len(keys) + 1)} END)"
    )


#: Memory for the one-pass query's sorts and hashes (per node; the default 4 MB spills the
#: per-person grouping of a million rows to disk). Set for that query only.
_WORK_MEM = "128MB"


def _one_pass(qs: QuerySet, scope: CountScope, by: list[str], domains: dict, *, firsts: bool):
    """Every breakdown of ``by`` in one query (PostgreSQL).

    The scope's rows (``k``: each dimension's key, and the age at the activity) are grouped
    by person once (``p``): one bitmask per small dimension (``BIT_OR`` of ``1 << i``, ``i``
    the key's position in its domain, see :func:`_mask_sql`), for organisation, place and
    month the sorted distinct keys (``uniq(sort(array_agg(key)))``, ``intarray``) with one
    bit each in ``_nulls`` for "not recorded" (course too), and, if ``firsts``, the first
    qualifying date. Each small
    dimension is then a ``GROUP BY mask`` over ``p`` (a few hundred distinct masks: the key
    counts are summed from them in Python), each array dimension an ``unnest`` of ``p``
    grouped by key (a person's keys are distinct, so each counts once), courses a
    ``COUNT(DISTINCT person)`` of the rows that have one (with their greatest title), new
    people a ``GROUP BY`` of the first year. Reading the participations (the tests' check
    of the counting table), a large dimension is a count of distinct ``(key, person)`` pairs.

    Returns ``(total, {by: [{"_key", "n"}]}, dimensions that met an unknown key, new rows)``.
    """
    arrays = []
    if qs.model is CountFact:
        arrays = [name for name in _ARRAY_DIMENSIONS if name in by and name not in domains]
    # "Not recorded" of these comes from the ``_nulls`` mask, their keys from arrays or pairs.
    nullable = [*arrays, *(["course"] if "course" in by and "course" not in domains else [])]
    names = {name: f"_d{i}" for i, name in enumerate(by)}
    columns = ["person_id"]
    for name in by:
        if name == "age_band":
            columns.append("_age")
        else:
            qs = qs.annotate(**{names[name]: _key_expression(name, qs)})
            columns.append(names[name])
    if "course" in by:
        qs = qs.annotate(_title=F("course_title"))
        columns.append("_title")
    if firsts:
        columns.append("date")
    keys_sql, params = qs.order_by().values(*columns).query.sql_with_params()
    aggregates, case_params = [], []
    for name, keys in domains.items():
        aggregates.append(f"BIT_OR({_mask_sql(name, keys, scope, names[name])}) AS {names[name]}")
        if name != "age_band":
            case_params.append(list(keys))
    for name in arrays:
        column = f'k."{names[name]}"'
        aggregates.append(
            f"uniq(sort(array_agg({column}::integer) FILTER (WHERE {column} IS NOT NULL))) "
            f"AS {names[name]}"
        )
    if nullable:
        bits = " | ".join(
            f'CASE WHEN k."{names[name]}" IS NULL THEN {1 << j} ELSE 0 END'
            for j, name in enumerate(nullable)
        )
        aggregates.append(f"BIT_OR({bits}) AS _nulls")
    if firsts:
        aggregates.append("MIN(k.date) AS _first")
    # Every branch gives (what, key, people, course title); "what" is a dimension's index.
    branches = ["SELECT -1, NULL, COUNT(*), NULL FROM p"]
    for i, name in enumerate(by):
        column = names[name]
        if name in domains:
            branches.append(f"SELECT {i}, {column}::text, COUNT(*), NULL FROM p GROUP BY 2")  # noqa: S608
        elif name in arrays:
            branches.append(
                f"SELECT {i}, u.key::text, COUNT(*), NULL FROM p "  # noqa: S608
                f"CROSS JOIN LATERAL unnest(p.{column}) AS u(key) GROUP BY 2"
            )
        elif name == "course":
            # The course's title as people_breakdown gives it: the greatest in the scope.
            branches.append(
                f"SELECT {i}, {column}::text, COUNT(DISTINCT person_id), MAX(_title) "  # noqa: S608
                f"FROM k WHERE {column} IS NOT NULL GROUP BY 2"
            )
        else:
            if name == "age_band":
                column = f"({_age_band_sql(scope.age_scheme, '_age')})"
            branches.append(
                f"SELECT {i}, key::text, COUNT(*), NULL FROM "  # noqa: S608
                f"(SELECT DISTINCT {column} AS key, person_id FROM k "
                f"{'WHERE key IS NOT NULL' if name in nullable else ''}) pairs GROUP BY 1, 2"
            )
    if nullable:
        branches.append("SELECT -4, _nulls::text, COUNT(*), NULL FROM p GROUP BY 2")
    if firsts:
        year = _period_sql("year", "p._first")
        branches.append(f"SELECT -3, ({year})::text, COUNT(*), NULL FROM p GROUP BY 2")  # noqa: S608
    aggregates = ", ".join(["k.person_id", *aggregates])
    # With arrays, ``k`` is read by ``p`` and the course rows only: left to the planner (the
    # course rows come from their index), not written out.
    materialized = "NOT MATERIALIZED" if arrays else "MATERIALIZED"
    query = (
        f"WITH k AS {materialized} ({keys_sql}), "  # noqa: S608
        f"p AS MATERIALIZED (SELECT {aggregates} FROM k GROUP BY k.person_id) "
        + " UNION ALL ".join(branches)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to this transaction or savepoint (undone with it on error), put back after.
        cursor.execute(
            "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [_WORK_MEM]
        )
        previous = cursor.fetchone()[0]
        cursor.execute(query, [*params, *case_params])
        fetched = cursor.fetchall()
        cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])
    total, new_rows = 0, []
    masks: dict[str, dict[int, int]] = {name: {} for name in domains}
    nulls: dict[int, int] = {}
    results: dict[str, list[dict]] = {name: [] for name in by}
    for index, key, n, title in fetched:
        if index == -1:
            total = int(n)
        elif index == -3:
            new_rows.append((int(key), int(n)))
        elif index == -4:
            nulls[int(key)] = int(n)
        elif by[index] in domains:
            masks[by[index]][int(key)] = int(n)
        else:
            name = by[index]
            item = {"_key": _key_from_text(name, key), "n": int(n)}
            if name == "course":
                item["title"] = title
            results[name].append(item)
    for bit, name in enumerate(nullable):
        n = sum(count for mask, count in nulls.items() if mask >> bit & 1)
        if n:
            results[name].append({"_key": None, "n": n})
    unknown: set[str] = set()
    for name, counts in masks.items():
        keys = domains[name]
        for bit, key in [*enumerate(keys), (len(keys), None), (len(keys) + 1, "?")]:
            n = sum(count for mask, count in counts.items() if mask >> bit & 1)
            if not n:
                continue
            if key == "?" and bit == len(keys) + 1:
                unknown.add(name)
            else:
                results[name].append({"_key": key, "n": n})
    return total, results, unknown, sorted(new_rows)


def people_breakdowns(
    *, scope: CountScope, by: tuple[str, ...] | list[str], new_period: str | None = None
) -> Breakdowns:
    """:func:`people_breakdown` for each of ``by``, plus the scope's distinct people
    (``.total``, as :func:`people_count`), in as few scans as the database allows.

    With ``new_period``, ``.new`` is also :func:`people_new_breakdown` for that period (from
    the same scan on PostgreSQL when the scope has no start date and the period is a year).
    """
    for name in by:
        if name not in BREAKDOWN_DIMENSIONS:
            raise CountScopeError("by", f"Unknown breakdown: {name}.")
    breakdowns: dict[str, Breakdown] = {}
    total = new = None
    if connection.vendor == "postgresql" and by:
        programmes = _programmes()
        firsts = new_period == "year" and scope.date_from is None
        if summary_serves(scope):  # the dashboard's default: read the per-person summaries
            total, results, unknown, new_rows = summary_breakdowns(scope, list(by), firsts=firsts)
        else:
            domains = _domains(scope, programmes, list(by))
            qs = _counted(scope, programmes)
            if "age_band" in by:
                qs = _with_age(qs, scope.age_scheme)
            total, results, unknown, new_rows = _one_pass(
                qs, scope, list(by), domains, firsts=firsts
            )
        for name, rows in results.items():
            if name not in unknown:
                breakdowns[name] = _breakdown_from(
                    rows, "_key", by=name, scope=scope, programmes=programmes
                )
        if firsts:
            new = Breakdown(
                (Row(key=year, label=str(year), count=n) for year, n in new_rows),
                by="new_year",
                overlapping=False,
            )
    for name in by:
        if name not in breakdowns:
            breakdowns[name] = people_breakdown(scope=scope, by=name)
    if total is None:
        total = people_count(scope=scope)
    if new_period and new is None:
        new = people_new_breakdown(scope=scope, period=new_period)
    return Breakdowns(((name, breakdowns[name]) for name in by), total=total, new=new)
