"""Counts that state their uncertainty: the range a figure of people can move in while pairs
wait in the review queue (issue 11, item 6).

Three numbers per figure (a headline, every breakdown row, a drill-down), all from the same
pending pairs, restricted to the people the figure counts:

standing
    The figure as the registry stands: no waiting pair merged (what every other selector
    counts).
lowest
    Every pending pair among the counted people merged: the number of connected components
    of the graph whose nodes are the counted people and whose edges are the pending pairs
    with both people in the figure. A figure can fall no lower by the queue alone.
expected
    The model's expected number of distinct people. Each pending pair is the same person
    with its match probability ``p`` (``ReviewPair.score``, clipped to [0, 1]), pairs taken
    as independent; the people of one connected component are then as many as the
    components of the random graph that keeps each edge with its ``p``. For a component that
    is a tree (two people and one pair, a chain) that is exactly ``size - Σ p``; a component
    with a cycle and at most :data:`EXACT_EDGES` pairs is enumerated exactly; a larger one
    uses its maximum spanning tree (``size - Σ p`` over that tree), an upper bound of the
    exact value that never goes below the lowest figure. People outside every pending pair
    count 1 each, so ``standing >= expected >= lowest`` always holds, per row and in total.

Pairs are read once per report and re-pointed to surviving people (a person merged since
the pair was proposed is counted as its survivor); a pair whose two people are now one is
not pending any more. Only the pairs' people are looked up in the rows of the figure (one
query per scope, every breakdown at once), so a dashboard with no waiting pair costs one
query more, and one with a queue a few.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import product

from django.db.models import F, Q

from .queries import _counted, _programmes, _with_age
from .scope import BREAKDOWN_DIMENSIONS, Breakdown, CountScope, CountScopeError

#: Statuses of a pair that waits for a decision (the queue's "to review").
PENDING_STATUSES = ("open", "pending")

#: Largest number of pairs in one cyclic component whose expectation is enumerated exactly
#: (2**6 edge subsets: a dashboard meets thousands of components); above it, the maximum
#: spanning tree bound.
EXACT_EDGES = 6


@dataclass(frozen=True)
class CountRange:
    """A figure of people with its uncertainty. ``pairs`` pending pairs among its people."""

    standing: int
    lowest: int
    expected: float
    pairs: int = 0

    @property
    def uncertain(self) -> bool:
        return self.pairs > 0 and self.lowest < self.standing


@dataclass(frozen=True)
class PendingPairs:
    """The pending pairs, keyed by surviving people: ``{(a, b): p}`` with ``a < b``."""

    pairs: dict[tuple[int, int], float]

    @cached_property
    def people(self) -> set[int]:
        return {person for pair in self.pairs for person in pair}

    @cached_property
    def adjacency(self) -> dict[int, list[tuple[int, float]]]:
        """Each person's pairs, built once: a dashboard asks for hundreds of rows."""
        adjacency: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (a, b), p in self.pairs.items():
            adjacency[a].append((b, p))
            adjacency[b].append((a, p))
        return dict(adjacency)

    @cached_property
    def expected_of(self) -> dict[tuple, float]:
        """Expected people of the components already met (many rows share a component)."""
        return {}

    def __bool__(self) -> bool:
        return bool(self.pairs)


def pending_pairs() -> PendingPairs:
    """Pairs waiting in the review queue, re-pointed to surviving people (two queries at
    most: the pairs, then the live merges of their people if any)."""
    from trainees.review.models import Merge, ReviewPair

    rows = list(
        ReviewPair.objects.filter(status__in=PENDING_STATUSES).values_list(
            "person_a_id", "person_b_id", "score"
        )
    )
    if not rows:
        return PendingPairs({})
    survivor = dict(
        Merge.objects.filter(undone_at__isnull=True).values_list("merged_id", "survivor_id")
    )

    def alive(person: int) -> int:
        seen = set()
        while person in survivor and person not in seen:
            seen.add(person)
            person = survivor[person]
        return person

    pairs: dict[tuple[int, int], float] = {}
    for a, b, score in rows:
        if survivor and (a in survivor or b in survivor):
            a, b = alive(a), alive(b)
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        p = min(max(float(score or 0.0), 0.0), 1.0)
        pairs[key] = max(pairs.get(key, 0.0), p)
    return PendingPairs(pairs)


