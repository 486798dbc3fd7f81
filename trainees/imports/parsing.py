"""Reading a roster file into a table of strings, whatever spreadsheet wrote it.

French spreadsheets save CSV with semicolons and, on Windows, in Windows-1252; others write
UTF-8 with or without a byte-order mark and commas. Excel files are read with openpyxl in
read-only mode so a large file streams. Nothing here raises on a bad file: a
:class:`FileProblem` says what is wrong in words a trainer can act on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from .columns import SYNONYMS, header_key
from .limits import MAX_COLUMNS, MAX_LINE_CHARS, archive_problem
from .problems import Problem

__all__ = ["MAX_BYTES", "MAX_ROWS", "FileProblem", "Table", "read_table"]

#: Stated limits: a roster is a training event's attendance list, a few hundred rows at most;
#: twenty thousand leaves room for a year's briefings in one sheet.
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
_HEADER_SEARCH = 10  # a title or a blank line or two may sit above the header row


class FileProblem(Exception):
    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.problem = Problem(code, params)


@dataclass
class Table:
    """``rows`` are ``(spreadsheet row number, cells)``; cells are strings, or ``date`` for
    Excel date cells; blank rows are left out but keep their numbers."""

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    header_row: int = 1
    encoding: str = ""
    delimiter: str = ""


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls > len(head) // 50


def _sniff_delimiter(text: str) -> str:
    sample_lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (";", ",", "\t", "|"):
        counts = []
        for line in sample_lines:
            counts.append(next(csv.reader([line], delimiter=delimiter), []).__len__() - 1)
        if not counts:
            continue
        # The delimiter that splits most lines the same, non-zero, number of times.
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * common
        if common > 0 and score > best_score:
            best, best_score = delimiter, score
    return best


def _line_too_long(text: str) -> int | None:
    """The number of the first line longer than ``MAX_LINE_CHARS``, found without copying a
    line (a 10 MB line of separators would otherwise be split into ten million cells)."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > MAX_LINE_CHARS:
            return number
        if end < 0:
            return None
        start, number = end + 1, number + 1


def _rows_csv(data: bytes) -> tuple[list[tuple[int, list]], str, str]:
    if _looks_binary(data):
        raise FileProblem("file_not_table")
    text, encoding = _decode(data)
    long_line = _line_too_long(text)
    if long_line is not None:
        raise FileProblem("file_line_too_long", row=long_line, limit=MAX_LINE_CHARS)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [_cell(c) for c in _within_columns(cells)]))
            if len(rows) > MAX_ROWS + _HEADER_SEARCH + 1:
                break
    except csv.Error as exc:
        raise FileProblem("file_not_table") from exc
    return rows, encoding, delimiter


def _rows_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem("file_not_table") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileProblem("file_empty")
        # The stated dimensions are not trusted: a sheet that claims 16,384 columns would
        # have every row padded to them. Each row is as wide as its last cell.
        sheet.reset_dimensions()
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(v) for v in _within_columns(values)]))
            if len(rows) > MAX_ROWS + _HEADER_SEARCH + 1:
                break
        return rows
    finally:
        workbook.close()


def _within_columns(cells):
    """The cells of a row up to ``MAX_COLUMNS``; a row with a value beyond is refused."""
    if len(cells) > MAX_COLUMNS:
        if any(cell not in (None, "") for cell in cells[MAX_COLUMNS:]):
            raise FileProblem("file_too_many_columns", limit=MAX_COLUMNS)
        return cells[:MAX_COLUMNS]
    return cells


def _blank(cells: list) -> bool:
    return all(c == "" for c in cells)


def _header_index(rows: list[tuple[int, list]]) -> int:
    """The first row among the first few where two or more headers are recognised; else the
    first non-blank row."""
    first = None
    for i, (_n, cells) in enumerate(rows[:_HEADER_SEARCH]):
        if _blank(cells):
            continue
        if first is None:
            first = i
        known = sum(1 for c in cells if isinstance(c, str) and header_key(c) in SYNONYMS)
        if known >= 2:
            return i
    return first if first is not None else 0


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV or XLSX bytes into a :class:`Table`, or raise :class:`FileProblem`."""
    name = (filename or "").lower()
    if len(data) > MAX_BYTES:
        raise FileProblem("file_too_large", limit=MAX_BYTES // (1024 * 1024))
    if not data.strip():
        raise FileProblem("file_empty")
    problem = archive_problem(data)
    if problem is not None:
        raise FileProblem(problem.code, **problem.params)
    encoding = delimiter = ""
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        rows = _rows_xlsx(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise FileProblem("file_xls")
    else:
        rows, encoding, delimiter = _rows_csv(data)
    rows = [(n, cells) for n, cells in rows]
    if all(_blank(cells) for _n, cells in rows):
        raise FileProblem("file_empty")
    start = _header_index(rows)
    header_number, header_cells = rows[start]
    headers = [str(c) for c in header_cells]
    while headers and not headers[-1].strip():
        headers.pop()
    body = [(n, cells) for n, cells in rows[start + 1 :] if not _blank(cells)]
    if len(body) > MAX_ROWS:
        raise FileProblem("file_too_many_rows", limit=MAX_ROWS)
    if not body:
        raise FileProblem("file_no_rows")
    width = max(len(headers), max(len(cells) for _n, cells in body))
    if width < 2 and not any(header_key(h) in SYNONYMS for h in headers):
        # One column of text that names nothing we know: a letter, a list, not a roster.
        raise FileProblem("file_not_table")
    headers += [""] * (width - len(headers))
    body = [(n, cells + [""] * (width - len(cells))) for n, cells in body]
    return Table(
        headers=headers, rows=body, header_row=header_number, encoding=encoding, delimiter=delimiter
    )
