"""Counts read from the per-person summaries (``CountPerson``, PostgreSQL).

A scope with no filter but its figure ("trained" or "briefed"; any age scheme) is what the
coordinator dashboard shows by default, "since the start": every person's participations,
about a million rows at the size the platform is built for. Grouping them by person takes
seconds; the database keeps that grouping instead (``trainees.models.count_facts``), one
row per person and figure, recomputed by triggers whenever one of their rows changes. Every
breakdown is then read from ~100,000 rows: a small dimension is a ``GROUP BY`` of its
bitmask (a key's count is the people whose mask has its bit: summed here per distinct
mask), organisations, places and months an ``unnest`` of the people's distinct ``tags``,
new people per year the year of their ``first_date``. A key a mask cannot hold (bit
``MASK_OTHER``) sends that dimension back to the counting table, as do age schemes with a
boundary above 61. The figures equal those counted from the participations (tested for
every dimension and figure, and through every write path).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Max

from trainees.models import AGE_BAND_SCHEMES
from trainees.models.choices import AGE_UNKNOWN
from trainees.models.count_facts import MASK_KEYS, MASK_NULL, MASK_OTHER, TAG_MONTH, TAG_PLACE

from . import queries
from .queries import _counted
from .scope import CountScope

#: Figures kept per person.
FIGURES = (("trained",), ("briefed",))

#: Small dimensions and their mask columns.
_MASKS = {
    "programme": "m_programme",
    "kind": "m_kind",
    "outcome": "m_outcome",
    "sex": "m_sex",
    "age_band": "m_age",
    "organisation_category": "m_organisation_category",
    "reporting_category": "m_reporting_category",
    "field_office": "m_field_office",
    "year": "m_year",
}
#: Dimensions read from ``tags``: the offset of their keys.
_TAGS = {"organisation": 0, "place": TAG_PLACE, "month": TAG_MONTH}
#: Bits of ``nulls``.
_NO_ORGANISATION, _NO_PLACE, _NO_COURSE, _TAG_OVERFLOW = 1, 2, 4, 8
#: The highest age a mask holds in its own bit (older ages share ``MASK_OTHER``).
_AGE_LIMIT = 61


def summary_serves(scope: CountScope, *, dates: bool = False) -> bool:
    """Whether the summaries hold ``scope``: counts read the counting table (PostgreSQL),
    ``scope`` is one kept figure with no filter (``dates``: its period may be set, for counts
    that use the first date only)."""
    if not queries.counting_facts() or scope.outcomes not in FIGURES:
        return False
    kept = {"outcomes", "age_scheme", *(("date_from", "date_to") if dates else ())}
    # Every other field is a filter (a filter added later is not served either).
    return not any(
        getattr(scope, field.name) for field in dataclasses.fields(scope) if field.name not in kept
    )


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _band_of(age: int, scheme: str) -> str:
    """The band of an age, as the counting selector's ``_age_band``."""
    for band in AGE_BAND_SCHEMES[scheme]:
        if band.upper is None or age < band.upper:
            return band.code
    return AGE_UNKNOWN


def _age_rows(masks: dict[int, int], scheme: str) -> list[dict] | None:
    """People per age band from masks of ages (``None`` if the scheme needs finer ages)."""
    if any(band.upper is not None and band.upper > _AGE_LIMIT for band in AGE_BAND_SCHEMES[scheme]):
        return None
    # The bits of each band (bit 0 holds ages up to 0, MASK_OTHER those over 60): a person
    # is in a band when their mask has one of its bits. Tens of thousands of distinct masks
    # at 100,000 people: a few tests a mask, not one per age.
    of_band: dict[str, int] = defaultdict(int)
    for bit in range(MASK_OTHER + 1):
        if bit == MASK_NULL:
            of_band[AGE_UNKNOWN] |= 1 << bit
        else:
            of_band[_band_of(_AGE_LIMIT if bit == MASK_OTHER else bit, scheme)] |= 1 << bit
    counts: dict[str, int] = defaultdict(int)
    for mask, n in masks.items():
        for band, bits in of_band.items():
            if mask & bits:
                counts[band] += n
    return [{"_key": band, "n": n} for band, n in counts.items() if n]


def _mask_rows(name: str, masks: dict[int, int]) -> list[dict] | None:
    """People per key from the counts of distinct masks (``None`` if a key did not fit)."""
    counts: dict[int, int] = defaultdict(int)
    for mask, n in masks.items():
        for bit in _bits(mask):
            counts[bit] += n
    if counts.get(MASK_OTHER):
        return None
    keys = MASK_KEYS.get(name)
    rows = []
    for bit, n in counts.items():
        if bit == MASK_NULL:
            key = None
        elif keys is not None:
            key = keys[bit]
        elif name == "year":
            key = 2000 + bit
        else:  # programme, field office: the bit is the id
            key = bit
        rows.append({"_key": key, "n": n})
    return rows


