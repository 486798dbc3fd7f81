"""Rosters as field offices write them: how many are refused, how many columns map alone.

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python bench/roster_files.py \
        [--rosters 150] [--rows 60] [--people 3000] [--seed 7] [--confirm 10000]

Writes ``--rosters`` CSV/XLSX files with :mod:`trainees.synthetic_files` (every roster-format
case of docs/matching.md, "Reading rosters") and reads each one as the import does, with no
trainer and no remembered mapping: :func:`read_table`, :func:`recognise`,
:func:`validate_table`. Prints, per case, the rosters that hold it and how many were
refused (no header, not a table, no row with a name), the share of columns mapped without
the trainer, the rows left out, the warnings by kind, and how often a whole-name cell was
split with the person's family name on the family side.

``--confirm N`` also times the background confirm of an N-row roster (preview, then the
task's work) on the configured database, and prints the progress steps it reported.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")


def main() -> None:
    import django

    django.setup()
    from rapidfuzz import fuzz

    from trainees.imports.columns import recognise
    from trainees.imports.parsing import FileProblem, read_table
    from trainees.imports.validation import validate_table
    from trainees.matching import normalise_text
    from trainees.synthetic import generate_people
    from trainees.synthetic_files import roster_files

    parser = argparse.ArgumentParser()
    parser.add_argument("--rosters", type=int, default=150)
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--confirm", type=int, default=0)
    args = parser.parse_args()

    people = generate_people(args.people, seed=args.seed)
    by_truth = {p["truth"]: p for p in people}
    started = time.perf_counter()
    files = roster_files(people, args.rosters, args.rows, seed=args.seed)
    made = time.perf_counter() - started

    refused, per_case, per_case_refused = [], Counter(), Counter()
    columns = mapped = rows = left_out = 0
    warnings: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    split_total = split_right = 0
    started = time.perf_counter()
    for roster in files:
        for case in roster.cases:
            per_case[case] += 1
        try:
            table = read_table(roster.data, roster.name)
        except FileProblem as exc:
            refused.append((roster.name, exc.problem.code))
            for case in roster.cases:
                per_case_refused[case] += 1
            continue
        mapping = recognise(table.headers)
        named = [i for i, h in enumerate(table.headers) if str(h).strip()]
        columns += len(named)
        mapped += sum(1 for i in named if mapping.get(i))
        unmapped.update(table.headers[i] for i in named if not mapping.get(i))
        # The trainer's help, when needed, is to ignore what the table does not know.
        mapping = {i: f or "ignore" for i, f in mapping.items()}
        result = validate_table(table, mapping, event_date=date(2026, 10, 5))
        if result.file_errors or len(result.rows_left_out) == len(result.rows):
            refused.append((roster.name, [p.code for p in result.file_errors][:1]))
            for case in roster.cases:
                per_case_refused[case] += 1
            continue
        rows += len(result.rows)
        left_out += len(result.rows_left_out)
        warnings.update(p.code for p in result.problems if not p.is_error)
        for row, truth in zip(result.rows, roster.truth, strict=True):
            if row.get("split_given") and row.get("split_family"):
                split_total += 1
                # Right when the family side holds the person's family name, in whatever
                # spelling the row recorded it (variant, typo, capitals).
                true_family = normalise_text(by_truth[truth]["family_name"])
                said = normalise_text(row["split_family"])
                split_right += said == true_family or fuzz.ratio(said, true_family) >= 80
    read = time.perf_counter() - started

    print(
        f"{len(files)} rosters, {sum(len(f.truth) for f in files)} rows "
        f"(written in {made:.1f} s, read in {read:.1f} s)"
    )
    print(f"refused: {len(refused)}" + (f" {refused[:5]}" if refused else ""))
    print(
        f"columns mapped without the trainer: {mapped}/{columns} = {100 * mapped / columns:.1f} %"
    )
    if unmapped:
        print(f"  not recognised: {dict(unmapped.most_common(8))}")
    print(f"rows read: {rows}, left out (no name): {left_out}")
    print("cases (rosters holding it / refused):")
    for case, n in sorted(per_case.items()):
        print(f"  {case:22s} {n:4d} / {per_case_refused[case]}")
    print("warnings by kind:", dict(warnings.most_common()))
    if split_total:
        print(
            f"whole-name cells split with the true family name: {split_right}/{split_total} "
            f"= {100 * split_right / split_total:.1f} %"
        )
    if args.confirm:
        _confirm(args.confirm)


def _confirm(n: int) -> None:
    """Preview and background-confirm an ``n``-row roster; print the time of each step."""
    from django.db import connection

    from tests.trainees.factories import TrainingEventFactory
    from tests.trainees.imports.rosters import big_roster
    from trainees.imports.services import (
        roster_import_analyse,
        roster_import_confirm_request,
        roster_import_create,
    )
    from trainees.imports.tasks import roster_import_confirm_task

    data = big_roster(n)
    event = TrainingEventFactory()
    started = time.perf_counter()
    roster_import = roster_import_create(
        event=event, file_name="big.csv", data=data, user=None, enqueue=False
    )
    roster_import = roster_import_analyse(roster_import=roster_import)
    analysed = time.perf_counter() - started
    roster_import_confirm_request(roster_import=roster_import, user=None, enqueue=False)
    started = time.perf_counter()
    status = roster_import_confirm_task.call(import_id=roster_import.pk, user_id=None)
    confirmed = time.perf_counter() - started
    from trainees.models import Participation

    written = Participation.objects.filter(event=event).count()
    print(
        f"{n}-row roster on {connection.vendor}: preview {analysed:.1f} s, "
        f"background confirm {confirmed:.1f} s ({status}, {written} participations)"
    )


if __name__ == "__main__":
    main()
