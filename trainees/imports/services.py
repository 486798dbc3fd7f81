"""Roster import services: upload, column mapping, preview (analyse) and confirm.

The preview validates every row and matches the valid ones, so the trainer sees row by row
what will happen before anything is written. Confirm then re-matches against the registry
as it is at that moment, inside one transaction holding the import lock, and writes people,
identifiers, participations (with their statements), match decisions and review pairs, or
nothing. Two imports confirmed at once are serialised by the lock, so an overlapping roster
links to the people the other one just created instead of creating them twice.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from trainees.matching import match_batch
from trainees.matching.explain import weights_of
from trainees.models import MatchDecision, Participation, Person

from .columns import IGNORE, REPEATABLE_FIELDS, recognise
from .events import new_event_create, new_event_existing
from .mappings import mapping_remember, remembered_mappings, roster_import_office
from .models import ImportStatus, RosterImport, RosterRow, RowAction
from .parsing import FileProblem, read_table
from .problems import WARNING, Problem
from .registry import registry_index_for, row_match_keys, row_record
from .validation import validate_table
from .warm import registry_index_warm

__all__ = [
    "RosterImportError",
    "roster_import_analyse",
    "roster_import_confirm",
    "roster_import_confirm_failed",
    "roster_import_confirm_request",
    "roster_import_create",
    "roster_import_map",
]

#: Outcomes by strength: when one person is on a roster twice, the strongest result stands.
OUTCOME_RANK = {"attended": 1, "failed": 2, "completed": 3, "passed": 4}
_LOCK_KEY = 5_120_173  # pg_advisory_xact_lock key shared by every registry-writing import
_PROGRESS_EVERY = 500
_SQLITE_RETRIES = 60


class RosterImportError(Exception):
    """A confirm that cannot proceed (wrong status); the message is for the trainer."""


def registry_lock() -> None:
    """Serialise registry writes that create people from names (imports, merges).

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback. SQLite:
    transactions already start IMMEDIATE (settings), which takes the write lock at once.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def roster_import_create(
    *,
    event=None,
    new_event: dict | None = None,
    file_name: str,
    data: bytes,
    user,
    default_outcome: str = "attended",
    enqueue=True,
) -> RosterImport:
    """Store an uploaded roster and queue its preview (run in the background).

    The roster goes into ``event``, or into the event ``new_event`` describes (checked by
    :func:`.events.new_event_check`), which the confirm creates.
    """
    if (event is None) == (not new_event):
        raise ValueError("Give either an event or the description of a new one.")
    roster_import = RosterImport.objects.create(
        event=event,
        new_event=new_event or {},
        file_name=(file_name or "roster")[:255],
        file_hash=hashlib.sha256(data).hexdigest(),
        file_data=data,
        default_outcome=default_outcome,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if enqueue:
        _enqueue(roster_import)
    return roster_import


def _enqueue(roster_import: RosterImport) -> None:
    from .tasks import roster_import_analyse_task

    pk = roster_import.pk
    transaction.on_commit(lambda: roster_import_analyse_task.enqueue(import_id=pk))


def roster_import_map(
    *, roster_import: RosterImport, mapping: dict[int, str], user=None, enqueue=True
) -> RosterImport:
    """Record what each column holds (``IGNORE`` to leave it out) and preview again.

    What the trainer said is remembered for the import's field office, so the next roster
    from that office with the same headers maps itself.
    """
    if roster_import.status in (
        ImportStatus.CONFIRMED,
        ImportStatus.UNCHANGED,
        ImportStatus.CONFIRMING,
    ):
        raise RosterImportError("confirmed")
    mapping_remember(
        office_id=roster_import_office(roster_import),
        headers=roster_import.headers,
        mapping=mapping,
        user=user,
    )
    roster_import.mapping = {str(i): f for i, f in mapping.items()}
    roster_import.status = ImportStatus.QUEUED
    roster_import.progress_done = 0
    roster_import.save(update_fields=["mapping", "status", "progress_done"])
    if enqueue:
        _enqueue(roster_import)
    return roster_import


def _progress(roster_import: RosterImport, done: int, total: int, status=None) -> None:
    roster_import.progress_done, roster_import.progress_total = done, total
    fields = {"progress_done": done, "progress_total": total}
    if status:
        roster_import.status = fields["status"] = status
    RosterImport.objects.filter(pk=roster_import.pk).update(**fields)


def _finish(roster_import: RosterImport, status: str, problems: list[Problem], summary=None):
    roster_import.status = status
    roster_import.problems = [p.to_dict() for p in problems]
    if summary is None:  # kept: how many columns mapped themselves (the import's figures)
        summary = {k: v for k, v in (roster_import.summary or {}).items() if k == "auto_mapped"}
    roster_import.summary = summary
    roster_import.save(
        update_fields=["status", "problems", "summary", "headers", "mapping", "progress_done"]
    )
    return roster_import


def roster_import_analyse(*, roster_import: RosterImport) -> RosterImport:
    """Read, validate and match the file; store the row-by-row preview.

    Never raises on a bad file: the outcome is a status (``mapping``, ``invalid``, ``ready``)
    with problems by row and column.
    """
    _progress(roster_import, 0, 0, ImportStatus.ANALYSING)
    RosterRow.objects.filter(roster_import=roster_import).delete()
    try:
        table = read_table(bytes(roster_import.file_data), roster_import.file_name)
    except FileProblem as exc:
        return _finish(roster_import, ImportStatus.INVALID, [exc.problem])
    total = len(table.rows)
    _progress(roster_import, 0, total * 2)
    roster_import.headers = table.headers
    if roster_import.mapping:
        mapping = {int(i): f for i, f in roster_import.mapping.items()}
        for i in range(len(table.headers)):
            mapping.setdefault(i, IGNORE)
    else:
        remembered = remembered_mappings(office_id=roster_import_office(roster_import))
        mapping = recognise(table.headers, remembered)
        roster_import.mapping = {str(i): f for i, f in mapping.items() if f}
        roster_import.summary = {"auto_mapped": _auto_count(table.headers, mapping)}
    unknown = [table.headers[i] for i, f in sorted(mapping.items()) if f is None]
    if unknown:
        problem = Problem("file_columns_unknown", {"columns": ", ".join(unknown)})
        return _finish(roster_import, ImportStatus.MAPPING, [problem])
    repeated = _repeated(mapping, table.headers)
    if repeated:
        return _finish(roster_import, ImportStatus.MAPPING, repeated)

    event = roster_import.event
    event_date = (
        event.end_date
        if event is not None
        else date.fromisoformat(roster_import.new_event["end_date"])
    )
    validated = validate_table(
        table,
        mapping,
        event_date=event_date,
        today=timezone.localdate(),
        default_outcome=roster_import.default_outcome,
    )
    _progress(roster_import, total, total * 2)
    if validated.file_errors:
        return _finish(roster_import, ImportStatus.INVALID, validated.problems)
    # Only rows without a name are left out; a warning leaves its cell empty, nothing more.
    bad_rows = validated.rows_left_out
    good = [row for row in validated.rows if row["row"] not in bad_rows]
    version = registry_version()
    plan, within = _plan(good)
    objs = []
    for row in validated.rows:
        number = row["row"]
        item = plan.get(number, {})
        name_key, birth_year = row_match_keys(row) if number not in bad_rows else ("", None)
        objs.append(
            RosterRow(
                roster_import=roster_import,
                row_number=number,
                values=row,
                name_key=name_key,
                birth_year=birth_year,
                action=RowAction.ERROR if number in bad_rows else item["action"],
                group=item.get("group", 0),
                same_as_row=item.get("same_as_row"),
                candidate_id=item.get("candidate"),
                score=item.get("score"),
                reasons=item.get("reasons", []),
                candidates=item.get("candidates", []),
            )
        )
    for start in range(0, len(objs), _PROGRESS_EVERY):
        RosterRow.objects.bulk_create(objs[start : start + _PROGRESS_EVERY])
        _progress(roster_import, total + min(total, start + _PROGRESS_EVERY), total * 2)
    summary = {
        **{k: v for k, v in (roster_import.summary or {}).items() if k == "auto_mapped"},
        **_summary(objs),
    }
    summary["registry_version"] = version
    summary["within_pairs"] = within
    summary["model_version"] = _model_version()
    summary["warnings"] = sum(1 for p in validated.problems if not p.is_error)
    summary["left_out"] = len(bad_rows)
    status = ImportStatus.READY if good else ImportStatus.INVALID
    roster_import.progress_done = total * 2
    if event is None:
        event = new_event_existing(spec=roster_import.new_event, file_hash=roster_import.file_hash)
    already = RosterImport.objects.filter(
        event=event, file_hash=roster_import.file_hash, status=ImportStatus.CONFIRMED
    ).first()
    if already is not None:
        summary["already_imported"] = str(already.public_id)
    problems = list(validated.problems)
    if event is not None:
        problems[:0] = _same_file_confirming(roster_import, event, summary)
    return _finish(roster_import, status, problems, summary)


def _same_file_confirming(roster_import: RosterImport, event, summary: dict) -> list[Problem]:
    """The same file uploaded again while its confirm runs: this import will change nothing
    once that one is written. If that confirm stalled (its worker died, nothing written),
    this one is the import that writes the file."""
    from .selectors import roster_import_confirm_stall

    running = RosterImport.objects.filter(
        event=event, file_hash=roster_import.file_hash, status=ImportStatus.CONFIRMING
    ).exclude(pk=roster_import.pk)
    if not running.exists():
        return []
    if all(
        roster_import_confirm_stall(roster_import=other) for other in running.defer("file_data")
    ):
        summary["confirm_stalled"] = True
        return [Problem("confirm_stalled_same_file", level=WARNING)]
    summary["confirm_running"] = True
    return [Problem("confirm_running", level=WARNING)]


def _auto_count(headers: list[str], mapping: dict[int, str | None]) -> list[int]:
    """``[columns with a header, of which mapped without the trainer]`` for the figures."""
    named = [i for i, h in enumerate(headers) if str(h or "").strip()]
    return [len(named), sum(1 for i in named if mapping.get(i))]


def _repeated(mapping: dict[int, str | None], headers: list[str]) -> list[Problem]:
    by_field: dict[str, list[str]] = {}
    for i, f in sorted(mapping.items()):
        if f and f not in REPEATABLE_FIELDS:
            by_field.setdefault(f, []).append(headers[i] or f"#{i + 1}")
    return [
        Problem("file_column_twice", {"field": f, "columns": ", ".join(cols)})
        for f, cols in by_field.items()
        if len(cols) > 1
    ]


@dataclass
class _Group:
    """Rows of the file that are one person, and what to do with that person."""

    rows: list[int]  # positions in the list of valid rows
    outcome: str  # link / review / new
    person: int | None = None
    candidates: list[int] = field(default_factory=list)
    reasons: list[dict] = field(default_factory=list)


@dataclass
class _Plan:
    groups: list[_Group]
    scores: list[float]
    reasons: list[list[dict]]  # per row, group reasons first
    #: (group, group, probability, reasons): two groups of the file that may be one person
    within: list[tuple[int, int, float, list]] = field(default_factory=list)
    model_version: str = ""
    weights: list[dict] = field(default_factory=list)  # per row


def _match(rows: list[dict], *, build: bool = True) -> _Plan:
    """Match valid rows against the registry and against each other.

    The index is the whole registry's, kept warm in the process between imports; when it is
    not built yet and ``build`` is false (a confirm re-matching in a web process), the partial
    index of the people the rows can meet. Both decide alike (tested).
    """
    from trainees.services.linkage import linkage_model_current

    if not rows:
        return _Plan([], [], [])
    model, _row = linkage_model_current()
    records = [row_record(r, i) for i, r in enumerate(rows)]
    with registry_index_warm(build=build) as warm:
        index = warm if warm is not None else registry_index_for(records, model=model)
        result = match_batch(records, index, model=model)
        _explain_left_out(result.decisions, records, index)
    from trainees.matching import render

    groups, reasons = [], [[] for _ in rows]
    for group in result.groups:
        if group.outcome == "review":
            candidates = list(group.candidates)
        else:  # a link keeps the other registry people it reached, to be queued
            candidates = [c for c in group.candidates if c != group.person]
        # The engine numbers rows by position; the preview shows the file's row numbers.
        group_reasons = [
            render(
                "batch_duplicate",
                {"count": len(group.rows), "rows": [rows[i]["row"] for i in group.rows]},
            )
            if r["code"] == "batch_duplicate"
            else r
            for r in group.reasons
        ]
        groups.append(
            _Group(list(group.rows), group.outcome, group.person, candidates, group_reasons)
        )
        for i in group.rows:
            reasons[i] = group_reasons + list(result.decisions[i].reasons)
    within = [(gi, gj, d.score, list(d.reasons)) for gi, gj, d in result.review_pairs]
    return _Plan(
        groups,
        [d.score for d in result.decisions],
        reasons,
        within,
        model.version,
        [d.weights for d in result.decisions],
    )


def _explain_left_out(decisions: list, records: list, index) -> None:
    """Say "best score below the review threshold", as the whole registry would, for a row
    whose only namesakes were left out of the partial index (born years apart): "no one
    shares a name" would be untrue."""
    from dataclasses import replace

    from trainees.matching import Thresholds, prepare, render
    from trainees.matching.block import query_keys

    below = render("below_review_threshold", {"score": 0.0, "threshold": Thresholds().review})
    for i, d in enumerate(decisions):
        if "no_candidate" not in d.codes:
            continue
        p = prepare(records[i])
        if query_keys(p, scan=False) & index.shared_keys:
            # The partial index holds the registry-wide count of each row's name.
            namesakes = index.name_count(p)
            born = p.birth_date is not None or p.birth_year is not None
            said = (
                [render("namesakes", {"count": namesakes, **({"born": True} if born else {})})]
                if namesakes
                else []
            )
            reasons = []
            for r in d.reasons:
                reasons.extend([*said, below] if r["code"] == "no_candidate" else [r])
            decisions[i] = replace(d, reasons=reasons)


def _plan(rows: list[dict]) -> tuple[dict[int, dict], list]:
    """Row number -> what the preview says will happen to it; and the doubtful pairs inside
    the file, as ``[first row number, first row number, probability, reasons]``."""
    plan = _match(rows)
    out: dict[int, dict] = {}
    for g, group in enumerate(plan.groups):
        first = rows[group.rows[0]]["row"]
        for position, i in enumerate(group.rows):
            item = {"group": g, "score": plan.scores[i], "reasons": plan.reasons[i]}
            item["candidate"] = (
                group.person
                if group.outcome == "link"
                else (group.candidates[0] if group.candidates else None)
            )
            if position:
                item.update(action=RowAction.SAME, same_as_row=first)
            else:
                item.update(action=group.outcome, candidates=group.candidates)
            out[rows[i]["row"]] = item
    firsts = [rows[g.rows[0]]["row"] for g in plan.groups]
    within = [[firsts[gi], firsts[gj], score, reasons] for gi, gj, score, reasons in plan.within]
    return out, within


def _stored_plan(rows: list[RosterRow], within: list) -> _Plan:
    """The preview's plan, read back from its rows (valid while the registry is unchanged)."""
    by_group: dict[int, _Group] = {}
    for i, row in enumerate(rows):
        group = by_group.get(row.group)
        if group is None:
            outcome = row.action
            group = by_group[row.group] = _Group(
                [],
                outcome,
                row.candidate_id if outcome == "link" else None,
                list(row.candidates),
            )
        group.rows.append(i)
    order = sorted(by_group)
    group_of_row = {rows[by_group[g].rows[0]].row_number: k for k, g in enumerate(order)}
    pairs = [
        (group_of_row[a], group_of_row[b], score, reasons)
        for a, b, score, reasons in within
        if a in group_of_row and b in group_of_row
    ]
    return _Plan(
        [by_group[g] for g in order],
        [row.score or 0.0 for row in rows],
        [list(row.reasons) for row in rows],
        pairs,
    )


def registry_version() -> list:
    """A cheap fingerprint of the registry: when it is unchanged between preview and
    confirm, the preview's matching still holds and need not be done again."""
    from django.db.models import Count, Max

    from trainees.models import Identifier

    people = Person.objects.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
    ids = Identifier.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return [people["n"], people["top"], str(people["changed"]), ids["n"], ids["top"]]


def _summary(rows: list[RosterRow]) -> dict:
    counts = {a.value: 0 for a in RowAction}
    for row in rows:
        counts[row.action] += 1
    counts["rows"] = len(rows)
    counts["people"] = counts["new"] + counts["link"] + counts["review"]
    return counts


# ---------------------------------------------------------------------------------------------
# Confirm
# ---------------------------------------------------------------------------------------------


def roster_import_confirm_request(
    *, roster_import: RosterImport, user, enqueue: bool = True
) -> RosterImport:
    """Mark a ready import as being confirmed and queue the confirm in the background.

    A 10,000-row roster takes longer to write than a web request may last; the page follows
    the task's progress instead. Asking twice (a double click, a second tab) is refused with
    the import's status: only one confirm runs. A confirm that stalled (its worker died:
    :func:`.selectors.roster_import_confirm_stall`) wrote nothing and may be asked for
    again: the new attempt gets a new id, and a task of the old one writes nothing.
    """
    from .selectors import roster_import_confirm_stall

    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        stalled = roster_import_confirm_stall(roster_import=locked)
        if locked.status != ImportStatus.READY and stalled is None:
            raise RosterImportError(locked.status)
        attempt = uuid.uuid4()
        locked.status = ImportStatus.CONFIRMING
        locked.progress_done, locked.progress_total = 0, 100
        locked.problems = [p for p in locked.problems if p.get("code") != "confirm_failed"]
        locked.confirm_attempt, locked.confirm_task_id = attempt, ""
        locked.heartbeat_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "progress_done",
                "progress_total",
                "problems",
                "confirm_attempt",
                "confirm_task_id",
                "heartbeat_at",
            ]
        )
        if enqueue:
            pk = locked.pk
            user_id = user.pk if getattr(user, "is_authenticated", False) else None
            transaction.on_commit(lambda: _confirm_enqueue(pk, user_id, attempt))
    return locked


