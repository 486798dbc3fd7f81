"""Matching a record, a roster and the whole registry.

Order of rules, for one record against the registry:

1. Strong identifiers (service number, NINA, passport, UN index number) are looked up first.
   If they point to two different people, nobody is linked: a person reviews
   (``identifier_split``), unless the record reaches each of them at the link level and
   nothing between them disagrees (the registry holds one person twice): it links to the most
   probable and they are queued (``registry_duplicate``).
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

import multiprocessing
import os
import threading
from collections.abc import Hashable, Iterable
from dataclasses import replace

from .block import Prepared, RegistryIndex, prepare
from .explain import render
from .features import VETO_TYPES, features
from .model import (
    BIRTH_CONFLICT_LEVELS,
    ID_SAME_LEVELS,
    LinkageModel,
    birth_level,
    identifier_level,
)
from .records import BatchGroup, BatchResult, Decision, PersonRecord, Thresholds
from .score import PairScore, compare, default_model, shifted

__all__ = ["duplicate_scan", "match_batch", "match_record", "wide_floor", "year_window_safe"]

DEFAULT_THRESHOLDS = Thresholds()
MAX_ALTERNATIVES = 5
#: Prior share of a file's rows that repeat another row of the same file (sign-in sheets).
WITHIN_FILE_SHARE = 0.05
#: Prior share of registry people who have a duplicate in the registry (duplicate scans).
SCAN_SHARE = 0.5


def _model(index: RegistryIndex, model: LinkageModel | None) -> LinkageModel:
    return model or getattr(index, "model", None) or default_model()


def year_window_safe(model: LinkageModel, population: int, thresholds: Thresholds) -> bool:
    """Whether people born more than a year apart can be left out of a search: with the best
    name, sex and organisation levels they still stay below the review band. Identifiers and
    phones are looked up separately, whatever the years."""
    from math import log2

    best = (
        model.prior(population, max(model.returning, SCAN_SHARE))
        + max(model.weight("name", "exact"), model.weight("name", "variant"))
        + 4.0
        + model.weight("sex", "equal")
        + model.weight("organisation", "equal")
        + model.weight("birth", "different")
    )
    review = min(max(thresholds.review, 1e-6), 1 - 1e-6)
    return best < log2(review / (1 - review))


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
        model_version=result.weights["model"],
        weights=result.weights,
    )


def _score_candidates(
    p: Prepared,
    index: RegistryIndex,
    thresholds: Thresholds,
    model: LinkageModel,
    floor: float,
) -> list[tuple[PairScore, Prepared]] | None:
    """Every candidate of ``p`` scored, above ``floor``; ``None`` when no one shares a block
    or an identifier."""
    population = index.population
    window = p.birth_year is not None and year_window_safe(
        model, population, Thresholds(link=max(floor, thresholds.link), review=floor)
    )
    slots = index.candidate_slots(p, year_window=window)
    if not slots:
        return None
    best: dict[Hashable, tuple[PairScore, Prepared]] = {}
    count_p = index.name_count(p)
    for slot in sorted(slots):
        q = index.slot(slot)
        if q is None:
            continue
        count = max(count_p, index.name_count(q))
        # A person scores as their best record (the first record on a tie): another record
        # of someone already scored is only compared as far as it could do better.
        known = best.get(q.key)
        r = compare(
            p,
            q,
            thresholds,
            floor=floor if known is None else max(floor, known[0].score),
            name_count=count,
            name_frequency=index.name_frequency(count),
            model=model,
            population=population,
        )
        if r is not None and (known is None or r.score > known[0].score):
            best[q.key] = (r, q)
    return list(best.values())


def _match_prepared(
    p: Prepared,
    index: RegistryIndex,
    thresholds: Thresholds,
    model: LinkageModel,
    candidates: list | None = None,
    delta: float = 0.0,
) -> Decision:
    """Decide for ``p``; ``candidates`` (from :func:`_score_candidates`) are scored again
    only by moving their prior ``delta`` bits (the file's returning share)."""
    invalid = _invalid_reasons(p)
    if candidates is None:
        candidates = _score_candidates(p, index, thresholds, model, thresholds.review)
    if candidates is None:
        return Decision("new", None, 0.0, [*invalid, render("no_candidate")])

    scored: list[tuple[float, int, PairScore, Prepared]] = []
    for r, q in candidates:
        if delta:
            r = shifted(r, delta, thresholds, floor=thresholds.review)
        if r is not None:
            scored.append((-r.score, q.slot, r, q))
    scored.sort(key=lambda item: (item[0], item[1]))

    # Strong identifiers pointing to different people: nobody is linked.
    id_keys: dict[Hashable, list[str]] = {}
    for id_type, values in sorted(p.strong.items()):
        for value in sorted(values):
            for holder in index.identifier_holders(id_type, value):
                id_keys.setdefault(holder.key, []).append(id_type)
    if len(id_keys) > 1:
        best = next((item for item in scored if item[3].key in id_keys), scored[0])
        alternatives = tuple(
            (q.key, round(r.score, 4)) for _n, _s, r, q in scored if q.key != best[3].key
        )[:MAX_ALTERNATIVES]
        holders = {q.key: q for _n, _s, r, q in scored if q.key in id_keys and r.outcome == "link"}
        if len(holders) == len(id_keys) and all(
            _compatible(x, y) for x in holders.values() for y in holders.values() if x is not y
        ):
            # One record carries the identifiers of two registry people, reaches each of them
            # at the link level, and they could be one (no identifier of one type or birth
            # date between them disagrees): the registry probably holds this person twice.
            # Link to the most probable and queue them for a person to merge, rather than
            # making a third.
            twice = render(
                "registry_duplicate",
                {"candidates": [str(best[3].key), *(str(k) for k in holders if k != best[3].key)]},
            )
            others = [(q.key, round(r.score, 4)) for _n, _s, r, q in scored if q.key in holders]
            alternatives = tuple(
                dict.fromkeys([*(a for a in others if a[0] != best[3].key), *alternatives])
            )[:MAX_ALTERNATIVES]
            return _decision(
                best[2], best[3].key, thresholds, first=[*invalid, twice], alternatives=alternatives
            )
        split = render(
            "identifier_split",
            {
                "types": sorted({t for types in id_keys.values() for t in types}),
                "candidates": [str(k) for k in id_keys],
            },
        )
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
        rivals = [q for _n2, _s2, r, q in scored[1:] if r.outcome == "link"]
        if rivals and all(_compatible(best_p, q) for q in rivals):
            # The registry probably holds this person twice (an earlier doubt made a second
            # person): link to the most probable and queue the two for a person to merge,
            # rather than making a third.
            twice = render(
                "registry_duplicate",
                {"candidates": [str(best_p.key), *(str(q.key) for q in rivals)]},
            )
            return _decision(
                best, best_p.key, thresholds, first=[*invalid, twice], alternatives=alternatives
            )
        rivals = [q.key for q in rivals]
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


def _identifiers_meet(fa, fb) -> tuple[bool, bool]:
    """(two different values of one strong identifier type, typing errors tolerated; an
    identifier shared exactly) for two records' :class:`~.features.Features`."""
    shared = False
    for id_type in fa.ids.keys() & fb.ids.keys():
        level = identifier_level(id_type)(fa, fb)
        if level == "exact":
            shared = True
        elif id_type in VETO_TYPES and level is not None and level not in ID_SAME_LEVELS:
            return True, shared
    return False, shared


def _births_conflict(fa, fb, shared: bool) -> bool | None:
    """Whether two records' birth data truly disagree (None: one of them has none). A shared
    identifier says the date was mistyped, not that these are two people."""
    level = birth_level(fa, fb)
    if level is None:
        return None
    return not shared and level in BIRTH_CONFLICT_LEVELS


def records_conflict(fa, fb) -> bool:
    """Whether two records (their :class:`~.features.Features`) cannot be one person without
    a person's decision: two different values of one strong identifier type (typing errors
    tolerated), or birth dates that truly disagree while no identifier is shared (a shared
    service number or NINA says the date was mistyped, not that these are two people)."""
    clash, shared = _identifiers_meet(fa, fb)
    return clash or bool(_births_conflict(fa, fb, shared))


def _compatible(a: Prepared, b: Prepared) -> bool:
    """Whether two registry people could be one (see :func:`records_conflict`)."""
    return not records_conflict(features(a), features(b))


def match_record(
    record: PersonRecord,
    index: RegistryIndex,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    model: LinkageModel | None = None,
) -> Decision:
    """Decide whether ``record`` is someone in ``index`` (link), may be (review) or is new."""
    return _match_prepared(prepare(record), index, thresholds, _model(index, model))


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


RETURNING_MIN, RETURNING_MAX = 0.05, 0.95


def wide_floor(model: LinkageModel, thresholds: Thresholds) -> float:
    """The review threshold moved down by the largest prior shift a file's share can make."""
    from math import log2

    review = min(max(thresholds.review, 1e-6), 1 - 1e-6)
    most = model.prior(1, RETURNING_MAX) - model.prior(1)
    logit = log2(review / (1 - review)) - max(most, 0.0)
    return 1.0 / (1.0 + 2.0 ** (-logit))


RETURNING_PSEUDO_ROWS = 20


def returning_share(decisions: list[Decision], prior: float) -> float:
    """The share of a file's rows that are people already in the registry, estimated from
    the file itself (expectation-maximisation of a two-class mixture on each row's candidate
    probabilities): a roster of returning trainees has most rows matched, a first course
    almost none. It is the prior of the file's second matching pass; between 0.05 and 0.95.
    """
    odds_rows = []
    for d in decisions:
        probs = [d.score, *(s for _k, s in d.alternatives)] if d.candidate or d.score else []
        odds_rows.append([_odds(p) for p in probs if p > 0])
    return mixture_share(odds_rows, prior)


def _odds(p: float) -> float:
    p = min(p, 1 - 1e-9)
    return p / (1 - p)


def mixture_share(odds_rows: list[list[float]], prior: float, *, rounds: int = 30) -> float:
    """EM on the prior share: ``odds_rows[i]`` are row ``i``'s candidate odds computed with
    ``prior``; returns the share of rows that have a match, the prior counting as
    :data:`RETURNING_PSEUDO_ROWS` rows (a file of three rows moves it little, a file of a
    thousand decides for itself)."""
    if not odds_rows:
        return prior
    prior = min(max(prior, 1e-3), 1 - 1e-3)
    base = prior / (1 - prior)
    rho = prior
    for _ in range(rounds):
        k = (rho / (1 - rho)) / base
        total = 0.0
        for odds in odds_rows:
            none = 1.0
            for o in odds:
                none /= 1.0 + k * o
            total += 1.0 - none
        share = (total + RETURNING_PSEUDO_ROWS * prior) / (len(odds_rows) + RETURNING_PSEUDO_ROWS)
        new = min(max(share, RETURNING_MIN), RETURNING_MAX)
        if abs(new - rho) < 1e-4:
            return new
        rho = new
    return rho


class _Clusters:
    """Constrained greedy clustering: union-find whose clusters remember their strong
    identifiers, full birth dates and registry person, and refuse a union that would put two
    different values of one strong identifier type (typing errors tolerated), birth dates that
    truly disagree, or two registry people into one person."""

    def __init__(self, nodes: list[Prepared | None], persons: set[int]) -> None:
        self.parent = list(range(len(nodes)))
        self.members = {i: [i] for i in range(len(nodes))}
        self.nodes = nodes
        self.persons = {i: (i in persons) for i in range(len(nodes))}

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def conflict(self, ra: int, rb: int) -> bool:
        """Two registry people, or two different values of one strong identifier anywhere
        across the two clusters, always refuse the union. Birth dates refuse it when every
        pair of dated records across the two disagrees: once a cluster holds two dates (one
        of them a typo that a shared identifier excused), the other cluster agreeing with
        either is one person, while namesakes born years apart, each with their own dates,
        are never chained through an undated row."""
        if self.persons[ra] and self.persons[rb]:
            return True
        dated = agreed = False
        for i in self.members[ra]:
            fa = features(self.nodes[i])
            for j in self.members[rb]:
                fb = features(self.nodes[j])
                clash, shared = _identifiers_meet(fa, fb)
                if clash:
                    return True
                births = _births_conflict(fa, fb, shared)
                if births is not None:
                    dated = True
                    agreed = agreed or not births
        return dated and not agreed

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.conflict(ra, rb):
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.members[keep] += self.members.pop(gone)
        self.persons[keep] = self.persons[keep] or self.persons[gone]
        return True


def match_batch(
    records: Iterable[PersonRecord],
    index: RegistryIndex,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    model: LinkageModel | None = None,
) -> BatchResult:
    """Match the rows of one file against the registry and against each other.

    ``decisions[i]`` is row ``i`` against the registry. ``groups`` partitions the rows into
    people: create one person per ``new`` group, attach a ``link`` group to its person, send
    a ``review`` group to a person with its candidates. ``review_pairs`` are doubtful pairs
    between two groups of the file (two rows that may be one person), queued once both exist.

    Clustering is greedy, most probable link first, under the constraints of
    :class:`_Clusters`; a link the constraints refuse becomes a review proposal. Rows are
    identified by position, so their own keys need not be unique.
    """
    model = _model(index, model)
    rows = [replace(r, key=i) for i, r in enumerate(records)]
    batch = RegistryIndex(rows)
    prepared = list(batch.prepared())
    alone = [replace(p, slot=-1) for p in prepared]
    # Candidates are scored once, with a floor low enough for any returning share; the file's
    # share is estimated from them and moves every prior by the same number of bits.
    wide = wide_floor(model, thresholds)
    scored = [_score_candidates(p, index, thresholds, model, wide) for p in alone]
    decisions = [
        _match_prepared(p, index, thresholds, model, c) for p, c in zip(alone, scored, strict=True)
    ]
    returning = returning_share(decisions, model.returning)
    if abs(returning - model.returning) > 0.02:
        delta = model.prior(1, returning) - model.prior(1)
        decisions = [
            _match_prepared(p, index, thresholds, model, c, delta)
            for p, c in zip(alone, scored, strict=True)
        ]
    population = index.population

    def within(a: Prepared, b: Prepared, share: float, floor: float) -> PairScore | None:
        count = max(index.name_count(a), index.name_count(b), batch.name_count(a), 1)
        return compare(
            a,
            b,
            thresholds,
            floor=floor,
            name_count=count,
            name_frequency=index.name_frequency(count),
            model=model,
            population=max(population, len(rows)),
            prior_population=len(rows),
            returning=share,
        )

    # Pairs inside the file: a first pass with the prior share of repeated rows, the share
    # estimated from the file (a sign-in sheet repeats few rows, a merged list many), then
    # the pairs scored again with it.
    found: list[tuple[int, int, float]] = []
    seen: set[tuple[int, int]] = set()
    for p in prepared:
        for slot in batch.candidate_slots(p):
            pair = (min(p.slot, slot), max(p.slot, slot))
            if pair in seen:
                continue
            seen.add(pair)
            r = within(batch.slot(pair[0]), batch.slot(pair[1]), WITHIN_FILE_SHARE, 0.001)
            if r is not None:
                found.append((pair[0], pair[1], r.score))
    odds_rows: list[list[float]] = [[] for _ in rows]
    for i, j, score in found:
        odds_rows[i].append(_odds(score))
        odds_rows[j].append(_odds(score))
    share = mixture_share(odds_rows, WITHIN_FILE_SHARE)
    pairs: list[tuple[int, int, Decision]] = []
    for i, j, _score in found:
        r = within(batch.slot(i), batch.slot(j), share, thresholds.review)
        if r is not None:
            pairs.append((i, j, _decision(r, j, thresholds)))
    pairs.sort(key=lambda t: (t[0], t[1]))

    # Nodes: the rows, then each registry person a row would link to.
    n = len(rows)
    person_node: dict[Hashable, int] = {}
    nodes: list[Prepared] = list(prepared)
    for d in decisions:
        if d.outcome == "link" and d.candidate not in person_node:
            # The person's first record holds every identifier they have (the registry
            # gathers them); their other records were already judged to be them.
            person_node[d.candidate] = len(nodes)
            nodes.append(index.get(d.candidate))
    clusters = _Clusters(nodes, set(person_node.values()))
    edges = [(-d.score, i, j, d) for i, j, d in pairs if d.outcome == "link"]
    edges += [
        (-d.score, i, person_node[d.candidate], d)
        for i, d in enumerate(decisions)
        if d.outcome == "link"
    ]
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    blocked: set[tuple[int, int]] = set()
    for _s, i, j, _d in edges:
        if not clusters.union(i, j):
            blocked.add((i, j))

    for i, d in enumerate(decisions):
        if d.outcome == "link" and (i, person_node[d.candidate]) in blocked:
            held = render("held_cluster_conflict", {})
            decisions[i] = replace(d, outcome="review", reasons=[held, *d.reasons])

    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(clusters.find(i), []).append(i)
    ordered = sorted(members.values())
    group_of = {i: g for g, m in enumerate(ordered) for i in m}
    groups = [_group(tuple(m), decisions) for m in ordered]

    review_pairs: dict[tuple[int, int], Decision] = {}
    for i, j, d in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        key = (min(gi, gj), max(gi, gj))
        best = review_pairs.get(key)
        if best is None or d.score > best.score:
            review_pairs[key] = replace(d, outcome="review") if d.outcome == "link" else d
    return BatchResult(
        decisions=decisions,
        groups=groups,
        pairs=pairs,
        review_pairs=[(gi, gj, d) for (gi, gj), d in sorted(review_pairs.items())],
    )


def _group(rows: tuple[int, ...], decisions: list[Decision]) -> BatchGroup:
    linked = sorted(
        {decisions[i].candidate for i in rows if decisions[i].outcome == "link"}, key=str
    )
    score = max(decisions[i].score for i in rows)
    reasons = []
    if len(rows) > 1:
        reasons.append(
            render("batch_duplicate", {"count": len(rows), "rows": [i + 1 for i in rows]})
        )
    if len(linked) == 1:
        # Registry people the rows also reach, probably the same person twice: queued.
        twice = [
            k
            for i in rows
            if "registry_duplicate" in decisions[i].codes
            for k, _s in decisions[i].alternatives
            if k != linked[0]
        ]
        candidates = tuple(dict.fromkeys([linked[0], *twice]))
        return BatchGroup(rows, "link", linked[0], candidates, reasons, score)
    if len(linked) > 1:  # pragma: no cover - the clustering never joins two people
        reasons.append(render("batch_conflict", {"persons": [str(k) for k in linked]}))
        return BatchGroup(rows, "review", None, tuple(linked), reasons, score)
    candidates: list[Hashable] = []
    for i in rows:
        d = decisions[i]
        if d.outcome == "review":
            for key in (d.candidate, *(k for k, _s in d.alternatives)):
                if key not in candidates:
                    candidates.append(key)
    if candidates:
        return BatchGroup(rows, "review", None, tuple(candidates), reasons, score)
    return BatchGroup(rows, "new", None, (), reasons, score)


#: Below this many records the scan runs in this process (a worker's start costs more).
SCAN_PARALLEL_MIN = 20_000


def duplicate_scan(
    index: RegistryIndex,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    exclude_pairs: Iterable[tuple[Hashable, Hashable]] = frozenset(),
    model: LinkageModel | None = None,
    workers: int | None = None,
) -> list[tuple[Hashable, Hashable, Decision]]:
    """Every pair of registry people in the link or review band, most probable first.

    ``exclude_pairs`` holds pairs a person already judged to be different people (in either
    order); they are never proposed again. A pair's decision says ``link`` when the model and
    the constraints would link it without a person (the scan service merges those as one
    batch, which can be undone), ``review`` otherwise.

    ``workers`` processes share the records (default: one per CPU for a registry of
    :data:`SCAN_PARALLEL_MIN` records or more); the result is the same as in one process.
    """
    model = _model(index, model)
    excluded = {frozenset(pair) for pair in exclude_pairs}
    slots = [p.slot for p in index.records()]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(slots) >= SCAN_PARALLEL_MIN else 1
    best = _scan_parallel(index, slots, thresholds, model, workers)
    found = []
    for pair, (score, a_slot, b_slot) in best.items():
        if excluded and pair in excluded:
            continue
        a, b = index.slot(a_slot), index.slot(b_slot)
        r = _scan_compare(index, a, b, thresholds, model)
        found.append((score, a_slot, b_slot, a.key, b.key, r))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [(ka, kb, _decision(r, kb, thresholds)) for _s, _a, _b, ka, kb, r in found]


def _scan_compare(index, p: Prepared, q: Prepared, thresholds, model, count_p=None, smooth=None):
    counts = index.name_count
    count_p = counts(p) if count_p is None else count_p
    count = count_p if q.name_key == p.name_key else max(count_p, counts(q))
    smooth = index.name_smoothing() if smooth is None else smooth
    return compare(
        p,
        q,
        thresholds,
        floor=thresholds.review,
        name_count=count,
        name_frequency=smooth.get(count, count),
        model=model,
        population=index.population,
        returning=SCAN_SHARE,
    )


def _scan_slots(index, slots, thresholds, model) -> dict:
    """The best pair of records of every two people in the review band, for the records
    ``slots``: ``{frozenset(keys): (-probability, slot, slot)}``."""
    found: dict[frozenset, tuple[float, int, int]] = {}
    seen_single: set[tuple[int, int]] = set()
    window = year_window_safe(model, index.population, thresholds)
    smooth = index.name_smoothing()
    for p_slot in slots:
        p = index.slot(p_slot)
        count_p = index.name_count(p)
        for slot in index.candidate_slots(p, scan=True, year_window=window):
            q = index.slot(slot)
            if q is None or q.key == p.key:
                continue
            if p.single or q.single:
                pair = (min(p.slot, slot), max(p.slot, slot))
                if pair in seen_single:
                    continue
                seen_single.add(pair)
            elif slot < p.slot:
                continue
            r = _scan_compare(index, p, q, thresholds, model, count_p, smooth)
            if r is None:
                continue
            a, b = (p, q) if p.slot < q.slot else (q, p)
            pair = frozenset((a.key, b.key))
            # Two people score as their best pair of records.
            entry = (-r.score, a.slot, b.slot)
            if pair not in found or entry < found[pair]:
                found[pair] = entry
    return found


#: The scan's index and arguments, for the worker processes (inherited by fork, not pickled).
_SCAN_JOB: tuple | None = None


def _scan_part(part: int) -> dict:
    index, slots, thresholds, model, workers = _SCAN_JOB
    return _scan_slots(index, slots[part::workers], thresholds, model)


def _scan_parallel(index, slots, thresholds, model, workers: int) -> dict:
    """:func:`_scan_slots` over ``workers`` forked processes, each taking every
    ``workers``-th record; their results merged (best pair per two people, ties by slot, so
    the same as one process). Forking is only safe with no other thread alive (a lock held by
    one would stay held in the child): otherwise, and where fork does not exist, one process."""
    global _SCAN_JOB
    if (
        workers <= 1
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _scan_slots(index, slots, thresholds, model)
    _SCAN_JOB = (index, slots, thresholds, model, workers)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            parts = pool.map(_scan_part, range(workers))
    finally:
        _SCAN_JOB = None
    best: dict = {}
    for part in parts:
        for pair, entry in part.items():
            if pair not in best or entry < best[pair]:
                best[pair] = entry
    return best
