"""Turning the cells of a roster into clean values, or into problems by row and column.

Every row is validated before anything is matched or written, and every problem is kept (not
only the first), so a trainer fixes the whole file in one pass. Identifier formats come from
the matching engine, so the import and the registry agree on what a valid NINA or phone is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from trainees.matching import identifier_error, normalise_identifier, normalise_text

from .columns import IDENTIFIER_FIELDS, IGNORE
from .parsing import Table
from .problems import Problem

__all__ = ["OUTCOMES", "Validated", "parse_date", "validate_table"]

#: Result words as field offices write them -> the participation outcome.
OUTCOMES: dict[str, str] = {}
for _outcome, _words in {
    "attended": (
        "present",
        "presente",
        "presents",
        "attended",
        "attendance",
        "participe",
        "participation",
        "assiste",
        "p",
    ),
    "completed": (
        "termine",
        "terminee",
        "completed",
        "complete",
        "acheve",
        "achevee",
        "fini",
        "finished",
    ),
    "passed": (
        "reussi",
        "reussie",
        "admis",
        "admise",
        "passed",
        "pass",
        "succes",
        "success",
        "certifie",
        "certifiee",
        "valide",
        "validee",
    ),
    "failed": (
        "echoue",
        "echouee",
        "echec",
        "failed",
        "fail",
        "ajourne",
        "ajournee",
        "non admis",
        "non admise",
        "refuse",
    ),
}.items():
    for _word in _words:
        OUTCOMES[_word] = _outcome

SEXES = {
    "f": "F",
    "femme": "F",
    "feminin": "F",
    "female": "F",
    "woman": "F",
    "w": "F",
    "fille": "F",
    "m": "M",
    "h": "M",
    "homme": "M",
    "masculin": "M",
    "male": "M",
    "man": "M",
    "garcon": "M",
}

_MAX_TEXT = 200
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YEAR = re.compile(r"^(?:vers|ne vers|nee vers|about|circa|ca|c)?\s*(\d{4})$")


class _CellError(Exception):
    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_date(value) -> date | int:
    """A date from a cell: ``date`` for a full date, ``int`` for a lone year ("vers 1985")."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    year = _YEAR.match(normalise_text(text)) if text else None
    if year:
        return int(year.group(1))
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DATE.match(text)
        if not m:
            raise _CellError("date_invalid", value=text)
        d, mo, y = (int(g) for g in m.groups())
        if len(m.group(3)) != 4:
            raise _CellError("date_two_digit_year", value=text)
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise _CellError("date_impossible", value=text) from exc


@dataclass
class Validated:
    """Clean rows (JSON-friendly dicts) and every problem found, file-level ones first."""

    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _check_year(year: int, today: date) -> None:
    if year > today.year:
        raise _CellError("birth_year_future", value=year)
    if year < 1900:
        raise _CellError("birth_year_too_old", value=year)


def _clean_cell(name: str, raw, row: dict, *, event_date: date | None, today: date) -> None:
    text = _text(raw)
    if not text:
        return
    if name in ("full_name", "family_name", "given_names", "organisation", "unit", "rank"):
        if len(text) > _MAX_TEXT:
            raise _CellError("value_too_long", limit=_MAX_TEXT)
        row[name] = text
    elif name == "sex":
        sex = SEXES.get(normalise_text(text))
        if sex is None:
            raise _CellError("sex_invalid", value=text)
        row["sex"] = sex
    elif name == "birth_date":
        parsed = parse_date(raw)
        if isinstance(parsed, int):
            _check_year(parsed, today)
            row["birth_year"] = parsed
            return
        shown = parsed.strftime("%d/%m/%Y")
        if parsed > today:
            raise _CellError("birth_date_future", value=shown)
        if parsed.year < 1900:
            raise _CellError("birth_date_too_old", value=shown)
        if event_date and parsed > event_date:
            raise _CellError("birth_date_after_event", value=shown)
        row["birth_date"] = parsed.isoformat()
        row["birth_year"] = parsed.year
    elif name == "birth_year":
        if not re.fullmatch(r"\d{4}", text):
            raise _CellError("birth_year_invalid", value=text)
        year = int(text)
        _check_year(year, today)
        row.setdefault("birth_year", year)
    elif name == "age":
        try:
            age = int(Decimal(text.replace(",", ".")))
        except InvalidOperation as exc:
            raise _CellError("age_invalid", value=text) from exc
        if not 5 <= age <= 100:
            raise _CellError("age_invalid", value=text)
        row.setdefault("birth_year", (event_date or today).year - age)
    elif name == "outcome":
        outcome = OUTCOMES.get(normalise_text(text))
        if outcome is None:
            raise _CellError("outcome_invalid", value=text)
        row["outcome"] = outcome
    elif name == "score":
        try:
            score = Decimal(text.replace(",", ".").rstrip("%").strip())
        except InvalidOperation as exc:
            raise _CellError("score_invalid", value=text) from exc
        if not score.is_finite() or not 0 <= score <= 100:
            raise _CellError("score_invalid", value=text)
        row["score"] = str(score.quantize(Decimal("0.01")))
    elif name in IDENTIFIER_FIELDS:
        error = identifier_error(name, text)
        if error is not None:
            raise _CellError(error.code, value=text)
        row.setdefault("identifiers", {})[name] = normalise_identifier(name, text)


def validate_table(
    table: Table,
    mapping: dict[int, str | None],
    *,
    event_date: date | None = None,
    today: date | None = None,
    default_outcome: str = "attended",
) -> Validated:
    """Validate every row of ``table`` with the column ``mapping`` (index -> field).

    A row needs a name: the full-name cell, or the family and given names when the file has
    separate columns (a file may mix both layouts, row by row). Problems carry the spreadsheet
    row number and the column header as written, so the trainer finds the cell at once.
    """
    today = today or date.today()
    result = Validated()
    used = {i: f for i, f in mapping.items() if f and f != IGNORE}
    fields = set(used.values())
    if "full_name" not in fields and "family_name" not in fields:
        result.problems.append(Problem("file_no_name_column"))
        return result
    header = {i: table.headers[i] or f"#{i + 1}" for i in used}
    by_field = {f: i for i, f in used.items()}
    split = ["family_name"] + (["given_names"] if "given_names" in fields else [])
    for number, cells in table.rows:
        row: dict = {"row": number}
        for i, name in used.items():
            try:
                _clean_cell(name, cells[i], row, event_date=event_date, today=today)
            except _CellError as exc:
                result.problems.append(Problem(exc.code, exc.params, number, header[i]))
        # A row needs its whole name in one cell, or family and given names in theirs.
        if row.get("full_name"):
            required = []
        elif "family_name" in fields and any(row.get(f) for f in split):
            required = split
        else:
            required = ["full_name"] if "full_name" in fields else split
        for name in required:
            column = header[by_field[name]]
            if not row.get(name) and not _has_problem(result.problems, number, column):
                result.problems.append(Problem("required", {"field": name}, number, column))
        row.setdefault("outcome", default_outcome)
        result.rows.append(row)
    return result


def _has_problem(problems: list[Problem], number: int, column: str) -> bool:
    return any(p.row == number and p.column == column for p in problems[-20:])