def _confirm_enqueue(pk: int, user_id: int | None, attempt: uuid.UUID) -> None:
    """Queue the confirm and keep its task id, whose row in the queue says if it ended."""
    from .tasks import roster_import_confirm_task

    result = roster_import_confirm_task.enqueue(import_id=pk, user_id=user_id, attempt=str(attempt))
    RosterImport.objects.filter(pk=pk, confirm_attempt=attempt).update(
        confirm_task_id=str(result.id)[:64]
    )


def roster_import_confirm_failed(*, import_id: int, attempt: str | None = None) -> None:
    """After a confirm task failed (its transaction rolled back whole): the import is ready
    again, with a message saying nothing was written. A failed task of an attempt that was
    replaced since leaves the new attempt alone."""
    problem = Problem("confirm_failed").to_dict()
    rows = RosterImport.objects.filter(pk=import_id, status=ImportStatus.CONFIRMING)
    if attempt is not None:
        rows = rows.filter(confirm_attempt=attempt)
    roster_import = rows.first()
    if roster_import is not None:
        roster_import.status = ImportStatus.READY
        roster_import.problems = [problem, *roster_import.problems]
        roster_import.save(update_fields=["status", "problems"])


class _Progress:
    """Progress of a confirm, visible to the page while the confirm's transaction is open.

    The rows are written in one transaction, so an update through the same connection would
    only be seen at commit. On PostgreSQL the progress goes through a second connection of
    its own (autocommit); SQLite has one writer at a time, so there the page sees the bar
    jump at the end.
    """

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.side = connection.copy() if connection.vendor == "postgresql" else None

    def __call__(self, percent: int) -> None:
        if self.side is None:
            return
        try:
            with self.side.cursor() as cursor:
                cursor.execute("SET lock_timeout = 1000")
                # SKIP LOCKED: never wait for the confirm's own transaction (a deadlock
                # between two connections of one thread that PostgreSQL cannot see).
                cursor.execute(
                    "UPDATE trainees_rosterimport SET progress_done = %s, progress_total = 100, "
                    "heartbeat_at = now() "
                    "WHERE id IN (SELECT id FROM trainees_rosterimport WHERE id = %s AND "
                    "status = %s FOR NO KEY UPDATE SKIP LOCKED)",
                    [int(percent), self.pk, ImportStatus.CONFIRMING],
                )
        except Exception:  # a progress bar never fails an import
            self.close()

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def roster_import_confirm(
    *, roster_import: RosterImport, user, attempt: str | None = None
) -> RosterImport:
    """Write the import in one transaction, or nothing.

    ``attempt`` (the background task's): refused with ``RosterImportError("superseded")``
    when the trainer has asked for the confirm again since (the import's current attempt is
    another), checked under the registry lock, so an old task never writes after a new one.

    Re-importing a file already imported into the same event changes nothing (status
    ``unchanged``). Rows are matched again under the registry lock, so what is written is
    right even if the registry changed since the preview. Called by the background task
    (status ``confirming``) or directly (status ``ready``: the command line, tests).
    """
    for retry in range(_SQLITE_RETRIES):
        try:
            return _confirm(roster_import, user, attempt)
        except OperationalError as exc:
            # SQLite answers "locked" instead of waiting when another connection writes in
            # shared-cache mode; the transaction was rolled back whole, so try it again.
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(min(0.05 * (retry + 1), 0.5))
    return _confirm(roster_import, user, attempt)


