"""Registry people as matching records, fetched in bulk and only as many as a roster needs.

Building the matching index over a 100,000-person registry for every import would cost
seconds. A roster can only meet people who share one of its blocking keys or identifiers,
and ``Person.name_key`` already holds each person's canonical name tokens, so the keys are
computed from two narrow columns and only the people who share one are loaded in full.
People who carry exactly a row's name share all its keys, so the engine's "how common is this
name" count is the same as over the whole registry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

from trainees.matching import (
    IDENTIFIER_TYPES,
    PersonRecord,
    RegistryIndex,
    Thresholds,
    prepare,
    skeleton,
)
from trainees.matching.block import query_keys
from trainees.matching.engine import wide_floor, year_window_safe
from trainees.matching.score import default_model
from trainees.models import Identifier, IdentifierType, Person

__all__ = [
    "people_named_on_rosters",
    "person_alias_rows",
    "person_record_rows",
    "registry_index_build",
    "registry_index_for",
    "registry_index_full",
    "row_match_keys",
    "row_record",
]

_CHUNK = 900  # stays under SQLite's limit on query parameters
_LOAD_ALL_ABOVE = 5_000


@lru_cache(maxsize=200_000)
def _skeleton(token: str) -> str:
    return skeleton(token)


def _keys_of(tokens: list[str], birth_year: int | None) -> set[str]:
    """Mirror of ``trainees.matching.block.index_keys`` on already-canonical tokens."""
    uniq = sorted(set(tokens))
    keys: set[str] = set()
    for i, a in enumerate(uniq):
        for b in uniq[i + 1 :]:
            keys.add(f"n|{a}|{b}")
    skel = sorted({_skeleton(t) for t in uniq})
    for i, a in enumerate(skel):
        for b in skel[i + 1 :]:
            keys.add(f"s|{a}|{b}")
    if len(uniq) == 1:
        keys.add(f"1|{uniq[0]}")
    if birth_year is not None:
        keys.update(f"y|{t}|{birth_year}" for t in uniq)
    return keys


def row_record(row: dict, key) -> PersonRecord:
    """A validated roster row (see :mod:`.validation`) as a matching record. A date of birth
    the registry does not record (before 1920) is still compared."""
    from datetime import date

    birth_date = row.get("birth_date") or row.get("birth_date_typed")
    return PersonRecord(
        key=key,
        given_names=row.get("given_names"),
        family_name=row.get("family_name"),
        full_name=row.get("full_name"),
        sex=row.get("sex"),
        birth_date=date.fromisoformat(birth_date) if birth_date else None,
        birth_year=row.get("birth_year"),
        organisation=row.get("organisation"),
        residence=row.get("residence"),
        # Only the types the engine compares (every identifier type of the registry today).
        identifiers={
            t: v for t, v in (row.get("identifiers") or {}).items() if t in IDENTIFIER_TYPES
        },
    )


def row_match_keys(row: dict) -> tuple[str, int | None]:
    """A validated row's canonical name key (as ``Person.name_key``) and birth year, the
    two columns the registry files a person's roster rows under."""
    p = prepare(row_record(row, 0))
    return " ".join(p.name_key)[:400], p.birth_year


