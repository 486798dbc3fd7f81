"""Prepared records and the blocking index.

Comparing every roster row with every registry person is 10^8 comparisons for a 1,000-row
roster against 100,000 people; a duplicate scan would be 5*10^9. Blocking restricts the
comparisons to people who share a cheap key, and the keys are chosen so that the variations
seen on rosters still meet:

* ``n|a|b`` every unordered pair of canonical name tokens. Order-free, so swapped given and
  family names meet; a pair, so an added or missing given name ("Mohamed Lamine Traoré" /
  "Mohamed Traoré") still shares ``mohamed|traore``; canonical, so spelling variants meet.
* ``s|a|b`` the same pairs on consonant skeletons, so a dropped or doubled letter still meets.
* ``y|t|year`` one token and the birth year. Indexed for everyone, queried when matching rows
  (not in the full scan, where it would cost more than it finds): it lets a row with a single
  name or a badly mistyped token meet people born the same year who share one name.
* ``1|t`` one token, only for records that have a single name token.
* ``d|date`` the full date of birth (placeholders 1 January and 31 December are no date), for
  a person's first record and every row of a file; queried when matching rows, not in the
  full scan. It lets two records whose every name token is mistyped ("Maroc Malezka" /
  "Marco Maleszka") or split ("Soph Ie") meet when their date agrees: forty years hold
  about 15,000 days, so a date's block stays small.
* every strong identifier and phone number, through their own maps.

In a duplicate scan, members of a block whose birth year is known and more than one year away
from the record's are not even looked at (:meth:`RegistryIndex.candidate_slots`,
``year_window``): such a pair cannot reach the review band without a shared identifier, and
identifiers have their own map. This divides the scan's work by about ten.

A single name pair is rarely shared by more than a few hundred people even for the most common
names (Moussa Traoré); a key shared by more than ``max_block`` people is skipped at query time
because it cannot discriminate anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from .normalise import (
    CIVILITIES,
    COMPARED_IDENTIFIER_TYPES,
    IdentifierError,
    name_tokens,
    normalise_identifier,
    normalise_text,
)
from .records import PersonRecord
from .variants import canonical_token, known_spellings, skeleton

__all__ = ["Blocker", "Prepared", "RegistryIndex", "index_keys", "prepare", "query_keys"]


@dataclass(slots=True, eq=False)
class Prepared:
    """A record reduced to what the scorer compares, computed once."""

    key: Hashable
    slot: int
    tokens: tuple[str, ...]  # canonical tokens, given names first then family name
    raw: tuple[str, ...]  # the same tokens before canonicalisation (for explanations)
    n_given: int  # how many of ``tokens`` are given names; -1 when only full_name was known
    birth_date: date | None  # exact date; None when unknown or a placeholder (1 Jan, 31 Dec)
    birth_year: int | None
    sex: str | None
    organisation: str
    residence: str  # village, commune or address, normalised ("" when unknown)
    strong: dict[str, frozenset[str]]  # compared identifier types (phones apart)
    phones: frozenset[str]
    invalid: tuple[tuple[str, str, str], ...]  # (type, value, error message)
    single: bool  # fewer than two distinct tokens: blocked through one-token keys
    name_key: tuple[str, ...]  # distinct canonical tokens, sorted: "the same name"
    order: tuple  # a total order on features, to make pair scoring symmetric
    feats: object | None = None  # the model's comparison features (features.features)


def _identifier_pairs(identifiers) -> Iterator[tuple[str, str]]:
    if hasattr(identifiers, "items"):
        for id_type, value in identifiers.items():
            if value is None:
                continue
            if isinstance(value, str | int):
                yield id_type, str(value)
            else:
                for item in value:
                    yield id_type, str(item)
    else:
        for id_type, value in identifiers or ():
            if value is not None:
                yield id_type, str(value)


def prepare(record: PersonRecord, slot: int = -1) -> Prepared:
    """Normalise a :class:`PersonRecord` for blocking and scoring.

    A date of birth on 1 January or 31 December is treated as a year only: where birth dates
    are unknown, Sahelian civil registers write "né vers 1985" and clerks type 01/01/1985 or
    31/12/1985, so thousands of different people share those days.
    """
    known = known_spellings()
    if record.given_names or record.family_name:
        given = name_tokens(record.given_names, known=known)
        family = name_tokens(record.family_name, known=known)
        # "M." in the given-names column with the family name beside it is a civility.
        if set(given + family) & CIVILITIES and set(given + family) - CIVILITIES:
            given = tuple(t for t in given if t not in CIVILITIES)
            family = tuple(t for t in family if t not in CIVILITIES)
        raw = given + family
        n_given = len(given)
    else:
        raw = name_tokens(record.full_name, known=known)
        n_given = -1
    tokens = tuple(canonical_token(t) for t in raw)

    birth_date = record.birth_date
    birth_year = birth_date.year if birth_date else record.birth_year
    if birth_date is not None and (birth_date.month, birth_date.day) in ((1, 1), (12, 31)):
        birth_date = None

    strong: dict[str, set[str]] = {}
    phones: set[str] = set()
    invalid: list[tuple[str, str, str]] = []
    for id_type, value in _identifier_pairs(record.identifiers):
        try:
            canonical = normalise_identifier(id_type, value)
        except IdentifierError as exc:
            invalid.append((id_type, value, exc.message))
            continue
        if id_type in COMPARED_IDENTIFIER_TYPES:
            strong.setdefault(id_type, set()).add(canonical)
        else:
            phones.add(canonical)

    sex = str(record.sex).strip().upper() if record.sex else None
    sex = sex if sex in ("F", "M") else None
    organisation = normalise_text(record.organisation)
    residence = normalise_text(record.residence)
    frozen_strong = {t: frozenset(v) for t, v in strong.items()}
    order = (
        tokens,
        n_given,
        str(birth_date or ""),
        birth_year or 0,
        sex or "",
        organisation,
        residence,
        _ids_order(frozen_strong),
        tuple(sorted(phones)),
    )
    return Prepared(
        key=record.key,
        slot=slot,
        tokens=tokens,
        raw=raw,
        n_given=n_given,
        birth_date=birth_date,
        birth_year=birth_year,
        sex=sex,
        organisation=organisation,
        residence=residence,
        strong=frozen_strong,
        phones=frozenset(phones),
        invalid=tuple(invalid),
        single=len(set(tokens)) < 2,
        name_key=tuple(sorted(set(tokens))),
        order=order,
    )


def _with_identifiers_of(p: Prepared, person: Prepared) -> Prepared:
    """``p`` holding every identifier and phone of ``person`` as well as its own:
    identifiers belong to the person (the registry gathers them on the first record), so
    whichever record a row is compared with, two different service numbers still meet."""
    strong = {t: p.strong.get(t, frozenset()) | person.strong.get(t, frozenset())
              for t in p.strong.keys() | person.strong.keys()}  # fmt: skip
    phones = p.phones | person.phones
    order = (*p.order[:7], _ids_order(strong), tuple(sorted(phones)))
    return replace(p, strong=strong, phones=phones, order=order, feats=None)


def _ids_order(strong: dict[str, frozenset[str]]) -> tuple:
    return tuple(sorted((t, tuple(sorted(v))) for t, v in strong.items()))


def _same_record(a: Prepared | None, b: Prepared) -> bool:
    """Whether ``b`` says nothing ``a`` does not for matching: the same canonical names (in
    any order or spelling the variant table joins), no birth date or year but ``a``'s, no
    other sex, organisation, residence, identifier or phone. Most of a returning trainee's rows are
    such repeats; filing them again would only multiply the comparisons."""
    return (
        a is not None
        and a.name_key == b.name_key
        and b.birth_date in (None, a.birth_date)
        and b.birth_year in (None, a.birth_year)
        and b.sex in (None, a.sex)
        and b.residence in ("", a.residence)
        and b.organisation in ("", a.organisation)
        and all(v <= a.strong.get(t, frozenset()) for t, v in b.strong.items())
        and b.phones <= a.phones
    )


def _pair_keys(tokens: tuple[str, ...]) -> set[str]:
    keys: set[str] = set()
    uniq = sorted(set(tokens))
    skel = sorted({skeleton(t) for t in tokens})
    for i, a in enumerate(uniq):
        for b in uniq[i + 1 :]:
            keys.add(f"n|{a}|{b}")
    for i, a in enumerate(skel):
        for b in skel[i + 1 :]:
            keys.add(f"s|{a}|{b}")
    if len(uniq) == 1:
        keys.add(f"1|{uniq[0]}")
    return keys


def index_keys(p: Prepared) -> set[str]:
    """Every blocking key a record is filed under."""
    keys = _pair_keys(p.tokens)
    if p.birth_year is not None:
        keys.update(f"y|{t}|{p.birth_year}" for t in set(p.tokens))
    return keys


def date_key(p: Prepared) -> str | None:
    """The full date of birth's blocking key (``None`` without a full date)."""
    return f"d|{p.birth_date.isoformat()}" if p.birth_date is not None else None