def _components(people: set[int], pending: PendingPairs):
    """Connected components (with at least one edge) of the pending pairs among ``people``:
    yields ``(nodes, edges)``, ``edges`` a list of ``(a, b, p)``. Reads only the pairs of
    ``people`` (never every pair of the queue)."""
    adjacency = pending.adjacency
    seen: set[int] = set()
    for start in people:
        if start in seen or start not in adjacency:
            continue
        nodes, stack = [], [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            nodes.append(node)
            for other, _p in adjacency[node]:
                if other in people and other not in seen:
                    seen.add(other)
                    stack.append(other)
        if len(nodes) < 2:
            continue
        members = set(nodes)
        edges = [
            (a, b, p)
            for a in nodes
            for b, p in adjacency[a]
            if a < b and b in members  # each edge once
        ]
        yield members, edges


def _joiner(nodes: Iterable[int]):
    """Union-find over ``nodes``: returns ``join(a, b)``, true when it joined two groups."""
    parent = {node: node for node in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: int, b: int) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return False
        parent[ra] = rb
        return True

    return join


def _count_components(nodes: set[int], edges: Iterable[tuple[int, int]]) -> int:
    join = _joiner(nodes)
    return len(nodes) - sum(1 for a, b in edges if join(a, b))


def component_expected(nodes: set[int], edges: list[tuple[int, int, float]]) -> float:
    """Expected distinct people in one component of pending pairs (see the module docstring).

    A tree: ``size - Σ p`` exactly. A cycle with few pairs: every subset of pairs weighed by
    its probability. Otherwise ``size - Σ p`` over a maximum spanning tree: an upper bound
    (fewer edges can only leave more people apart), between the lowest (1) and the size.
    """
    size = len(nodes)
    if len(edges) == size - 1:
        return size - sum(p for _a, _b, p in edges)
    if len(edges) <= EXACT_EDGES:
        total = 0.0
        for kept in product((False, True), repeat=len(edges)):
            weight = 1.0
            chosen = []
            for keep, (a, b, p) in zip(kept, edges, strict=True):
                weight *= p if keep else 1.0 - p
                if keep:
                    chosen.append((a, b))
            if weight:
                total += weight * _count_components(nodes, chosen)
        return total
    join = _joiner(nodes)
    tree = [p for a, b, p in sorted(edges, key=lambda edge: -edge[2]) if join(a, b)]
    return size - sum(tree)


def count_range(*, standing: int, people: set[int], pending: PendingPairs) -> CountRange:
    """The range of a figure of ``standing`` people, ``people`` being those of them who are
    in a pending pair (the others count 1 in every reading)."""
    if not pending or len(people) < 2:
        return CountRange(standing=standing, lowest=standing, expected=float(standing))
    fewer_lowest, fewer_expected, n_pairs = 0, 0.0, 0
    for nodes, edges in _components(people, pending):
        n_pairs += len(edges)
        fewer_lowest += len(nodes) - 1
        key = tuple(sorted(edges))
        expected = pending.expected_of.get(key)
        if expected is None:
            expected = pending.expected_of[key] = component_expected(nodes, edges)
        fewer_expected += len(nodes) - expected
    # Rounding of a float sum must not cross the bounds.
    expected = min(float(standing), max(float(standing - fewer_lowest), standing - fewer_expected))
    return CountRange(
        standing=standing,
        lowest=standing - fewer_lowest,
        expected=round(expected, 3),
        pairs=n_pairs,
    )


def _pending_filter(pending: PendingPairs) -> Q:
    return Q(person_id__in=sorted(pending.people))


def _row_key(by: str, value):
    """A key as :func:`people_breakdown` has it in its rows."""
    from .people import _month_key

    if value == "" or value is None:
        return None
    if by == "month":
        return _month_key(int(value)) if isinstance(value, int) else value
    return value


def people_ranges(
    *,
    scope: CountScope,
    standing: int,
    breakdowns: dict[str, Breakdown] | None = None,
    pending: PendingPairs | None = None,
) -> tuple[CountRange, dict[str, Breakdown]]:
    """The range of the scope's figure (``standing`` people, as :func:`people_count`) and of
    every row of ``breakdowns`` (``{by: Breakdown}`` of the same scope), rows returned with
    ``lowest``, ``expected`` and ``pairs`` set.

    One query when no pair waits (the pairs), else one more for the pairs' people in the
    scope with every dimension's key (all breakdowns at once).
    """
    from .combined import _key_expression

    breakdowns = breakdowns or {}
    pending = pending_pairs() if pending is None else pending
    if not pending:
        return count_range(standing=standing, people=set(), pending=pending), breakdowns
    wanted = [by for by in breakdowns if by in BREAKDOWN_DIMENSIONS]
    for by in breakdowns:
        if by not in BREAKDOWN_DIMENSIONS:
            raise CountScopeError("by", f"Unknown breakdown: {by}.")
    qs = _counted(scope, _programmes()).filter(_pending_filter(pending))
    names = {by: f"_r{i}" for i, by in enumerate(wanted)}
    columns = ["person_id"]
    if "age_band" in wanted:
        qs = _with_age(qs, scope.age_scheme)
    for by in wanted:
        if by == "age_band":
            qs = qs.annotate(**{names[by]: F("_age_band")})
        else:
            qs = qs.annotate(**{names[by]: _key_expression(by, qs)})
        columns.append(names[by])
    members: set[int] = set()
    rows_people: dict[str, dict[object, set[int]]] = {by: defaultdict(set) for by in wanted}
    for values in qs.order_by().values_list(*columns).distinct():
        person = values[0]
        members.add(person)
        for by, value in zip(wanted, values[1:], strict=True):
            rows_people[by][_row_key(by, value)].add(person)
    total = count_range(standing=standing, people=members, pending=pending)
    ranged: dict[str, Breakdown] = {}
    for by, rows in breakdowns.items():
        people_of = rows_people.get(by, {})
        ranged[by] = Breakdown(
            (
                row_with_range(
                    row,
                    count_range(
                        standing=row.count, people=people_of.get(row.key, set()), pending=pending
                    ),
                )
                for row in rows
            ),
            by=rows.by,
            overlapping=rows.overlapping,
        )
    return total, ranged


def row_with_range(row, found: CountRange):
    return replace(row, lowest=found.lowest, expected=found.expected, pairs=found.pairs)


def people_count_range(
    *, scope: CountScope, standing: int, pending: PendingPairs | None = None
) -> CountRange:
    """The range of one figure (:func:`people_count` of ``scope`` is ``standing``)."""
    return people_ranges(scope=scope, standing=standing, pending=pending)[0]


def queryset_range(*, person_ids, standing: int, pending: PendingPairs | None = None):
    """The range of the people of ``person_ids`` (a queryset of ids: a drill-down's people)."""
    pending = pending_pairs() if pending is None else pending
    if not pending:
        return count_range(standing=standing, people=set(), pending=pending)
    found = set(person_ids.filter(pk__in=sorted(pending.people)).values_list("pk", flat=True))
    return count_range(standing=standing, people=found, pending=pending)