def _confirm(roster_import: RosterImport, user, attempt: str | None) -> RosterImport:
    progress = _Progress(roster_import.pk)
    try:
        return _confirm_locked(roster_import, user, progress, attempt)
    finally:
        progress.close()


def _confirm_locked(
    roster_import: RosterImport, user, progress: _Progress, attempt: str | None = None
) -> RosterImport:
    with transaction.atomic():
        registry_lock()
        # No row lock on the import: the registry lock already serialises confirms, and the
        # progress is written to this row by a second connection while the transaction runs
        # (a row lock would make it wait for the commit, and the commit wait for it). The
        # row is written once, at the end.
        roster_import = RosterImport.objects.get(pk=roster_import.pk)
        if roster_import.status not in (ImportStatus.READY, ImportStatus.CONFIRMING):
            raise RosterImportError(roster_import.status)
        if attempt is not None and str(roster_import.confirm_attempt) != str(attempt):
            raise RosterImportError("superseded")
        if roster_import.event_id is None:
            # The event is created here, with the rows, or not at all; the same file for
            # the same new event again finds the event the first confirm created.
            spec = roster_import.new_event
            roster_import.event = new_event_existing(
                spec=spec, file_hash=roster_import.file_hash
            ) or new_event_create(spec=spec, user=user)
        already = RosterImport.objects.filter(
            event_id=roster_import.event_id,
            file_hash=roster_import.file_hash,
            status=ImportStatus.CONFIRMED,
        ).first()
        now = timezone.now()
        roster_import.confirmed_by = user if getattr(user, "is_authenticated", False) else None
        roster_import.confirmed_at = now
        if already is not None:
            roster_import.status = ImportStatus.UNCHANGED
            roster_import.summary = {
                **roster_import.summary,
                "already_imported": str(already.public_id),
            }
            return _confirmed_save(roster_import)
        rows = list(roster_import.rows.exclude(action=RowAction.ERROR).order_by("row_number"))
        summary = _write(roster_import, rows, user, progress)
        for key in ("auto_mapped", "warnings", "left_out"):
            if key in roster_import.summary:
                summary[key] = roster_import.summary[key]
        roster_import.status = ImportStatus.CONFIRMED
        roster_import.summary = summary
        return _confirmed_save(roster_import)


