"""Precision and recall of the engine on synthetic Malian rosters with known truth.

Fixed seeds, so the figures are reproducible; docs/matching.md quotes them. The registry holds
4,000 people (each recorded once, with moderate noise); rosters draw from 6,000 people, so a
third of the rows are people the registry does not know yet.
"""

from collections import Counter

import pytest

from trainees.matching import RegistryIndex, duplicate_scan, match_batch
from trainees.synthetic import (
    as_record,
    generate_people,
    generate_rosters,
    registry_rows,
)

LINK_PRECISION_MIN = 0.995
RECALL_MIN = 0.95  # link + review with the right person among the candidates


@pytest.fixture(scope="module")
def world():
    people = generate_people(6_000, seed=2026)
    registered = people[:4_000]
    rows = registry_rows(registered, seed=2027)
    index = RegistryIndex(as_record(r, p["truth"]) for r, p in zip(rows, registered, strict=True))
    rosters = generate_rosters(people, n_rosters=8, rows_per_roster=250, seed=2028)
    results = [match_batch([as_record(r, i) for i, r in enumerate(ro)], index) for ro in rosters]
    return {p["truth"] for p in registered}, rosters, results


def test_automatic_links_are_precise_and_candidates_are_found(world):
    registered, rosters, results = world
    counts = Counter()
    for roster, result in zip(rosters, results, strict=True):
        for row, d in zip(roster, result.decisions, strict=True):
            truth = row["truth"]
            counts["known"] += truth in registered
            counts[d.outcome] += 1
            if d.outcome == "link":
                counts["link_right" if d.candidate == truth else "link_wrong"] += 1
            if truth in registered and (
                (d.outcome == "link" and d.candidate == truth)
                or (d.outcome == "review" and truth in (d.candidate, *dict(d.alternatives)))
            ):
                counts["found"] += 1
    precision = counts["link_right"] / counts["link"]
    recall = counts["found"] / counts["known"]
    print(f"\n{dict(counts)} precision={precision:.4f} recall={recall:.4f}")
    assert counts["link_wrong"] == 0, "two different people were linked automatically"
    assert precision >= LINK_PRECISION_MIN
    assert recall >= RECALL_MIN
    assert counts["link_right"] / counts["known"] >= 0.55  # most known rows need no one


def test_no_batch_group_mixes_two_people_automatically(world):
    _registered, rosters, results = world
    for roster, result in zip(rosters, results, strict=True):
        for group in result.groups:
            truths = {roster[i]["truth"] for i in group.rows}
            if group.outcome in ("link", "new"):
                assert len(truths) == 1, (group, truths)
        # Duplicates inside one file are joined when the evidence is strong; the others stay
        # apart (review) rather than risk joining two people.
        true_people = len({row["truth"] for row in roster})
        assert true_people <= result.people <= true_people + len(roster) * 0.04


def test_duplicate_scan_finds_second_recordings():
    """A scan looks at every pair, so its prior is far lower than a roster row's: an exact
    namesake with the same full date of birth can reach the link band (here 1 of 5,300
    people). Scan proposals are always merged by a person, so the bar is 99% in the link band.
    """
    people = generate_people(5_000, seed=7)
    first = registry_rows(people, seed=8)
    again = registry_rows(people[:300], seed=9, noise=1.0)  # 300 people recorded twice
    records = [as_record(r, p["truth"]) for r, p in zip(first, people, strict=True)]
    records += [as_record(r, f"{p['truth']}-bis") for r, p in zip(again, people[:300], strict=True)]
    pairs = duplicate_scan(RegistryIndex(records))

    def same(a, b):
        return a.split("-")[0] == b.split("-")[0]

    found = {a.split("-")[0] for a, b, _d in pairs if same(a, b)}
    links = [(a, b) for a, b, d in pairs if d.outcome == "link"]
    wrong_links = [(a, b) for a, b in links if not same(a, b)]
    print(
        f"\nscan: {len(pairs)} pairs, {len(found)}/300 duplicates found, "
        f"{len(links)} in the link band of which wrong: {wrong_links}"
    )
    assert len(found) >= 0.95 * 300
    assert len(wrong_links) <= 0.01 * len(links)


def test_duplicate_scan_in_worker_processes_finds_what_one_process_finds(monkeypatch):
    from trainees.matching import engine

    people = generate_people(1_500, seed=17)
    first = registry_rows(people, seed=18)
    records = [as_record(r, p["truth"]) for r, p in zip(first, people, strict=True)]
    again = registry_rows(people[:200], seed=19, noise=1.0)
    records += [as_record(r, f"{p['truth']}-bis") for r, p in zip(again, people[:200], strict=True)]
    index = RegistryIndex(records)
    alone = duplicate_scan(index, workers=1)
    # The test runner keeps threads of its own; the scan forks only without them, so the
    # check is lifted for this comparison (the workers only score records).
    monkeypatch.setattr(engine.threading, "active_count", lambda: 1)
    shared = duplicate_scan(index, workers=2)
    assert len(alone) > 100
    assert [(a, b, d.to_dict()) for a, b, d in shared] == [(a, b, d.to_dict()) for a, b, d in alone]
