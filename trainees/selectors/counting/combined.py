"""Several breakdowns of one scope in one scan (the coordinator dashboard, issue 6).

Why: each :func:`people_breakdown` is a ``COUNT(DISTINCT person)`` over every qualifying
participation; at a million participations that is ~0.5 s a breakdown, and a dashboard asks
for a dozen. Most dimensions have few keys (programmes, outcomes, kinds, sex, age bands,
categories, field offices, years), so on PostgreSQL the scope's rows are grouped by person
once, with one bitmask per dimension (``bit_or(1 << key index)``), and every key's count is the
number of people with its bit set: a single scan and a second, cheap pass over one row per
person. The figures are the same as :func:`people_breakdown`'s by construction (same scope
queryset, same key expressions, same row building); a key outside the known domain (a value
added since) sends that dimension back to its own query. Other dimensions, other databases:
one query per breakdown, as before.
"""

from __future__ import annotations

from django.db import connection
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

from .people import _breakdown_from, people_breakdown, people_count
from .queries import YearOf, _participations, _programmes, _with_age
from .scope import BREAKDOWN_DIMENSIONS, Breakdown, CountScope, CountScopeError

#: The widest domain a 64-bit mask holds: its keys, then "NULL", then "anything else".
_MAX_KEYS = 61


class Breakdowns(dict):
    """``{by: Breakdown}`` with ``total``: the distinct people of the scope."""

    def __init__(self, items, *, total: int) -> None:
        super().__init__(items)
        self.total = total


def _domains(scope: CountScope, programmes, wanted: list[str]) -> dict[str, tuple[list, object]]:
    """Each small dimension's possible keys and the expression giving a row's key."""
    domains: dict[str, tuple[list, object]] = {}
    fixed = {
        "programme": (list(programmes), F("programme_id")),
        "kind": (list(EventKind.values), F("kind")),
        "outcome": (list(Outcome.values), F("outcome")),
        "sex": (list(Sex.values), F("person__sex")),
        "organisation_category": (
            [*OrganisationCategory.values, ""],
            F("organisation__category"),
        ),
        "reporting_category": (
            [*ReportingCategory.values, ""],
            F("organisation__reporting_category"),
        ),
        "age_band": (
            [band.code for band in AGE_BAND_SCHEMES[scope.age_scheme]] + [AGE_UNKNOWN],
            F("_age_band"),
        ),
    }
    for by in wanted:
        if by in fixed:
            domains[by] = fixed[by]
        elif by == "field_office":
            domains[by] = (
                list(FieldOffice.objects.values_list("pk", flat=True)),
                F("field_office_id"),
            )
        elif by == "year":
            span = Participation.objects.filter(voided=False).aggregate(
                first=Min("date"), last=Max("date")
            )
            years = list(range(span["first"].year, span["last"].year + 1)) if span["first"] else []
            domains[by] = (years, YearOf("date"))
    # No known key (an empty registry) or too many: that dimension keeps its own query.
    return {by: d for by, d in domains.items() if 0 < len(d[0]) <= _MAX_KEYS}


def _masks(qs: QuerySet, domains: dict) -> tuple[int, dict[str, list[dict]], set[str]]:
    """One scan: people, then ``{by: [{"_key": key, "n": people}]}``, and the dimensions
    that met an unknown key.

    The key of each row is computed once, in a subquery, and mapped to its bit with a simple
    ``CASE key WHEN ...`` (which evaluates ``key`` once: the age band is a costly expression).
    """
    names = {by: f"_m{i}" for i, by in enumerate(domains)}
    for by, (_keys, expression) in domains.items():
        qs = qs.annotate(**{names[by]: expression})
    keys_sql, params = qs.order_by().values("person_id", *names.values()).query.sql_with_params()
    params = list(params)
    masks, case_params = [], []
    for by, (keys, _expression) in domains.items():
        column = f'k."{names[by]}"'
        whens = " ".join(f"WHEN %s THEN {1 << i}" for i in range(len(keys)))
        masks.append(
            f"BIT_OR(CASE {column} {whens} ELSE CASE WHEN {column} IS NULL "
            f"THEN {1 << len(keys)} ELSE {1 << (len(keys) + 1)} END END) AS {names[by]}"
        )
        case_params += keys
    sums, slots = ["COUNT(*)"], []
    for by, (keys, _expression) in domains.items():
        for bit, key in [*enumerate(keys), (len(keys), None), (len(keys) + 1, "?")]:
            sums.append(f"SUM(({names[by]}::bigint >> {bit}) & 1)")
            slots.append((by, key, bit == len(keys) + 1))
    query = (
        f"SELECT {', '.join(sums)} FROM ("  # noqa: S608 - our own SQL; values are parameters
        f"SELECT k.person_id, {', '.join(masks)} FROM ({keys_sql}) k GROUP BY k.person_id"
        ") people"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*case_params, *params])
        values = cursor.fetchone()
    results: dict[str, list[dict]] = {by: [] for by in domains}
    unknown: set[str] = set()
    for (by, key, other), n in zip(slots, values[1:], strict=True):
        if not n:
            continue
        if other:
            unknown.add(by)
        else:
            results[by].append({"_key": key, "n": int(n)})
    return int(values[0] or 0), results, unknown


def people_breakdowns(*, scope: CountScope, by: tuple[str, ...] | list[str]) -> Breakdowns:
    """:func:`people_breakdown` for each of ``by``, plus the scope's distinct people
    (``.total``, as :func:`people_count`), in as few scans as the database allows."""
    for name in by:
        if name not in BREAKDOWN_DIMENSIONS:
            raise CountScopeError("by", f"Unknown breakdown: {name}.")
    breakdowns: dict[str, Breakdown] = {}
    total = None
    if connection.vendor == "postgresql":
        programmes = _programmes()
        domains = _domains(scope, programmes, list(by))
        if domains:
            qs = _participations(scope, programmes)
            if "age_band" in domains:
                qs = _with_age(qs, scope.age_scheme)
            total, results, unknown = _masks(qs, domains)
            for name, rows in results.items():
                if name not in unknown:
                    breakdowns[name] = _breakdown_from(
                        rows, "_key", by=name, scope=scope, programmes=programmes
                    )
    for name in by:
        if name not in breakdowns:
            breakdowns[name] = people_breakdown(scope=scope, by=name)
    if total is None:
        total = people_count(scope=scope)
    return Breakdowns(((name, breakdowns[name]) for name in by), total=total)