def _confirmed_save(roster_import: RosterImport) -> RosterImport:
    roster_import.progress_done = roster_import.progress_total = 100
    fields = ["event", "status", "summary", "confirmed_by", "confirmed_at"]
    roster_import.save(update_fields=[*fields, "progress_done", "progress_total"])
    return roster_import


def _person_fields(values: dict) -> dict:
    given, family = values.get("given_names") or "", values.get("family_name") or ""
    if not (given or family):
        # One full-name column: split by the validator (flagged when unsure); matching
        # itself compares the whole name in any order.
        given, family = values.get("split_given") or "", values.get("split_family") or ""
        if not (given or family):
            family = values.get("full_name") or ""
    birth = values.get("birth_date")
    return {
        "residence": (values.get("residence") or "")[:200],
        "given_names": given[:200],
        "family_name": family[:200],
        "sex": values.get("sex") or "",
        "birth_date": date.fromisoformat(birth) if birth else None,
        "birth_year": values.get("birth_year"),
    }


def _richest(values: list[dict]) -> dict:
    def weight(v: dict) -> tuple:
        return (
            bool(v.get("birth_date")),
            bool(v.get("birth_year")),
            bool(v.get("given_names")),
            bool(v.get("sex")),
            len(v.get("identifiers") or {}),
        )

    return max(values, key=weight)