def _survivors() -> dict[int, int]:
    """Merged person id -> the surviving person they were merged into (chains followed)."""
    merged = dict(Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into"))
    out = {}
    for pk in merged:
        target, hops = pk, 0
        while target in merged and hops < 100:
            target, hops = merged[target], hops + 1
        out[pk] = target
    return out


def _linked_rows():
    from .models import RosterRow, RowAction

    return RosterRow.objects.filter(person__isnull=False).exclude(action=RowAction.ERROR)


def person_alias_rows(ids: Iterable[int] | None = None) -> list[PersonRecord]:
    """The roster rows that became surviving people (all of them, or ``ids``), directly or
    through a merge, each as another record of its person: how each roster wrote them.
    In row order."""
    survivors = _survivors()
    rows = _linked_rows()
    wanted: set[int] | None = None
    if ids is not None:
        wanted = set(ids)
        if not wanted:
            return []
        sources = sorted(wanted | {m for m, target in survivors.items() if target in wanted})
        found: list[tuple] = []
        if len(sources) > _LOAD_ALL_ABOVE:
            found = list(rows.order_by("pk").values_list("pk", "person_id", "values"))
        else:
            for chunk in _chunks(sources):
                found.extend(
                    rows.filter(person_id__in=chunk).values_list("pk", "person_id", "values")
                )
            found.sort()
    else:
        found = list(rows.order_by("pk").values_list("pk", "person_id", "values"))
    out = []
    for _pk, person_id, values in found:
        key = survivors.get(person_id, person_id)
        if wanted is not None and key not in wanted:
            continue
        try:
            out.append(row_record(values, key))
        except (TypeError, ValueError, AttributeError):  # a row stored by an older version
            continue
    return out


def people_named_on_rosters(tokens: list[str], *, limit: int = 200) -> list[int]:
    """Surviving people (ids) a roster row wrote with every one of ``tokens`` (canonical
    name tokens) among its names, at most ``limit``."""
    query = _linked_rows()
    for token in tokens:
        query = query.filter(name_key__contains=token)
    survivors = _survivors()
    found: list[int] = []
    for person_id in query.values_list("person_id", flat=True).distinct()[: limit * 2]:
        pk = survivors.get(person_id, person_id)
        if pk not in found:
            found.append(pk)
    return found[:limit]


def registry_index_build(
    records: list[PersonRecord], aliases: Iterable[PersonRecord] = (), *, model=None
) -> RegistryIndex:
    """A matching index of ``records`` (one per person) and their roster rows ``aliases``
    (records of people the index does not hold are left out)."""
    index = RegistryIndex(records, model=model)
    for alias in aliases:
        if alias.key in index:
            index.add_alias(alias)
    return index


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def person_record_rows(ids: Iterable[int] | None = None) -> list[PersonRecord]:
    """Surviving people (all of them, or ``ids``) as records, in a few narrow queries."""
    fields = ("pk", "given_names", "family_name", "sex", "birth_date", "birth_year", "residence")
    identifiers: dict[int, list[tuple[str, str]]] = {}
    people: list[tuple] = []
    live = Person.objects.filter(merged_into__isnull=True)
    if ids is None:
        people = list(live.order_by("pk").values_list(*fields))
        # No join: a plain scan of the identifiers table is fastest on both databases (and
        # needs no planner statistics after a bulk load); merged people's are dropped below.
        for person_id, id_type, value in Identifier.objects.values_list(
            "person_id", "type", "value_normalised"
        ):
            identifiers.setdefault(person_id, []).append((id_type, value))
    elif len(ids) > _LOAD_ALL_ABOVE:
        # Most of the registry: two plain scans beat a hundred IN (...) queries.
        keep = set(ids)
        return [r for r in person_record_rows() if r.key in keep]
    else:
        wanted = sorted(set(ids))
        for chunk in _chunks(wanted):
            people.extend(live.filter(pk__in=chunk).values_list(*fields))
            for person_id, id_type, value in Identifier.objects.filter(
                person_id__in=chunk
            ).values_list("person_id", "type", "value_normalised"):
                identifiers.setdefault(person_id, []).append((id_type, value))
        people.sort()
    return [
        PersonRecord(
            key=pk,
            given_names=given,
            family_name=family,
            sex=sex or None,
            birth_date=birth_date,
            birth_year=birth_year,
            residence=residence or None,
            identifiers=identifiers.get(pk, []),
        )
        for pk, given, family, sex, birth_date, birth_year, residence in people
    ]


def registry_index_full() -> RegistryIndex:
    """Every surviving person and their roster rows, for the whole-registry duplicate scan."""
    return registry_index_build(person_record_rows(), person_alias_rows())


def registry_index_for(
    records: list[PersonRecord], *, thresholds: Thresholds | None = None, model=None
) -> RegistryIndex:
    """An index of the registry people a roster's ``records`` can meet (see module doc).

    A person is loaded when they share a blocking key with a row whose birth year is unknown
    or within a year of theirs (or their own is unknown), or share an identifier with any row.
    The index's "people with this exact name" counts are then set from the whole registry, so
    common names are discounted exactly as against the full registry.
    """
    model = model or default_model()
    population = Person.objects.filter(merged_into__isnull=True).count()
    thresholds = thresholds or Thresholds()
    wide = Thresholds(link=thresholds.link, review=wide_floor(model, thresholds))
    window = year_window_safe(model, population, wide)
    wanted: dict[str, set[int] | None] = {}  # key -> birth years allowed (None: any)
    strong: dict[str, set[str]] = {}
    row_names: set[tuple[str, ...]] = set()
    dates: set = set()  # full dates of birth (the ``d|`` blocking key)
    for record in records:
        p = prepare(record)
        row_names.add(p.name_key)
        if p.birth_date is not None:
            dates.add(p.birth_date)
        allowed = (
            {p.birth_year - 1, p.birth_year, p.birth_year + 1}
            if window and p.birth_year is not None
            else None
        )
        for key in query_keys(p, scan=False):
            if key not in wanted:
                wanted[key] = allowed if allowed is None else set(allowed)
            elif wanted[key] is not None:
                if allowed is None:
                    wanted[key] = None
                else:
                    wanted[key] |= allowed
        for id_type, values in p.strong.items():
            strong.setdefault(id_type, set()).update(values)
        if p.phones:
            strong.setdefault(IdentifierType.PHONE.value, set()).update(p.phones)
    ids: set[int] = set()
    hit: set[str] = set()
    name_counts: Counter[str] = Counter()
    names_of: dict[int, set[str]] = {}  # person -> the names they carry (first record, rows)
    live = Person.objects.filter(merged_into__isnull=True)
    rows = live.values_list("pk", "name_key", "birth_year")
    survivors = _survivors()
    alias_keys = (
        (survivors.get(person_id, person_id), name_key, birth_year)
        for person_id, name_key, birth_year in _linked_rows()
        .exclude(name_key="")
        .values_list("person_id", "name_key", "birth_year")
    )
    for pk, name_key, birth_year in chain(rows, alias_keys):
        if not name_key:
            continue
        names = names_of.setdefault(pk, set())
        if name_key not in names:
            names.add(name_key)
            name_counts[name_key] += 1
        for key in _keys_of(name_key.split(), birth_year):
            if key in wanted:
                hit.add(key)
                years = wanted[key]
                if years is None or birth_year is None or birth_year in years:
                    ids.add(pk)
    for chunk in _chunks(sorted(dates)):
        ids.update(live.filter(birth_date__in=chunk).values_list("pk", flat=True))
    for id_type, values in strong.items():
        for chunk in _chunks(sorted(values)):
            ids.update(
                Identifier.objects.filter(type=id_type, value_normalised__in=chunk).values_list(
                    "person_id", flat=True
                )
            )
    # Merged people left out; every loaded person with their roster rows.
    index = registry_index_build(person_record_rows(ids), person_alias_rows(ids), model=model)
    index.registry_size = population
    _name_counts_set(index, name_counts, row_names)
    index.count_of_counts = Counter(name_counts.values())
    index.shared_keys = hit  # keys some registry person shares, loaded or not (see _match)
    return index


def registry_count_of_counts() -> Counter:
    """How many names are carried by 1, 2, 3... surviving people (``Person.name_key``): what
    an index holding part of the registry is given to smooth the rare names' frequencies
    (``RegistryIndex.count_of_counts``, ``name_frequency``). One GROUP BY."""
    from django.db.models import Count

    counts = (
        Person.objects.filter(merged_into__isnull=True)
        .exclude(name_key="")
        .order_by()
        .values("name_key")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    return Counter(counts)


def _name_counts_set(
    index: RegistryIndex, counts: Counter[str], row_names: set[tuple[str, ...]]
) -> None:
    """Give the partial index the registry-wide count of each name it holds.

    ``RegistryIndex`` keeps these counts in ``_name_counts`` (name key tuple -> people); a
    partial index would undercount namesakes born in other years and discount common names
    less than the full registry does, so they are set here from ``Person.name_key`` (the same
    canonical tokens). Tested: decisions equal those against the full registry.
    """
    own = index._name_counts
    for key in set(own) | row_names:
        total = counts.get(" ".join(key), 0)
        if total > own.get(key, 0):
            own[key] = total
