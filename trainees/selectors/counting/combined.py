"""Several breakdowns of one scope in one scan (the coordinator dashboard, issue 6).

Why: each :func:`people_breakdown` is a ``COUNT(DISTINCT person)`` over every qualifying
participation; at a million participations that is ~0.5 s a breakdown, and a dashboard asks
for a dozen. On PostgreSQL the scope's rows are grouped by person once (one row per person,
materialised): a bitmask per dimension with few keys (programmes, outcomes, kinds, sex, age
bands, categories, field offices, years: ``bit_or(1 << key index)``), the set of keys of the
others (organisation, place, month, course: ``array_agg(DISTINCT key)``) and the first
qualifying date (new people per year, for a scope without a start date). Every count then
comes from that per-person table in the same query: a key's count is the number of people
with its bit set or with it in their set. One scan of the participations for the whole
dashboard. The figures are the same as :func:`people_breakdown`'s by construction (same scope
queryset, same key expressions, same row building; a test compares every dimension); a key
outside a mask's known domain (a value added since) sends that dimension back to its own
query. SQLite: one query per breakdown, as before.
"""

from __future__ import annotations

from uuid import UUID

from django.db import connection, transaction
from django.db.models import F, Max, Min, QuerySet

from lms.accounts.models import FieldOffice
from trainees.models import (
    AGE_BAND_SCHEMES,
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
from .queries import YearMonthOf, YearOf, _participations, _programmes, _with_age
from .scope import BREAKDOWN_DIMENSIONS, Breakdown, CountScope, CountScopeError, Row

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


def _key_expression(by: str):
    """A row's key for ``by`` (``age_band`` is computed from ``_age`` in the SQL below)."""
    return {
        "programme": F("programme_id"),
        "course": F("course_public_id"),
        "kind": F("kind"),
        "outcome": F("outcome"),
        "sex": F("person__sex"),
        "organisation_category": F("organisation__category"),
        "reporting_category": F("organisation__reporting_category"),
        "organisation": F("organisation_id"),
        "field_office": F("field_office_id"),
        "place": F("place_id"),
        "year": YearOf("date"),
        "month": YearMonthOf("date"),
    }[by]


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


#: Memory for the one-pass query's sorts and hashes (per node; the default 4 MB spills the
#: per-person grouping of a million rows to disk). Set for that query only.
_WORK_MEM = "128MB"


def _one_pass(qs: QuerySet, scope: CountScope, by: list[str], domains: dict, *, firsts: bool):
    """Every breakdown of ``by`` in one query (PostgreSQL).

    The scope's rows, with each dimension's key (and the age at the activity, computed once
    per row), are materialised once (``k``), then grouped by person once (``p``): one bitmask
    per small dimension (``BIT_OR`` of ``CASE key WHEN ... THEN 1 << i``) and, if ``firsts``,
    the first qualifying date. Each small dimension is then a ``GROUP BY mask`` over ``p`` (a
    few hundred distinct masks: the key counts are summed from them in Python), each other
    dimension a count of the distinct ``(key, person)`` pairs of ``k`` (``array_agg(DISTINCT)``
    per person was tried: a sort per person, 5x slower), course titles a ``MAX`` over ``k``,
    new people a ``GROUP BY`` of the first year.

    Returns ``(total, {by: [{"_key", "n"}]}, dimensions that met an unknown key, new rows)``.
    """
    names = {name: f"_d{i}" for i, name in enumerate(by)}
    columns = ["person_id"]
    for name in by:
        if name == "age_band":
            columns.append("_age")
        else:
            qs = qs.annotate(**{names[name]: _key_expression(name)})
            columns.append(names[name])
    if "course" in by:
        qs = qs.annotate(_title=F("course_title"))
        columns.append("_title")
    if firsts:
        columns.append("date")
    keys_sql, params = qs.order_by().values(*columns).query.sql_with_params()
    aggregates, case_params = [], []
    for name, keys in domains.items():
        column = f'k."{names[name]}"'
        if name == "age_band":
            column = f"({_age_band_sql(scope.age_scheme, 'k._age')})"
        whens = " ".join(f"WHEN %s THEN {1 << i}" for i in range(len(keys)))
        aggregates.append(
            f"BIT_OR(CASE {column} {whens} ELSE CASE WHEN {column} IS NULL "
            f"THEN {1 << len(keys)} ELSE {1 << (len(keys) + 1)} END END) AS {names[name]}"
        )
        case_params += keys
    if firsts:
        aggregates.append("MIN(k.date) AS _first")
    # Every branch gives (what, key, people, course title); "what" is a dimension's index.
    branches = ["SELECT -1, NULL, COUNT(*), NULL FROM p"]
    for i, name in enumerate(by):
        column = names[name]
        if name in domains:
            branches.append(f"SELECT {i}, {column}::text, COUNT(*), NULL FROM p GROUP BY 2")  # noqa: S608
        else:
            if name == "age_band":
                column = f"({_age_band_sql(scope.age_scheme, '_age')})"
            branches.append(
                f"SELECT {i}, key::text, COUNT(*), NULL FROM "  # noqa: S608
                f"(SELECT DISTINCT {column} AS key, person_id FROM k) pairs GROUP BY 1, 2"
            )
    if "course" in by:
        # The course's title as people_breakdown gives it: the greatest in the scope.
        column = names["course"]
        branches.append(
            f"SELECT -2, {column}::text, 0, MAX(_title) FROM k "  # noqa: S608
            f"WHERE {column} IS NOT NULL GROUP BY 2"
        )
    if firsts:
        year = _period_sql("year", "p._first")
        branches.append(f"SELECT -3, ({year})::text, COUNT(*), NULL FROM p GROUP BY 2")  # noqa: S608
    aggregates = ", ".join(["k.person_id", *aggregates])
    query = (
        f"WITH k AS MATERIALIZED ({keys_sql}), "  # noqa: S608
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
    total, titles, new_rows = 0, {}, []
    masks: dict[str, dict[int, int]] = {name: {} for name in domains}
    results: dict[str, list[dict]] = {name: [] for name in by}
    for index, key, n, title in fetched:
        if index == -1:
            total = int(n)
        elif index == -2:
            titles[key] = title
        elif index == -3:
            new_rows.append((int(key), int(n)))
        elif by[index] in domains:
            masks[by[index]][int(key)] = int(n)
        else:
            name = by[index]
            results[name].append({"_key": _key_from_text(name, key), "n": int(n)})
    if "course" in by:
        for item in results["course"]:
            if item["_key"] is not None:
                item["title"] = titles.get(str(item["_key"]))
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
        domains = _domains(scope, programmes, list(by))
        firsts = new_period == "year" and scope.date_from is None
        qs = _participations(scope, programmes)
        if "age_band" in by:
            qs = _with_age(qs, scope.age_scheme)
        total, results, unknown, new_rows = _one_pass(qs, scope, list(by), domains, firsts=firsts)
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
