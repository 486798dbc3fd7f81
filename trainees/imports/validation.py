"""Turning the cells of a roster into clean values, or into problems by row and column.

Every row is validated before anything is matched or written, and every problem is kept (not
only the first), so a trainer fixes the whole file in one pass. Identifier formats come from
the matching engine, so the import and the registry agree on what a valid NINA or phone is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from trainees.matching import identifier_error, normalise_identifier, normalise_text

from .cells import (
    EARLIEST_BIRTH_YEAR,
    UNKNOWN_COUNTRY,
    CellError,
    country_code,
    is_empty_marker,
    national_id_normalise,
    phones_read,
    read_date,
)
from .columns import IDENTIFIER_FIELDS, IGNORE, header_key
from .names import looks_like_sentence, name_split
from .parsing import Table
from .problems import ERROR, WARNING, Problem

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
_NAME_FIELDS = ("full_name", "family_name", "given_names")
_ROW_FIELDS = frozenset({"row_number", "country"})  # read for other cells, never stored alone


class _CellError(CellError):
    pass


def parse_date(value, *, today: date | None = None) -> date | int:
    """A date from a cell: ``date`` for a full date, ``int`` for a lone year ("vers 1985",
    or 01/01 and 31/12, the placeholders of an unknown day)."""
    parsed, _notes = read_date(value, today=today or date.today())
    return parsed


@dataclass
class Validated:
    """Clean rows (JSON-friendly dicts) and every problem found, file-level ones first.

    A row with an error (no name) is left out; warnings leave their cell empty or flag it.
    """

    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def file_errors(self) -> list[Problem]:
        return [p for p in self.problems if p.row is None and p.is_error]

    @property
    def rows_left_out(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None and p.is_error}


def _text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _check_year(year: int, today: date) -> None:
    if year > today.year:
        raise _CellError("birth_year_future", value=year)
    if year < EARLIEST_BIRTH_YEAR:
        raise _CellError("birth_year_too_old", value=year)


class _Row:
    """One row being read: its clean values and its notes (warnings)."""

    def __init__(self, number: int) -> None:
        self.values: dict = {"row": number}
        self.notes: list[tuple[str, dict]] = []

    def note(self, code: str, **params) -> None:
        self.notes.append((code, params))


def _clean_cell(name: str, raw, row: _Row, *, event_date: date | None, today: date) -> None:
    values = row.values
    text = _text(raw)
    if not text or (name not in _NAME_FIELDS and is_empty_marker(text)):
        return
    if name in ("full_name", "family_name", "given_names"):
        if looks_like_sentence(text) or len(text) > _MAX_TEXT:
            raise _CellError("name_sentence", value=text[:80])
        values[name] = text
    elif name in ("organisation", "unit", "rank", "residence"):
        if len(text) > _MAX_TEXT:
            raise _CellError("value_too_long", limit=_MAX_TEXT)
        if name == "residence" and values.get("residence"):
            # Several residence columns: the parts in column order, as one place.
            text = f"{values['residence']}, {text}"[:_MAX_TEXT]
        values[name] = text
    elif name == "sex":
        sex = SEXES.get(normalise_text(text))
        if sex is None:
            raise _CellError("sex_invalid", value=text)
        values["sex"] = sex
    elif name == "birth_date":
        parsed, notes = read_date(raw, today=today)
        if isinstance(parsed, int):
            _check_year(parsed, today)
            values["birth_year"] = parsed
            row.notes.extend(notes)
            return
        shown = parsed.strftime("%d/%m/%Y")
        if parsed > today:
            raise _CellError("birth_date_future", value=shown)
        if parsed.year < EARLIEST_BIRTH_YEAR:
            # Not recorded (no trainee is that old), but compared when matching: most often
            # one digit mistyped (1908 for 1998), which the birth comparison tolerates.
            values["birth_date_typed"] = parsed.isoformat()
            raise _CellError("birth_date_too_old", value=shown)
        if event_date and parsed > event_date:
            raise _CellError("birth_date_after_event", value=shown)
        row.notes.extend(notes)
        values["birth_date"] = parsed.isoformat()
        values["birth_year"] = parsed.year
    elif name == "birth_year":
        parsed, notes = read_date(raw, today=today)
        year = parsed if isinstance(parsed, int) else parsed.year
        if not isinstance(parsed, int) and not notes:
            values.setdefault("birth_date", parsed.isoformat())
        _check_year(year, today)
        values.setdefault("birth_year", year)
    elif name == "age":
        try:
            age = int(Decimal(text.replace(",", ".").lower().removesuffix("ans").strip()))
        except InvalidOperation as exc:
            raise _CellError("age_invalid", value=text) from exc
        if not 5 <= age <= 100:
            raise _CellError("age_invalid", value=text)
        values.setdefault("birth_year", (event_date or today).year - age)
    elif name == "outcome":
        outcome = OUTCOMES.get(normalise_text(text))
        if outcome is None:
            raise _CellError("outcome_invalid", value=text)
        values["outcome"] = outcome
    elif name == "score":
        try:
            score = Decimal(text.replace(",", ".").rstrip("%").strip())
        except InvalidOperation as exc:
            raise _CellError("score_invalid", value=text) from exc
        if not score.is_finite() or not 0 <= score <= 100:
            raise _CellError("score_invalid", value=text)
        values["score"] = str(score.quantize(Decimal("0.01")))
    elif name == "phone":
        numbers, problems = phones_read(text)
        phones = values.setdefault("identifiers", {}).setdefault("phone", [])
        phones.extend(n for n in numbers if n not in phones)
        if not phones:
            del values["identifiers"]["phone"]
            if not values["identifiers"]:
                del values["identifiers"]
        if problems:
            code, params = problems[0]
            raise _CellError(code, **params)
    elif name == "national_id":
        id_type, value, country = national_id_normalise(text, values.get("_country"))
        values.setdefault("identifiers", {})[id_type] = value
        if id_type == "national_id":
            values["national_id_country"] = country
            if country == UNKNOWN_COUNTRY:
                row.note("national_id_country_unknown", value=text)
    elif name in IDENTIFIER_FIELDS:
        error = identifier_error(name, text)
        if error is not None:
            raise _CellError(error.code, value=text)
        values.setdefault("identifiers", {})[name] = normalise_identifier(name, text)


def _name_order(header: str) -> str | None:
    """What a whole-name header says of the order: "Prénom(s) et Nom" -> given first."""
    words = header_key(header).split()
    given = next((i for i, w in enumerate(words) if w.startswith("prenom")), None)
    family = next((i for i, w in enumerate(words) if w in ("nom", "noms")), None)
    if given is None or family is None:
        return None
    return "given_first" if given < family else "family_first"


def _names_settle(row: _Row, *, order: str | None) -> str | None:
    """Check the row has a name; split a whole-name cell; flag a one-name row. Returns the
    error code when the row has no name."""
    values = row.values
    full = values.get("full_name")
    given, family = values.get("given_names"), values.get("family_name")
    if full:
        g, f, sure = name_split(full, order=order)
        values["split_given"], values["split_family"] = g, f
        if not g or not f:
            row.note("name_one", value=full)
        elif not sure:
            row.note("name_split_unsure", value=full, given=g, family=f)
        return None
    if given and family:
        return None
    if given or family:
        row.note("name_one", value=given or family)
        return None
    return "row_no_name"


def validate_table(
    table: Table,
    mapping: dict[int, str | None],
    *,
    event_date: date | None = None,
    today: date | None = None,
    default_outcome: str = "attended",
) -> Validated:
    """Validate every row of ``table`` with the column ``mapping`` (index -> field).

    Nothing a trainer cannot fix blocks the file: a cell that cannot be read is left empty
    with a warning on its row; only a row with no name at all is left out (an error on that
    row). Problems carry the spreadsheet row number and the column header as written, so
    the trainer finds the cell at once.
    """
    today = today or date.today()
    result = Validated()
    used = {i: f for i, f in mapping.items() if f and f != IGNORE}
    fields = set(used.values())
    if not fields & {"full_name", "family_name", "given_names"}:
        result.problems.append(Problem("file_no_name_column"))
        return result
    header = {i: table.headers[i] or f"#{i + 1}" for i in used}
    order = next((_name_order(table.headers[i]) for i, f in used.items() if f == "full_name"), None)
    country_col = next((i for i, f in used.items() if f == "country"), None)
    # Name columns first (a name problem decides whether the row is kept), the country
    # before the national ID it qualifies.
    ordered = sorted(
        (i for i, f in used.items() if f not in _ROW_FIELDS),
        key=lambda i: (used[i] not in ("full_name", "family_name", "given_names"), i),
    )
    filled: dict[int, int] = dict.fromkeys(ordered, 0)
    unread: dict[int, int] = dict.fromkeys(ordered, 0)
    row_problems: list[Problem] = []
    for number, cells in table.rows:
        row = _Row(number)
        problems: list[Problem] = []
        if country_col is not None and _text(cells[country_col]):
            code = country_code(_text(cells[country_col]))
            if code is None:
                problems.append(
                    Problem(
                        "country_invalid",
                        {"value": _text(cells[country_col])},
                        number,
                        header[country_col],
                        WARNING,
                    )
                )
            row.values["_country"] = code
        for i in ordered:
            if _text(cells[i]):
                filled[i] += 1
            try:
                _clean_cell(used[i], cells[i], row, event_date=event_date, today=today)
            except CellError as exc:
                unread[i] += 1
                level = ERROR if exc.code == "name_sentence" else WARNING
                problems.append(Problem(exc.code, exc.params, number, header[i], level))
            for code, params in row.notes:
                problems.append(Problem(code, params, number, header[i], WARNING))
            row.notes.clear()
        row.values.pop("_country", None)
        if not any(p.code == "name_sentence" for p in problems):
            missing = _names_settle(row, order=order)
            # The column to fill in: the empty one of family and given names.
            name_cols = [i for i in ordered if used[i] in _NAME_FIELDS]
            empty = [i for i in name_cols if not row.values.get(used[i])]
            name_col = (empty or name_cols)[0]
            for code, params in row.notes:
                problems.append(Problem(code, params, number, header[name_col], WARNING))
            if missing:
                problems.append(Problem(missing, {}, number, header[name_col], ERROR))
        row.values.setdefault("outcome", default_outcome)
        row_problems.extend(problems)
        result.rows.append(row.values)
    for i in ordered:
        if filled[i] >= 3 and unread[i] == filled[i] and used[i] not in _NAME_FIELDS:
            result.problems.append(
                Problem(
                    "column_unreadable",
                    {"column": header[i], "field": used[i]},
                    None,
                    header[i],
                    WARNING,
                )
            )
    result.problems.extend(row_problems)
    return result