def summary_breakdowns(scope: CountScope, by: list[str], *, firsts: bool):
    """Every breakdown of ``by`` for a scope :func:`summary_serves` (two or three queries).

    Returns ``(total, {by: [{"_key", "n"}]}, dimensions to count otherwise, new rows)``, as
    the one-pass query of ``combined``.
    """
    figure = scope.outcomes[0]
    masks = [name for name in by if name in _MASKS]
    columns = [_MASKS[name] for name in masks] + ["nulls"]
    if firsts:
        columns.append("EXTRACT(YEAR FROM first_date)::integer")
    sets = ", ".join(f"({column})" for column in columns)
    grouping = f"GROUPING({', '.join(columns)})"
    query = (
        f"SELECT {grouping}, {', '.join(columns)}, COUNT(*) FROM trainees_countperson "  # noqa: S608
        f"WHERE figure = %s GROUP BY GROUPING SETS ({sets}, ())"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [figure])
        fetched = cursor.fetchall()
        tags: list[tuple[int, int]] = []
        if any(name in _TAGS for name in by):
            cursor.execute(
                "SELECT u.tag, COUNT(*) FROM trainees_countperson "
                "CROSS JOIN LATERAL unnest(tags) AS u(tag) WHERE figure = %s GROUP BY 1",
                [figure],
            )
            tags = cursor.fetchall()
    everything = (1 << len(columns)) - 1
    total, counted = 0, [{} for _ in columns]
    for row in fetched:
        group, values, n = row[0], row[1:-1], row[-1]
        if group == everything:
            total = n
            continue
        # GROUPING's first argument is its highest bit; the grouped column's bit is 0.
        index = len(columns) - (everything ^ group).bit_length()
        counted[index][values[index]] = n
    results: dict[str, list[dict]] = {}
    fallback: set[str] = set()
    for index, name in enumerate(masks):
        if name == "age_band":
            rows = _age_rows(counted[index], scope.age_scheme)
        else:
            rows = _mask_rows(name, counted[index])
        if rows is None:
            fallback.add(name)
        else:
            results[name] = rows
    nulls: dict[int, int] = defaultdict(int)
    for mask, n in counted[len(masks)].items():
        for bit in _bits(mask):
            nulls[1 << bit] += n
    for name, offset in _TAGS.items():
        if name not in by:
            continue
        if nulls.get(_TAG_OVERFLOW) and name != "month":
            fallback.add(name)
            continue
        high = offset + TAG_PLACE if name != "month" else None
        rows = [
            {"_key": tag - offset, "n": n}
            for tag, n in tags
            if tag >= offset and (high is None or tag < high)
        ]
        empty = {"organisation": _NO_ORGANISATION, "place": _NO_PLACE}.get(name)
        if empty and nulls.get(empty):
            rows.append({"_key": None, "n": nulls[empty]})
        results[name] = rows
    if "course" in by:
        courses = (
            _counted(scope)
            .filter(course_public_id__isnull=False)
            .order_by()
            .values("course_public_id")
            .annotate(n=Count("person_id", distinct=True), title=Max("course_title"))
        )
        results["course"] = [
            {"_key": row["course_public_id"], "n": row["n"], "title": row["title"]}
            for row in courses
        ]
        if nulls.get(_NO_COURSE):
            results["course"].append({"_key": None, "n": nulls[_NO_COURSE]})
    new_rows = sorted(counted[-1].items()) if firsts else []
    return total, results, fallback, new_rows


def summary_people_count(scope: CountScope) -> int:
    """:func:`people_count` of a scope :func:`summary_serves` with ``dates`` and no start:
    the people whose first qualifying date is on or before its end."""
    query = "SELECT COUNT(*) FROM trainees_countperson WHERE figure = %s"
    params: list = [scope.outcomes[0]]
    if scope.date_to:
        query += " AND first_date <= %s"
        params.append(scope.date_to)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def summary_firsts_sql(scope: CountScope) -> tuple[str, list]:
    """``(person, first qualifying date)`` of the people of a scope :func:`summary_serves`
    with ``dates`` up to its end (its start ignored), as SQL for
    ``people_new_and_cumulative``: who qualified by the end, and when first."""
    sql = (
        "SELECT person_id AS _key, first_date AS _first FROM trainees_countperson WHERE figure = %s"
    )
    params: list = [scope.outcomes[0]]
    if scope.date_to:
        sql += " AND first_date <= %s"
        params.append(scope.date_to)
    return sql, params
