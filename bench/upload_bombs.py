"""Roster upload bombs: how fast and in how much memory each is refused, and what a real
roster of the largest allowed size costs to read (docs/security.md, uploads).

Usage: .venv/bin/python bench/upload_bombs.py
The bombs are those of tests/security/bombs.py at full size: shared strings inflating to
400 MB in a file of about 1.4 MB (as found by the security probe), a worksheet compressed
over 1,000 to 1, a sheet claiming 16,384 columns, a CSV line of 10 MB. Memory is the peak of
Python allocations during a second call (tracemalloc) and the growth of the process's
peak resident set over both calls; the time is that of a first call without tracing.
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django

django.setup()

from bench.machine import machine_description  # noqa: E402
from tests.security.bombs import (  # noqa: E402
    dimension_claim,
    ratio_bomb,
    roster_xlsx,
    shared_strings_bomb,
)
from trainees.imports.parsing import MAX_ROWS, FileProblem, read_table  # noqa: E402


def _read(data: bytes, filename: str) -> str:
    try:
        table = read_table(data, filename)
    except FileProblem as problem:
        return f"refused: {problem.problem.code}"
    return f"read, {len(table.rows)} rows"


def _measure(name: str, data: bytes, filename: str) -> None:
    """Time without tracing (tracemalloc slows Python several times), then memory."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    outcome = _read(data, filename)
    elapsed = time.monotonic() - started
    tracemalloc.start()
    _read(data, filename)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(
        f"{name:44} {len(data) / 1024:9.0f} KB {elapsed * 1000:9.1f} ms "
        f"{peak / 1e6:8.1f} MB {rss_growth / 1024:8.1f} MB  {outcome}"
    )


def main() -> None:
    print(machine_description())
    print(f"load average: {os.getloadavg()}")
    print(f"{'file':44} {'size':>12} {'time':>12} {'py peak':>11} {'rss +':>11}  outcome")
    rows = [("Nom", "Prénom", "Sexe", "Année de naissance", "Matricule", "Téléphone")]
    rows += [
        (f"Traoré{i}", "Awa", "F", str(1960 + i % 40), f"MAT{i:06d}", f"+223 7{i:07d}")
        for i in range(MAX_ROWS)
    ]
    _measure(f"real roster, {MAX_ROWS} rows (.xlsx)", roster_xlsx(rows), "liste.xlsx")
    _measure("shared strings inflating to 400 MB", shared_strings_bomb(400), "liste.xlsx")
    _measure("worksheet compressed over 1,000 to 1", ratio_bomb(), "liste.xlsx")
    _measure("sheet claiming A1:XFD20000", dimension_claim(), "liste.xlsx")
    line = b"Nom;Pr\xc3\xa9nom\n" + b";" * (10 * 1024 * 1024 - 20) + b"\n"
    _measure("CSV with a 10 MB line of separators", line, "liste.csv")


if __name__ == "__main__":
    main()