def _people_create(fields: list[dict]) -> list[Person]:
    """New people in one insert, with the same normalised names as ``person_create``."""
    from trainees.services import person_names_normalised

    people = [
        Person(
            **f,
            **person_names_normalised(given_names=f["given_names"], family_name=f["family_name"]),
        )
        for f in fields
    ]
    return Person.objects.bulk_create(people, batch_size=500)


def _identifiers_write(wanted: list[tuple[Person, str, str]]) -> int:
    """Add each (person, type, value) unless the person has it, or (a strong identifier)
    someone else holds it: the engine sent such rows to review. Returns how many were left
    out. The unique constraint still guards against any writer outside the registry lock."""
    from trainees.models import Identifier, IdentifierType

    values = {(t, v) for _p, t, v in wanted}
    held: dict[tuple[str, str], set[int]] = {}
    by_type: dict[str, list[str]] = {}
    for t, v in values:
        by_type.setdefault(t, []).append(v)
    for id_type, vals in by_type.items():
        for start in range(0, len(vals), 900):
            for person_id, value in Identifier.objects.filter(
                type=id_type, value_normalised__in=vals[start : start + 900]
            ).values_list("person_id", "value_normalised"):
                held.setdefault((id_type, value), set()).add(person_id)
    new, skipped = [], 0
    for person, id_type, value in wanted:
        holders = held.setdefault((id_type, value), set())
        if person.pk in holders:
            continue
        if holders and id_type != IdentifierType.PHONE:
            skipped += 1
            continue
        holders.add(person.pk)
        country = value.split(":", 1)[0] if id_type == IdentifierType.NATIONAL_ID else ""
        new.append(Identifier(person=person, type=id_type, value_normalised=value, country=country))
    Identifier.objects.bulk_create(new, batch_size=500)
    return skipped


