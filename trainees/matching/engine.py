"""Matching a record, a roster and the whole registry.

Order of rules, for one record against the registry:

1. Strong identifiers (service number, NINA, passport, UN index number) are looked up first.
   If they point to two different people, nobody is linked: a person reviews
   (``identifier_split``).
2. Every candidate found through a block or an identifier is scored (:func:`score.compare`),
   knowing how many registry people carry the same name (equal common names say less).
   A shared strong identifier links at once, unless the same type of strong identifier
   differs between the two records (``identifier_conflict``) or the names do not agree at all
   (``identifier_name_mismatch``, most often a mistyped number): both go to review.
3. The best candidate decides the outcome by the thresholds. When two or more people reach
   the link threshold, none is linked (``ambiguous_candidates``): the registry probably holds
   a duplicate, and a person should merge them first.

A roster (:func:`match_batch`) is one more step: rows are also matched against each other,
and rows that are one person become one group, so a file with the same trainee twice creates
one person. Groups are the connected components of link-level pairs and of rows linked to
the same registry person, so the number of people does not depend on the order of the rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import replace

from .block import Prepared, RegistryIndex, prepare
from .explain import render
from .records import BatchGroup, BatchResult, Decision, PersonRecord, Thresholds
from .score import (
    W_BIRTH_YEAR_CONFLICT,
    W_NAME,
    W_ORGANISATION,
    W_PHONE,
    W_SEX,
    PairScore,
    compare,
)

__all__ = ["duplicate_scan", "match_batch", "match_record"]

DEFAULT_THRESHOLDS = Thresholds()
MAX_ALTERNATIVES = 5


def _band_reason(score: float, outcome: str, thresholds: Thresholds) -> dict:
    s = round(score, 3)
    if outcome == "link":
        return render("above_link_threshold", {"score": s, "threshold": thresholds.link})
    if outcome == "review":
        return render(
            "review_band", {"score": s, "review": thresholds.review, "link": thresholds.link}
        )
    return render("below_review_threshold", {"score": s, "threshold": thresholds.review})


def _invalid_reasons(p: Prepared) -> list[dict]:
    return [
        render("identifier_invalid", {"type": t, "value": v, "error": e}) for t, v, e in p.invalid
    ]


def _decision(
    result: PairScore,
    candidate: Hashable | None,
    thresholds: Thresholds,
    *,
    outcome: str | None = None,
    first: list[dict] = (),
    alternatives: tuple = (),
) -> Decision:
    outcome = outcome or result.outcome
    reasons = [
        *first,
        *(render(code, params) for code, params in result.evidence),
        _band_reason(result.score, outcome, thresholds),
    ]
    return Decision(
        outcome=outcome,
        candidate=candidate if outcome != "new" else None,
        score=round(result.score, 4),
        reasons=reasons,
        alternatives=alternatives,
    )


def _match_prepared(p: Prepared, index: RegistryIndex, thresholds: Thresholds) -> Decision:
    invalid = _invalid_reasons(p)
    slots = index.candidate_slots(p)
    if not slots:
        return Decision("new", None, 0.0, [*invalid, render("no_candidate")])

    scored: list[tuple[float, int, PairScore, Prepared]] = []
    for slot in slots:
        q = index.slot(slot)
        if q is None:
            continue
        count = max(index.name_count(p), index.name_count(q))
        r = compare(p, q, thresholds, floor=thresholds.review, name_count=count)
        if r is not None:
            scored.append((-r.score, slot, r, q))
    scored.sort(key=lambda item: (item[0], item[1]))

    # Strong identifiers pointing to different people: nobody is linked.
    id_keys: dict[Hashable, list[str]] = {}
    for id_type, values in sorted(p.strong.items()):
        for value in sorted(values):
            for holder in index.identifier_holders(id_type, value):
                id_keys.setdefault(holder.key, []).append(id_type)
    if len(id_keys) > 1:
        split = render(
            "identifier_split",
            {
                "types": sorted({t for types in id_keys.values() for t in types}),
                "candidates": [str(k) for k in id_keys],
            },
        )
        best = next((item for item in scored if item[3].key in id_keys), scored[0])
        alternatives = tuple(
            (q.key, round(r.score, 4)) for _n, _s, r, q in scored if q.key != best[3].key
        )[:MAX_ALTERNATIVES]
        return _decision(
            best[2],
            best[3].key,
            thresholds,
            outcome="review",
            first=[*invalid, split],
            alternatives=alternatives,
        )

    if not scored or scored[0][2].outcome == "new":
        best_score = scored[0][2].score if scored else 0.0
        namesakes = index.name_count(p)
        # "born": the row has a birth date or year, and it matched none of the namesakes.
        born = p.birth_date is not None or p.birth_year is not None
        extra = (
            [render("namesakes", {"count": namesakes, **({"born": True} if born else {})})]
            if namesakes
            else []
        )
        return Decision(
            "new",
            None,
            round(best_score, 4),
            [*invalid, *extra, _band_reason(best_score, "new", thresholds)],
        )

    _n, _s, best, best_p = scored[0]
    alternatives = tuple(
        (q.key, round(r.score, 4)) for _n2, _s2, r, q in scored[1:] if r.outcome != "new"
    )[:MAX_ALTERNATIVES]
    if best.outcome == "link":
        rivals = [q.key for _n2, _s2, r, q in scored[1:] if r.outcome == "link"]
        if rivals:
            ambiguous = render(
                "ambiguous_candidates", {"candidates": [str(best_p.key), *map(str, rivals)]}
            )
            return _decision(
                best,
                best_p.key,
                thresholds,
                outcome="review",
                first=[*invalid, ambiguous],
                alternatives=alternatives,
            )
    return _decision(best, best_p.key, thresholds, first=invalid, alternatives=alternatives)


def match_record(
    record: PersonRecord, index: RegistryIndex, *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Decision:
    """Decide whether ``record`` is someone in ``index`` (link), may be (review) or is new."""
    return _match_prepared(prepare(record), index, thresholds)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def match_batch(
    records: Iterable[PersonRecord],
    index: RegistryIndex,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> BatchResult:
    """Match the rows of one file against the registry and against each other.

    ``decisions[i]`` is row ``i`` against the registry. ``groups`` partitions the rows into
    people: create one person per ``new`` group, attach a ``link`` group to its person, send
    a ``review`` group to a person with its candidates. Rows are identified by position, so
    their own keys need not be unique.
    """
    rows = [replace(r, key=i) for i, r in enumerate(records)]
    batch = RegistryIndex(rows)
    prepared = list(batch.prepared())
    decisions = [_match_prepared(replace(p, slot=-1), index, thresholds) for p in prepared]

    uf = _UnionFind(len(rows))
    pairs: list[tuple[int, int, Decision]] = []
    seen: set[tuple[int, int]] = set()
    for p in prepared:
        for slot in batch.candidate_slots(p):
            pair = (min(p.slot, slot), max(p.slot, slot))
            if pair in seen:
                continue
            seen.add(pair)
            a, b = batch.slot(pair[0]), batch.slot(pair[1])
            count = max(
                index.name_count(a), index.name_count(b), batch.name_count(a), batch.name_count(b)
            )
            r = compare(a, b, thresholds, floor=thresholds.review, name_count=count)
            if r is None or r.outcome == "new":
                continue
            pairs.append((pair[0], pair[1], _decision(r, pair[1], thresholds)))
            if r.outcome == "link":
                uf.union(*pair)
    pairs.sort(key=lambda t: (t[0], t[1]))

    first_row_for_person: dict[Hashable, int] = {}
    for i, d in enumerate(decisions):
        if d.outcome == "link":
            j = first_row_for_person.setdefault(d.candidate, i)
            uf.union(i, j)

    members: dict[int, list[int]] = {}
    for i in range(len(rows)):
        members.setdefault(uf.find(i), []).append(i)
    groups = [_group(tuple(m), decisions) for m in sorted(members.values())]
    return BatchResult(decisions=decisions, groups=groups, pairs=pairs)


def _group(rows: tuple[int, ...], decisions: list[Decision]) -> BatchGroup:
    linked = sorted(
        {decisions[i].candidate for i in rows if decisions[i].outcome == "link"}, key=str
    )
    reasons = []
    if len(rows) > 1:
        reasons.append(
            render("batch_duplicate", {"count": len(rows), "rows": [i + 1 for i in rows]})
        )
    if len(linked) == 1:
        return BatchGroup(rows, "link", linked[0], tuple(linked), reasons)
    if len(linked) > 1:
        reasons.append(render("batch_conflict", {"persons": [str(k) for k in linked]}))
        return BatchGroup(rows, "review", None, tuple(linked), reasons)
    candidates: list[Hashable] = []
    for i in rows:
        d = decisions[i]
        if d.outcome == "review":
            for key in (d.candidate, *(k for k, _s in d.alternatives)):
                if key not in candidates:
                    candidates.append(key)
    if candidates:
        return BatchGroup(rows, "review", None, tuple(candidates), reasons)
    return BatchGroup(rows, "new", None, (), reasons)


def duplicate_scan(
    index: RegistryIndex,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    exclude_pairs: Iterable[tuple[Hashable, Hashable]] = frozenset(),
) -> list[tuple[Hashable, Hashable, Decision]]:
    """Every pair of registry people in the link or review band, best first.

    ``exclude_pairs`` holds pairs a person already judged to be different people (in either
    order); they are never proposed again. Link-band pairs are proposals too: a merge is
    always a person's decision.
    """
    excluded = {frozenset(pair) for pair in exclude_pairs}
    found: list[tuple[float, int, int, Hashable, Hashable, Decision]] = []
    seen_single: set[tuple[int, int]] = set()
    review = thresholds.review
    # Pairs with birth years more than one apart cannot reach review unless the threshold is
    # set very low; only then must the scan look at them.
    window = review > W_NAME + W_SEX + W_ORGANISATION + W_PHONE + W_BIRTH_YEAR_CONFLICT
    counts = index.name_count
    for p in index.prepared():
        count_p = counts(p)
        for slot in index.candidate_slots(p, scan=True, year_window=window):
            q = index.slot(slot)
            if q is None:
                continue
            if p.single or q.single:
                pair = (min(p.slot, slot), max(p.slot, slot))
                if pair in seen_single:
                    continue
                seen_single.add(pair)
            elif slot < p.slot:
                continue
            count = count_p if q.name_key == p.name_key else max(count_p, counts(q))
            r = compare(p, q, thresholds, floor=review, name_count=count)
            if r is None or r.outcome == "new":
                continue
            a, b = (p, q) if p.slot < q.slot else (q, p)
            if excluded and frozenset((a.key, b.key)) in excluded:
                continue
            found.append((-r.score, a.slot, b.slot, a.key, b.key, _decision(r, b.key, thresholds)))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [(ka, kb, d) for _s, _a, _b, ka, kb, d in found]
