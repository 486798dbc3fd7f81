"""Benchmark of the pure-Python matching engine (prints figures; not a test).

Run from the repository root::

    .venv/bin/python bench/matching_engine.py [--people 100000] [--rows 1000] [--seed 2026]

Budgets (docs/design.md, 2-core machine): match a 1,000-row roster against 100,000 people in
under 10 s (the import around it needs its share), full duplicate scan of 100,000 people in
under 2 minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_description  # noqa: E402
from trainees.matching import RegistryIndex, duplicate_scan, match_batch  # noqa: E402
from trainees.synthetic import (  # noqa: E402
    as_record,
    generate_people,
    generate_rosters,
    registry_rows,
)


def machine() -> str:
    return machine_description()


def timed(label: str, fn):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(f"{label:<52} {elapsed:8.2f} s wall, {cpu:8.2f} s CPU, load {os.getloadavg()[0]:.1f}")
    return result, elapsed


def quality(roster: list[dict], result, registered: set[str]) -> str:
    """Precision of automatic links and recall of link+review, against the known truth."""
    links = wrong = found = present = 0
    for row, d in zip(roster, result.decisions, strict=True):
        truth = row["truth"]
        present += truth in registered
        if d.outcome == "link":
            links += 1
            wrong += d.candidate != truth
            found += d.candidate == truth
        elif d.outcome == "review" and truth in (d.candidate, *(k for k, _s in d.alternatives)):
            found += 1
    true_people = len({row["truth"] for row in roster})
    return (
        f"link precision {(links - wrong) / max(links, 1):.4f} ({wrong} wrong of {links}), "
        f"link+review recall {found / max(present, 1):.4f} ({found}/{present}), "
        f"true people in roster {true_people:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    print(machine())
    print(f"registry {args.people:,} people, roster {args.rows:,} rows, seed {args.seed}")
    # 10% more people than the registry holds: roster rows for them must come out "new".
    everyone, _ = timed(
        f"generate {args.people * 11 // 10:,} people (not engine time)",
        lambda: generate_people(args.people * 11 // 10, seed=args.seed),
    )
    people = everyone[: args.people]
    rows = registry_rows(people, seed=args.seed + 1)
    records = [as_record(r, p["truth"]) for r, p in zip(rows, people, strict=True)]
    index, _ = timed(f"build index of {args.people:,} people", lambda: RegistryIndex(records))
    sizes = sorted(index.block_sizes().values(), reverse=True)
    print(f"  blocks: {len(sizes):,}, largest {sizes[:5]}")

    roster = generate_rosters(everyone, 1, args.rows, seed=args.seed + 2)[0]
    roster_records = [as_record(r, i) for i, r in enumerate(roster)]
    result, _ = timed(
        f"match_batch {args.rows:,} rows against the registry",
        lambda: match_batch(roster_records, index),
    )
    outcomes = Counter(d.outcome for d in result.decisions)
    print(f"  decisions {dict(outcomes)}, people in roster {result.people:,}")
    print("  " + quality(roster, result, {p["truth"] for p in people}))

    from trainees.matching.block import prepare
    from trainees.matching.features import features
    from trainees.matching.model import model_train

    def train():
        table = [features(prepare(r)).row(i) for i, r in enumerate(records)]
        table += [features(prepare(r)).row(len(table) + i) for i, r in enumerate(roster_records)]
        return model_train(table)

    trained, _ = timed(f"linkage model training on {args.people:,} people", train)
    print(f"  {trained.message} ({trained.model.version if trained.model else '-'})")

    pairs, _ = timed(f"duplicate_scan of {args.people:,} people", lambda: duplicate_scan(index))
    bands = Counter(d.outcome for _a, _b, d in pairs)
    print(f"  proposed pairs {dict(bands)} (every registry record is a different person here)")


if __name__ == "__main__":
    main()