def _residences_fill(plan: _Plan, people: list[Person], values: list[dict]) -> None:
    """A linked person without a residence takes the one the roster gives (never
    overwritten: people move, and the participation keeps the day's details)."""
    changed = []
    for group, person in zip(plan.groups, people, strict=True):
        if group.outcome != "link" or person.residence:
            continue
        residence = next(
            (values[i].get("residence") for i in group.rows if values[i].get("residence")), ""
        )
        if residence:
            person.residence = residence[:200]
            changed.append(person)
    Person.objects.bulk_update(changed, ["residence"], batch_size=500)


def _write(roster_import: RosterImport, rows: list[RosterRow], user, progress) -> dict:
    from trainees.review.models import PairSource, ReviewPair

    event = roster_import.event
    values = [r.values for r in rows]
    from trainees.services.linkage import linkage_model_current

    model, model_row = linkage_model_current()
    fresh = roster_import.summary.get("registry_version") != registry_version()
    # Trained again since the preview: decide with the model that is current now.
    fresh = fresh or roster_import.summary.get("model_version", model.version) != model.version
    if fresh:
        plan = _match(values, build=False)
    else:
        plan = _stored_plan(rows, roster_import.summary.get("within_pairs") or [])
    progress(30)
    counts = {"rows": len(rows), "new": 0, "link": 0, "review": 0, "same": 0}
    counts.update(participations=0, participations_existing=0, rematched=fresh)

    linked = Person.objects.in_bulk([g.person for g in plan.groups if g.outcome == "link"])
    created = iter(
        _people_create(
            [
                _person_fields(_richest([values[i] for i in g.rows]))
                for g in plan.groups
                if g.outcome != "link"
            ]
        )
    )
    people = [linked[g.person] if g.outcome == "link" else next(created) for g in plan.groups]
    progress(45)
    _residences_fill(plan, people, values)

    wanted, pairs, decisions = [], [], []
    for group, person in zip(plan.groups, people, strict=True):
        counts[group.outcome] += 1
        counts["same"] += len(group.rows) - 1
        for i in group.rows:
            for id_type, value in sorted((values[i].get("identifiers") or {}).items()):
                for one in value if isinstance(value, list) else [value]:
                    wanted.append((person, id_type, one))
        for candidate in group.candidates:
            if candidate != person.pk:
                a, b = sorted((person.pk, candidate))
                pairs.append(
                    ReviewPair(
                        person_a_id=a,
                        person_b_id=b,
                        score=plan.scores[group.rows[0]],
                        reasons=plan.reasons[group.rows[0]],
                        source=PairSource.IMPORT,
                        roster_import=roster_import,
                        model_version=model_row,
                    )
                )
    for gi, gj, score, reasons in plan.within:
        a, b = sorted((people[gi].pk, people[gj].pk))
        if a != b:
            pairs.append(
                ReviewPair(
                    person_a_id=a,
                    person_b_id=b,
                    score=score,
                    reasons=reasons,
                    source=PairSource.IMPORT,
                    roster_import=roster_import,
                    model_version=model_row,
                )
            )
    counts["identifiers_skipped"] = _identifiers_write(wanted)
    ReviewPair.objects.bulk_create(pairs, batch_size=500, ignore_conflicts=True)
    progress(55)
    new_participations = _participations_write(roster_import, event, plan, people, values, user)
    progress(75)
    counts["participations"] = len(new_participations)
    counts["participations_existing"] = len(plan.groups) - len(new_participations)

    for group, person in zip(plan.groups, people, strict=True):
        first = rows[group.rows[0]].row_number
        candidate = (
            group.person
            if group.outcome == "link"
            else (group.candidates[0] if group.candidates else None)
        )
        for position, i in enumerate(group.rows):
            row = rows[i]
            row.person = person
            row.action = RowAction.SAME if position else group.outcome
            row.same_as_row = first if position else None
            row.candidate_id = candidate
            row.candidates = [] if position else group.candidates
            row.score, row.reasons = plan.scores[i], plan.reasons[i]
            row.participation_created = not position and person.pk in new_participations
            decisions.append(
                MatchDecision(
                    subject_kind=MatchDecision.SubjectKind.ROSTER_ROW,
                    subject_ref=f"{roster_import.public_id}:{row.row_number}",
                    person=person,
                    candidate_id=candidate,
                    outcome=group.outcome,
                    score=row.score,
                    reasons=row.reasons,
                    model_version=model_row,
                    model_label=model.version,
                    weights=weights_of(row.reasons),
                )
            )
    # Rewriting the rows is much faster than bulk_update's CASE expressions at 20,000 rows;
    # nothing refers to them, and their primary keys are kept.
    # Rows left out (no name) stay as they are, with their error.
    RosterRow.objects.filter(roster_import=roster_import).exclude(action=RowAction.ERROR).delete()
    for start in range(0, len(rows), _PROGRESS_EVERY * 4):
        RosterRow.objects.bulk_create(rows[start : start + _PROGRESS_EVERY * 4], batch_size=500)
        progress(75 + 20 * min(len(rows), start + _PROGRESS_EVERY * 4) // max(len(rows), 1))
    MatchDecision.objects.bulk_create(decisions, batch_size=500)
    counts["people"] = counts["new"] + counts["link"] + counts["review"]
    return counts


def _model_version() -> str:
    from trainees.services.linkage import linkage_model_current

    return linkage_model_current()[0].version


def _organisations_for(texts: set[str]) -> dict[str, object]:
    """The registry organisation each roster organisation cell names, if it names one (French
    or English name, or code); otherwise none, and the text stays on the import row."""
    from django.utils.text import slugify

    from trainees.matching import normalise_text
    from trainees.models import Organisation

    found: dict[str, object] = {}
    if not texts:
        return found
    orgs = list(Organisation.objects.order_by("pk"))
    by_key: dict[str, object] = {}
    for org in orgs:
        for key in (org.name_normalised, normalise_text(org.name_en), org.code):
            if key:
                by_key.setdefault(key, org)
    for text in texts:
        found[text] = by_key.get(normalise_text(text)) or by_key.get(slugify(text))
    return found


def _participations_write(roster_import, event, plan, people, values, user) -> set[int]:
    """One participation per person and event, its statement emitted with the others in one
    bulk insert (``participation_statement`` + ``statements_emit_many``, the registry's bulk
    path); people who already have one keep it. Returns the people given a participation."""
    from lms.xapi.emitter import statements_emit_many
    from trainees.models import Source
    from trainees.services.participations import participation_statement

    existing = set(
        Participation.objects.filter(event=event, person__in=[p.pk for p in people]).values_list(
            "person_id", flat=True
        )
    )
    organisations = _organisations_for({v["organisation"] for v in values if v.get("organisation")})
    recorder = user if getattr(user, "is_authenticated", False) else None
    new, done = [], set()
    for group, person in zip(plan.groups, people, strict=True):
        if person.pk in existing or person.pk in done:
            continue
        done.add(person.pk)
        group_values = [values[i] for i in group.rows]
        best = max(group_values, key=lambda v: OUTCOME_RANK.get(v.get("outcome"), 0))
        scores = [float(v["score"]) for v in group_values if v.get("score") is not None]
        participation = Participation(
            person=person,
            event=event,
            outcome=best.get("outcome") or roster_import.default_outcome,
            score=max(scores) if scores else None,
            date=event.end_date,
            source=Source.ROSTER,
            import_public_id=roster_import.public_id,
            source_file=roster_import.file_name[:255],
            source_row=group_values[0]["row"],
            recorded_by=recorder,
            programme_id=event.programme_id,
            kind=event.kind,
            place_id=event.place_id,
            field_office_id=event.field_office_id,
            course_public_id=event.course_public_id,
            course_title=event.course_title,
            organisation=organisations.get(best.get("organisation")),
            unit=(best.get("unit") or "")[:200],
            rank=(best.get("rank") or "")[:100],
        )
        new.append(participation)
    ids = statements_emit_many([participation_statement(p) for p in new])
    for participation, statement_id in zip(new, ids, strict=True):
        participation.statement_id = statement_id
    Participation.objects.bulk_create(new, batch_size=500)
    return done