def query_keys(p: Prepared, *, scan: bool) -> set[str]:
    """The keys looked up to find candidates for ``p`` (see the module docstring)."""
    keys = _pair_keys(p.tokens)
    if p.birth_year is not None and (not scan or p.single):
        keys.update(f"y|{t}|{p.birth_year}" for t in set(p.tokens))
    day = None if scan else date_key(p)
    if day is not None:
        keys.add(day)
    return keys


#: Good-Turing smooths the counts up to this many people, from this many names seen once.
GOOD_TURING_MAX = 5
GOOD_TURING_MIN_NAMES = 30


def good_turing(histogram: Counter) -> dict[int, float]:
    """Smoothed counts ``{r: (r + 1) N(r+1) / N(r)}`` for the rare counts ``r`` (``N(r)``:
    how many names ``r`` people carry), while each stays below ``r`` and above the one
    before; none when fewer than :data:`GOOD_TURING_MIN_NAMES` names are seen once (a
    young registry has not seen its long tail yet)."""
    out: dict[int, float] = {}
    if histogram.get(1, 0) < GOOD_TURING_MIN_NAMES:
        return out
    before = 0.0
    for r in range(1, GOOD_TURING_MAX + 1):
        n_r, n_next = histogram.get(r, 0), histogram.get(r + 1, 0)
        if n_r == 0 or n_next == 0:
            break
        star = (r + 1) * n_next / n_r
        if not before < star < r:
            break
        out[r] = before = star
    return out


class RegistryIndex:
    """Blocking index over prepared records, built once and grown with :meth:`add`.

    A person is one record (:meth:`add`, keys unique) and any number of other records they
    were seen with (:meth:`add_alias`: the roster rows that became this person, spelt,
    dated and placed as each roster had them). A record is matched against every record of
    a person, and the person scores as their best record. :meth:`discard` removes a person
    and their records (after a merge) without rebuilding.
    """

    def __init__(
        self, records: Iterable[PersonRecord] = (), *, max_block: int = 5000, model=None
    ) -> None:
        self.max_block = max_block
        #: The linkage model that scores pairs against this index (``None``: the priors).
        self.model = model
        #: How many people the registry holds, when this index holds only part of it.
        self.registry_size: int | None = None
        self._slots: list[Prepared | None] = []
        self._by_key: dict[Hashable, int] = {}
        self._aliases: dict[Hashable, list[int]] = {}  # person key -> their other records' slots
        self._blocks: dict[str, list[int]] = {}
        self._ids: dict[tuple[str, str], list[int]] = {}
        self._name_counts: dict[tuple[str, ...], int] = {}
        self._by_year: dict[str, dict[int | None, list[int]] | None] | None = None
        #: How many names are carried by 1, 2, 3... people of the whole registry, when this
        #: index holds only part of it (``None``: read off the index's own counts).
        self.count_of_counts: Counter | None = None
        self._smoothing: tuple = (None, {})
        for record in records:
            self.add(record)

    # -- building -------------------------------------------------------------------------
    def add(self, record: PersonRecord) -> Prepared:
        if record.key in self._by_key:
            raise ValueError(f"Key {record.key!r} is already in the index")
        p = self._file(record)
        day = date_key(p)
        if day is not None:  # a person's first record only: rows add their names, not dates
            self._blocks.setdefault(day, []).append(p.slot)
        self._name_counts[p.name_key] = self._name_counts.get(p.name_key, 0) + 1
        self._by_key[record.key] = p.slot
        return p

    def add_alias(self, record: PersonRecord) -> Prepared | None:
        """Another record of the person ``record.key`` (added first with :meth:`add`). A
        record with the same names, birth and identifiers as one the person has adds nothing
        and is not filed (returns ``None``). The "people with this name" counts count the
        person once per distinct name."""
        primary = self._by_key.get(record.key)
        if primary is None:
            raise ValueError(f"Key {record.key!r} is not in the index: add the person first")
        p = _with_identifiers_of(prepare(record, len(self._slots)), self._slots[primary])
        mine = [primary, *self._aliases.get(record.key, ())]
        if any(_same_record(self._slots[s], p) for s in mine):
            return None
        names = {self._slots[s].name_key for s in mine}
        p = self._file(record, p)
        self._aliases.setdefault(record.key, []).append(p.slot)
        if p.name_key not in names:
            self._name_counts[p.name_key] = self._name_counts.get(p.name_key, 0) + 1
        return p

    def _file(self, record: PersonRecord, p: Prepared | None = None) -> Prepared:
        slot = len(self._slots)
        p = p if p is not None else prepare(record, slot)
        self._by_year = None
        self._slots.append(p)
        blocks = self._blocks
        for k in index_keys(p):
            bucket = blocks.get(k)
            if bucket is None:
                blocks[k] = [slot]
            else:
                bucket.append(slot)
        for id_type, values in p.strong.items():
            for value in values:
                self._ids.setdefault((id_type, value), []).append(slot)
        for phone in p.phones:
            self._ids.setdefault(("phone", phone), []).append(slot)
        return p

    def discard(self, key: Hashable) -> None:
        slot = self._by_key.pop(key, None)
        if slot is not None:
            names = set()
            for s in (slot, *self._aliases.pop(key, ())):
                names.add(self._slots[s].name_key)
                self._slots[s] = None
            for name in names:
                self._name_counts[name] -= 1
            self._by_year = None

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._by_key

    def get(self, key: Hashable) -> Prepared | None:
        slot = self._by_key.get(key)
        return None if slot is None else self._slots[slot]

    def prepared(self) -> Iterator[Prepared]:
        """Every person's first record (one per person)."""
        slots = self._slots
        return (slots[s] for s in sorted(self._by_key.values()))

    def records(self) -> Iterator[Prepared]:
        """Every record of every person, in the order they were added."""
        return (p for p in self._slots if p is not None)

    def records_of(self, key: Hashable) -> list[Prepared]:
        """Every record of the person ``key``: the first, then the others as added."""
        slot = self._by_key.get(key)
        if slot is None:
            return []
        return [self._slots[s] for s in (slot, *self._aliases.get(key, ()))]

    @property
    def alias_count(self) -> int:
        return sum(len(v) for v in self._aliases.values())

    def slot(self, slot: int) -> Prepared | None:
        return self._slots[slot]

    def identifier_holders(self, id_type: str, value: str) -> list[Prepared]:
        """The records holding an identifier (one per person)."""
        found: dict[Hashable, Prepared] = {}
        for s in self._ids.get((id_type, value), ()):
            p = self._slots[s]
            if p is not None:
                found.setdefault(p.key, p)
        return list(found.values())

    @property
    def population(self) -> int:
        """How many people a record matched against this index could be."""
        return max(self.registry_size or 0, len(self))

    def name_count(self, p: Prepared) -> int:
        """How many people in the index carry exactly the name of ``p`` (canonically)."""
        return self._name_counts.get(p.name_key, 0)

    def name_frequency(self, count: int) -> float:
        """How many people in ``population`` a name seen ``count`` times stands for, when a
        new record is asked whether it carries it: Good-Turing's ``(r + 1) N(r+1) / N(r)``
        for the rare names (:func:`good_turing`), ``count`` itself otherwise. Most names
        seen once belong to a long tail of names a registry sees once: the next person is
        less likely to carry one of them than one in ``population``."""
        if count > GOOD_TURING_MAX:
            return float(count)
        return self.name_smoothing().get(count, float(count))

    def name_smoothing(self) -> dict[int, float]:
        """The smoothed counts :meth:`name_frequency` reads (``{count: smoothed}``, counts
        left out stay as they are), computed again only when the index changed: a scan
        reads it once for its millions of pairs."""
        key = (len(self._slots), len(self._by_key), id(self.count_of_counts))
        if self._smoothing[0] != key:
            histogram = self.count_of_counts
            if histogram is None:
                histogram = Counter(n for n in self._name_counts.values() if n > 0)
            self._smoothing = (key, good_turing(histogram))
        return self._smoothing[1]

    def _year_buckets(self) -> dict[str, dict[int | None, list[int]] | None]:
        if self._by_year is None:
            by_year: dict[str, dict[int | None, list[int]] | None] = {}
            slots = self._slots
            for key, bucket in self._blocks.items():
                if key[0] in "yd" or len(bucket) < 2 or len(bucket) > self.max_block:
                    continue
                if len(bucket) <= 16:
                    by_year[key] = None  # small: not worth splitting
                    continue
                years: dict[int | None, list[int]] = {}
                for s in bucket:
                    q = slots[s]
                    if q is not None:
                        years.setdefault(q.birth_year, []).append(s)
                by_year[key] = years
            self._by_year = by_year
        return self._by_year

    def candidate_slots(
        self, p: Prepared, *, scan: bool = False, year_window: bool = False
    ) -> set[int]:
        """Slots of every record sharing a block or an identifier with ``p``.

        With ``year_window`` (duplicate scans), block members whose birth year is known and
        more than one year from ``p``'s are left out: such pairs cannot reach the review band
        without a shared identifier, and identifiers are looked up separately.
        """
        found: set[int] = set()
        blocks = self._blocks
        limit = self.max_block
        by_year = self._year_buckets() if year_window and p.birth_year is not None else None
        year = p.birth_year
        for k in query_keys(p, scan=scan):
            bucket = blocks.get(k)
            if bucket is None or len(bucket) > limit:
                continue
            years = by_year.get(k) if by_year is not None else None
            if years is None:
                found.update(bucket)
            else:
                for y in (year - 1, year, year + 1, None):
                    members = years.get(y)
                    if members:
                        found.update(members)
        ids = self._ids
        for id_type, values in p.strong.items():
            for value in values:
                found.update(ids.get((id_type, value), ()))
        for phone in p.phones:
            bucket = ids.get(("phone", phone), ())
            if len(bucket) <= limit:
                found.update(bucket)
        if p.slot >= 0 and p.slot < len(self._slots) and self._slots[p.slot] is p:
            found.discard(p.slot)
            mine = self._aliases.get(p.key)
            if mine and self._by_key.get(p.key) is not None:
                found.difference_update(mine)
                found.discard(self._by_key[p.key])
        return found

    def block_sizes(self) -> dict[str, int]:
        """Sizes of the blocks, for benchmarks and tuning."""
        return {k: len(v) for k, v in self._blocks.items()}


#: The brief's other name for the same thing.
Blocker = RegistryIndex
