"""Storing statements (Communication 2.1.1 PUT, 2.1.2 POST; Data 2.3 immutability and
voiding).

One batch is one transaction and a handful of queries whatever its size: ids already
stored are fetched in one query, voiding targets in one, then statements and index rows
go in with bulk inserts.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from django.db import IntegrityError, connections, router, transaction

from ..hooks import StoredStatement, statements_dispatch
from ..models import (
    Statement,
    StatementActivity,
    StatementAgent,
    StatementAttachment,
    StatementClock,
    StatementRefTarget,
)
from ..models.statements import WRITE_LOCK_KEY, WRITE_SEQ_TAG, WRITE_STORED_TAG
from ..protocol import XAPIError
from ..spec import (
    XAPIValidationError,
    agent_ifi_key,
    statement_activity_id,
    statement_agent_keys,
    statement_related_activities,
    statement_related_agents,
    statements_equivalent,
    validate_statements,
)
from ..spec.formatting import context_activities_normalised
from ..spec.primitives import parse_timestamp
from ..spec.v2 import statement_timestamps_to_utc
from ..spec.validation import VOIDED_VERB
from ..spec.versions import DEFAULT_STATEMENT_VERSION, default_statement_version, is_v2
from .activities import activities_merge


@dataclass(frozen=True)
class AttachmentPayload:
    """A raw attachment part received with statements (Communication 1.5.2)."""

    content_type: str
    content: bytes


@dataclass
class StoreOutcome:
    """The ids of the batch in request order, and the statements actually inserted."""

    ids: list[uuid.UUID]
    inserted: list[StoredStatement] = field(default_factory=list)


def timestamp_format(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, the precision the spec asks timestamps to keep
    (Data 4.5.s1.b3)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_ms() -> datetime:
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def statement_store(
    *,
    statements: list[dict],
    authority: dict,
    attachments: Mapping[str, AttachmentPayload] | None = None,
    define: bool = False,
    on_conflict: Literal["error", "ignore"] = "error",
    validated: bool = False,
    path: str = "statement",
    version: str | None = None,
) -> StoreOutcome:
    """Store a batch of statements, all or nothing.

    - Data 2.4.1/2.4.8/2.4.9/2.4.10: the LRS assigns a missing id, sets ``stored``,
      replaces ``authority`` with the caller's (the LRS cannot verify a claimed one),
      defaults ``version`` to 1.0.0 and ``timestamp`` to ``stored``.
    - Communication 2.1.1.s2.b2 / 2.1.2.s2.b5: an id already stored with an equivalent
      statement (Data 2.3.1) is accepted without a second copy; a different statement
      is 409 Conflict (``on_conflict="ignore"`` keeps the stored one silently: the
      emitter's retries).
    - Data 2.3.2: a voiding statement marks its target voided; voiding a voiding
      statement is refused (400); a statement arriving after a statement that voids it
      is stored voided.
    - ``define``: the caller may update canonical Activity definitions (Communication 2.5).
    - ``version``: the request's xAPI version. In 2.0 a statement without "version" is a
      2.0.0 statement, and timestamps are stored in UTC (9274.1.1 Data 2.4.7).
    """
    if not validated:
        validate_statements(statements, path=path, version=version)
    authority_key = agent_ifi_key(authority)

    prepared: list[dict] = []
    for incoming in statements:
        # Data 2.4.6.2.s4.b3: context Activities stored as arrays, so every format
        # (exact included) returns them so without rewriting the text on each read.
        statement = dict(context_activities_normalised(incoming))
        if is_v2(version):
            statement = dict(statement_timestamps_to_utc(statement))
        statement["id"] = str(uuid.UUID(statement["id"])) if "id" in statement else None
        prepared.append(statement)
    for statement in prepared:
        if statement["id"] is None:
            statement["id"] = str(uuid.uuid4())
    ids = [uuid.UUID(statement["id"]) for statement in prepared]

    for attempt in (1, 2):
        try:
            return _store_once(
                statements,
                prepared,
                ids,
                authority=authority,
                authority_key=authority_key,
                attachments=attachments,
                define=define,
                on_conflict=on_conflict,
                path=path,
                statement_version=default_statement_version(version),
            )
        except _RaceLost:
            # Another request stored one of these ids between the check and the insert:
            # check again, now that its row is visible (equivalent -> accepted, else 409).
            if attempt == 2:
                raise XAPIError(
                    409, "a statement with one of these ids was stored at the same time; retry"
                ) from None
    raise AssertionError("unreachable")


class _RaceLost(Exception):
    pass


def _store_once(
    statements: list[dict],
    prepared: list[dict],
    ids: list[uuid.UUID],
    *,
    authority: dict,
    authority_key: str,
    attachments: Mapping[str, AttachmentPayload] | None,
    define: bool,
    on_conflict: str,
    path: str,
    statement_version: str = DEFAULT_STATEMENT_VERSION,
) -> StoreOutcome:
    """One attempt, in one transaction. Only what needs ``stored`` or ``seq`` (or must see
    every earlier write: the voiding check) runs once the write is ordered: under the write
    lock on SQLite, held to the commit, which serialises writers; registered as in flight
    on PostgreSQL, whose writers hold back readers' promises until they commit (and
    serialise only when a batch has a StatementRef). The JSON text, the index keys, the
    Activities and the attachments are made before."""
    # Part of a larger transaction (a platform event stored with the change that caused
    # it): that transaction may store a batch with a StatementRef later, so it runs alone
    # from its first write (see _write_register).
    in_larger = transaction.get_connection(router.db_for_write(Statement)).in_atomic_block
    with transaction.atomic():
        new_indexes = _conflicts_check(statements, prepared, ids, on_conflict=on_conflict)
        if not new_indexes:
            return StoreOutcome(ids=ids)
        # Copies: a second attempt (_RaceLost) starts again from the statements as sent.
        new = [dict(prepared[index]) for index in new_indexes]
        pending = _pending_prepare(
            new,
            authority=authority,
            authority_key=authority_key,
            statement_version=statement_version,
        )
        activities_merge(statements=new, define=define)
        if attachments:
            _attachments_store(new, attachments)

        # From here to the commit: the write lock (SQLite), or this write registered as
        # in flight (PostgreSQL).
        stored_at = _write_clock_take(
            alone=in_larger or any(item.row.object_statement_id is not None for item in pending)
        )
        voided_now = _voiding_check(new, new_indexes, path=path)
        rows = [item.finish(stored_at, voided_now) for item in pending]
        try:
            # No savepoint: a lost race leaves this transaction (rolled back as the error
            # leaves it) and the attempt starts again from the beginning.
            _statements_insert(rows)
        except IntegrityError as error:
            raise _RaceLost from error
        agent_rows, activity_rows = [], []
        for row, item in zip(rows, pending, strict=True):
            agent_rows.extend((row.seq, key, relation) for key, relation in item.agents)
            activity_rows.extend((row.seq, key, relation) for key, relation in item.activities)
        _index_rows_insert(StatementAgent, ("statement_id", "agent_key", "relation"), agent_rows)
        _index_rows_insert(
            StatementActivity, ("statement_id", "activity_id", "relation"), activity_rows
        )
        _ref_targets_insert(rows)
        targets = {
            row.object_statement_id
            for row in rows
            if row.is_voiding and row.object_statement_id not in voided_now
        }
        if targets:
            Statement.objects.filter(statement_id__in=targets, is_voiding=False).update(voided=True)
        inserted = [_summary(row, statement) for row, statement in zip(rows, new, strict=True)]
        # In the transaction (the forwarding outbox commits with the statements); the
        # on_commit consumers only register here and run after the commit, lock released.
        statements_dispatch(inserted)
    return StoreOutcome(ids=ids, inserted=inserted)


@dataclass
class _Pending:
    """A new statement made ready before the write lock: its row without ``stored`` and
    ``voided``, its JSON text with a placeholder where ``stored`` (and a defaulted
    ``timestamp``) go, and its index keys. ``finish`` fills them in under the lock."""

    statement: dict
    row: Statement
    raw: str
    placeholder: str
    timestamp_given: bool
    agents: list[tuple[str, str]]
    activities: list[tuple[str, str]]

    def finish(self, stored_at: datetime, voided_now: set[uuid.UUID]) -> Statement:
        stored_text = timestamp_format(stored_at)
        self.statement["stored"] = stored_text
        if not self.timestamp_given:
            self.statement["timestamp"] = stored_text
            self.row.timestamp = stored_at
        self.row.stored = stored_at
        self.row.voided = self.row.statement_id in voided_now
        self.row.raw = self.raw.replace(self.placeholder, json.dumps(stored_text))
        return self.row


def _pending_prepare(
    new: list[dict],
    *,
    authority: dict,
    authority_key: str,
    statement_version: str = DEFAULT_STATEMENT_VERSION,
) -> list[_Pending]:
    """Data 2.4.8/2.4.9/2.4.10 for each new statement (authority, version, timestamp
    defaulting to ``stored``), its JSON text and index keys, all before the write lock.
    ``stored`` is not known yet: the text carries a placeholder string, random per batch
    (so no statement can contain it), that ``_Pending.finish`` replaces. The result is the
    same text, key order included, as serialising after the lock."""
    token = f"xapi-stored-{uuid.uuid4().hex}"
    placeholder = json.dumps(token)
    pending = []
    for statement in new:
        statement["stored"] = token
        statement["authority"] = authority
        statement.setdefault("version", statement_version)
        timestamp_given = "timestamp" in statement
        statement.setdefault("timestamp", token)
        row = _statement_row(statement, authority_key, timestamp_given=timestamp_given)
        pending.append(
            _Pending(
                statement=statement,
                row=row,
                raw=row.raw,
                placeholder=placeholder,
                timestamp_given=timestamp_given,
                agents=list(_agent_keys(statement)),
                activities=list(_activity_keys(row, statement)),
            )
        )
    return pending


def _write_clock_take(*, alone: bool) -> datetime:
    """The ``stored`` time of this batch, taken as the write's ordering starts
    (Communication 2.1.3 ``X-Experience-API-Consistent-Through`` and ``more``): on
    PostgreSQL the write registers itself and goes on in parallel with others
    (``_write_register``); on SQLite it takes the write lock. ``alone``: the write must not
    run beside others (``_write_register``)."""
    connection = connections[router.db_for_write(Statement)]
    if connection.vendor == "postgresql":
        return _write_register(connection, alone=alone)
    return _write_lock_take(connection)


def _write_lock_take(connection) -> datetime:
    """SQLite: the ``stored`` time under the write lock (the ``StatementClock`` row), held
    until the transaction commits.

    Holding it from here (before the sequence numbers are drawn) to the commit means
    statement writes become visible one after the other, in ``seq`` order and in ``stored``
    order: a query never sees a statement while one with a lower ``seq`` or an earlier
    ``stored`` is still to come. The clock never goes back (``stored`` is at least the last
    one given), so a ``stored`` promised complete stays complete if the system clock steps
    back. SQLite runs one write transaction at a time (``transaction_mode`` IMMEDIATE), so
    the row update costs no parallelism."""
    table = connection.ops.quote_name(StatementClock._meta.db_table)
    for _ in range(2):
        moment = connection.ops.adapt_datetimefield_value(now_ms())
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET stored = MAX(stored, %s) WHERE id = 1 "  # noqa: S608
                "RETURNING stored",
                [moment],
            )
            found = cursor.fetchone()
        if found is not None:
            return _aware(found[0])
        # The row is made by the migration; a flushed database (tests) makes it again.
        StatementClock.objects.bulk_create(
            [StatementClock(pk=1, stored=datetime(1970, 1, 1, tzinfo=UTC))], ignore_conflicts=True
        )
    raise AssertionError("unreachable")


def _write_register(connection, *, alone: bool) -> datetime:
    """PostgreSQL: register this write, then give it its ``stored`` time; writers commit in
    parallel and readers bound what they promise by the writes still registered.

    The registration is two shared advisory locks held to the commit (their keys carry
    floors, ``WRITE_SEQ_TAG``), visible at once to every session in ``pg_locks``, which is
    not transactional: the highest ``seq`` visible now (the sequence numbers drawn after
    this are above it; the column's sequence has no per-session cache) and a ``stored``
    floor, the later of the clock and the latest ``stored`` visible. ``stored`` is read
    from the clock after the locks are granted, at or after the floor: so a reader that
    read the clock and then found no registration of this write gets an earlier time than
    this write's ``stored`` (``selectors.statements_consistency``), and ``stored`` never goes
    back behind a statement committed before this write began.

    First the write lock, shared: batches without StatementRefs, each in its own
    transaction (a POST), run side by side. ``alone`` takes it exclusive and runs alone, as
    every write did before: a batch with a StatementRef object (voiding included), since
    the voiding check and the StatementRef chains read what other writes wrote (a
    statement arriving while its voiding statement is being stored; a target arriving
    while a statement pointing at it is), which parallel uncommitted writes could not see;
    and a batch inside a larger transaction, which may store one with a StatementRef
    later: holding the lock shared and then asking for it exclusive, two such
    transactions would deadlock."""
    table = connection.ops.quote_name(Statement._meta.db_table)
    lock = "pg_advisory_xact_lock" if alone else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        # One statement, each subquery evaluated before the one around it (OFFSET 0: none
        # is flattened into another): the write lock, the floors, the registration, then
        # the clock again for ``stored``. The floors' MAX() read the statement's snapshot,
        # taken before any wait for the write lock: still floors, only lower.
        cursor.execute(
            "SELECT GREATEST(date_trunc('milliseconds', clock_timestamp()), r.stored_floor) "  # noqa: S608
            "FROM (SELECT f.stored_floor, "
            "pg_advisory_xact_lock_shared((%s::bigint << 56) | f.seq_floor) AS seq_lock, "
            "pg_advisory_xact_lock_shared((%s::bigint << 56) | "
            "(extract(epoch FROM f.stored_floor) * 1000)::bigint) AS stored_lock "
            f"FROM (SELECT COALESCE((SELECT MAX(seq) FROM {table}), 0) AS seq_floor, "
            "GREATEST(date_trunc('milliseconds', clock_timestamp()), "
            f"(SELECT MAX(stored) FROM {table})) AS stored_floor "
            f"FROM (SELECT {lock}(%s) AS write_lock OFFSET 0) AS w "
            "WHERE w.write_lock IS NOT NULL OFFSET 0) AS f "
            "OFFSET 0) AS r WHERE r.seq_lock IS NOT NULL AND r.stored_lock IS NOT NULL",
            [WRITE_SEQ_TAG, WRITE_STORED_TAG, WRITE_LOCK_KEY],
        )
        return _aware(cursor.fetchone()[0])


def _aware(value) -> datetime:
    """A datetime read by raw SQL: SQLite gives naive UTC (or text), PostgreSQL aware."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: Statement ids one plain-SQL query carries (a batch may hold tens of thousands; SQLite
#: takes at most 32,766 parameters a query).
_IDS_PER_QUERY = 5000


def _ref_targets_seq_set(seqs: dict[uuid.UUID, int]) -> None:
    """One UPDATE, the new statements' ids and seqs as a VALUES list (the same SQL on
    PostgreSQL and SQLite): every POST runs it, and the ORM's correlated subquery took
    longer to build than the database takes to run it."""
    connection = connections[router.db_for_write(StatementRefTarget)]
    id_field = Statement._meta.get_field("statement_id")
    quote = connection.ops.quote_name
    table = quote(StatementRefTarget._meta.db_table)
    items = list(seqs.items())
    for start in range(0, len(items), _IDS_PER_QUERY):
        chunk = items[start : start + _IDS_PER_QUERY]
        params: list = []
        for statement_id, seq in chunk:
            params += [id_field.get_db_prep_value(statement_id, connection), seq]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        sql = (
            f"UPDATE {table} SET {quote('target_seq')} = v.column2 FROM (VALUES {values}) AS v "  # noqa: S608
            f"WHERE {table}.{quote('target_id')} = v.column1 "
            f"AND {table}.{quote('target_seq')} IS NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _ref_targets_insert(rows: list[Statement]) -> None:
    """Communication 2.1.3 "Filter Conditions for StatementRefs": record, for each new
    statement whose object is a StatementRef, every statement it targets down the chain;
    and when a new statement is itself the target of statements stored earlier, give their
    rows its ``seq`` and extend their chains with its own. One indexed update for a batch
    without StatementRefs.

    Voiding statements are included: they target the voided statement like any other
    reference (2.1.4.s1.b2)."""
    seqs = {row.statement_id: row.seq for row in rows}
    # Statements stored earlier may point at these: give their rows the target's seq.
    _ref_targets_seq_set(seqs)
    direct = {row.statement_id: row.object_statement_id for row in rows if row.object_statement_id}
    if not direct:
        return
    outside = set(direct.values()) - set(direct)
    stored_chains: dict[uuid.UUID, list[uuid.UUID]] = {}
    for owner, target in StatementRefTarget.objects.filter(
        statement__statement_id__in=outside
    ).values_list("statement__statement_id", "target_id"):
        stored_chains.setdefault(owner, []).append(target)

    def chain(statement_id: uuid.UUID) -> list[uuid.UUID]:
        """Targets of ``statement_id``, nearest first; a cycle stops at the first repeat."""
        found, seen, current = [], {statement_id}, statement_id
        while current in direct:
            current = direct[current]
            if current in seen:
                return found
            found.append(current)
            seen.add(current)
        for target in stored_chains.get(current, ()):
            if target not in seen:
                found.append(target)
                seen.add(target)
        return found

    chains = {statement_id: chain(statement_id) for statement_id in direct}
    reached = {target for targets in chains.values() for target in targets}
    seqs.update(
        Statement.objects.filter(statement_id__in=reached - set(seqs)).values_list(
            "statement_id", "seq"
        )
    )
    new_rows = [
        StatementRefTarget(
            statement_id=seqs[statement_id], target_id=target, target_seq=seqs.get(target)
        )
        for statement_id, targets in chains.items()
        for target in targets
    ]
    # Statements stored earlier that reach one of these new statements: their chain went
    # no further than it, now it goes on through the new statement's targets.
    for seq, owner_id, middle in StatementRefTarget.objects.filter(
        target_id__in=list(chains)
    ).values_list("statement_id", "statement__statement_id", "target_id"):
        new_rows.extend(
            StatementRefTarget(statement_id=seq, target_id=target, target_seq=seqs.get(target))
            for target in chains[middle]
            if target != owner_id
        )
    StatementRefTarget.objects.bulk_create(new_rows, ignore_conflicts=True)


def _conflicts_check(
    incoming: list[dict], prepared: list[dict], ids: list[uuid.UUID], *, on_conflict: str
) -> list[int]:
    """Indexes of the statements to insert; equivalent re-sends are dropped, different
    ones are 409 (Communication 2.1.2.s2.b5)."""
    existing = dict(
        _by_ids("SELECT {statement_id}, {raw} FROM {table} WHERE {statement_id} IN ({ids})", ids)
    )
    new_indexes = []
    for index, statement_id in enumerate(ids):
        if statement_id not in existing:
            new_indexes.append(index)
            continue
        if on_conflict == "ignore":
            continue
        candidate = dict(incoming[index], id=prepared[index]["id"])
        if not statements_equivalent(candidate, json.loads(existing[statement_id])):
            raise XAPIError(
                409,
                f"statement id {statement_id} is already stored with a different statement; "
                "statements are immutable",
            )
    return new_indexes


def _voiding_check(new: list[dict], new_indexes: list[int], *, path: str) -> set[uuid.UUID]:
    """Data 2.3.2: refuse voiding a voiding statement; return the ids of new statements
    that an earlier (or same-batch) voiding statement already voids."""
    new_ids = {uuid.UUID(statement["id"]) for statement in new}
    targets: dict[uuid.UUID, int] = {}
    batch_voiding = set()
    for position, statement in enumerate(new):
        if statement["verb"]["id"] == VOIDED_VERB:
            target = uuid.UUID(statement["object"]["id"])
            targets[target] = new_indexes[position]
            batch_voiding.add(uuid.UUID(statement["id"]))
    if targets:
        voiding_targets = set(
            Statement.objects.filter(statement_id__in=targets, is_voiding=True).values_list(
                "statement_id", flat=True
            )
        ) | (batch_voiding & set(targets))
        for target in voiding_targets:
            raise XAPIValidationError(
                f"targets statement {target}, which is itself a voiding statement; "
                "a voiding statement cannot be voided",
                f"{path}[{targets[target]}].object.id" if len(new) > 1 else f"{path}.object.id",
            )
    already = {
        target
        for (target,) in _by_ids(
            "SELECT {object_statement_id} FROM {table} WHERE {is_voiding} "
            "AND {object_statement_id} IN ({ids})",
            new_ids,
        )
    }
    return already | (set(targets) & new_ids)


def _by_ids(template: str, ids: Iterable[uuid.UUID]) -> list[tuple]:
    """Rows of the statements table selected by statement ids, in plain SQL (the same on
    PostgreSQL and SQLite): every POST runs two such reads, and building them through the
    ORM took longer than running them. ``template`` names columns and the table in braces;
    the first column read is a statement id, returned as a UUID on either database."""
    connection = connections[router.db_for_write(Statement)]
    quote = connection.ops.quote_name
    id_field = Statement._meta.get_field("statement_id")
    values = [id_field.get_db_prep_value(value, connection) for value in ids]
    columns = {f.name: quote(f.column) for f in Statement._meta.concrete_fields}
    rows: list = []
    for start in range(0, len(values), _IDS_PER_QUERY):
        params = values[start : start + _IDS_PER_QUERY]
        sql = template.format(
            table=quote(Statement._meta.db_table), ids=", ".join(["%s"] * len(params)), **columns
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows.extend(cursor.fetchall())
    return [
        (value if isinstance(value, uuid.UUID) else uuid.UUID(value), *rest)
        for value, *rest in rows
        if value is not None
    ]


def _statement_row(statement: dict, authority_key: str, *, timestamp_given: bool) -> Statement:
    """The row of a statement, ``stored`` and ``voided`` still to set (``_Pending``)."""
    statement_id = uuid.UUID(statement["id"])
    target = statement["object"]
    object_type = target.get("objectType", "Activity")
    context = statement.get("context") or {}
    registration = context.get("registration")
    return Statement(
        statement_id=statement_id,
        verb_id=statement["verb"]["id"],
        object_activity_id=statement_activity_id(statement),
        object_statement_id=uuid.UUID(target["id"]) if object_type == "StatementRef" else None,
        actor_key=_key(statement["actor"]),
        authority_key=authority_key,
        registration=uuid.UUID(registration) if registration else None,
        timestamp=parse_timestamp(statement["timestamp"], "timestamp") if timestamp_given else None,
        is_voiding=statement["verb"]["id"] == VOIDED_VERB,
        raw=json.dumps(statement, separators=(",", ":"), ensure_ascii=False),
    )


_STATEMENT_COLUMNS = (
    "statement_id",
    "verb_id",
    "object_activity_id",
    "object_statement_id",
    "actor_key",
    "authority_key",
    "registration",
    "timestamp",
    "stored",
    "voided",
    "is_voiding",
    "raw",
)


def _statements_insert(rows: list[Statement]) -> None:
    """Insert the statement rows and set their ``seq``.

    On PostgreSQL the whole batch travels as one JSON parameter expanded by
    ``json_to_recordset``: serialised by the C JSON encoder and quoted once, where the ORM's
    bulk insert prepares and quotes twelve values per row in Python (its largest cost per
    batch). ``seq`` comes back with each row's id, so the order of RETURNING does not matter.
    Other databases use bulk_create."""
    connection = connections[router.db_for_write(Statement)]
    if connection.vendor != "postgresql":
        Statement.objects.bulk_create(rows)
        return
    fields = {field.attname: field for field in Statement._meta.concrete_fields}
    table = connection.ops.quote_name(Statement._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in _STATEMENT_COLUMNS)
    record = ", ".join(
        f"{connection.ops.quote_name(column)} {fields[column].db_type(connection)}"
        for column in _STATEMENT_COLUMNS
    )
    payload = json.dumps(
        [
            dict(
                zip(
                    _STATEMENT_COLUMNS,
                    _statement_values(row),
                    strict=True,
                )
            )
            for row in rows
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} "  # noqa: S608
            f"FROM json_to_recordset(%s::json) AS x({record}) RETURNING seq, statement_id",
            [payload],
        )
        seqs = {statement_id: seq for seq, statement_id in cursor.fetchall()}
    for row in rows:
        row.seq = seqs[row.statement_id]
        row._state.adding = False


def _statement_values(row: Statement) -> tuple:
    """The values of ``_STATEMENT_COLUMNS`` as JSON types."""
    return (
        str(row.statement_id),
        row.verb_id,
        row.object_activity_id,
        str(row.object_statement_id) if row.object_statement_id else None,
        row.actor_key,
        row.authority_key,
        str(row.registration) if row.registration else None,
        row.timestamp.isoformat(),
        row.stored.isoformat(),
        row.voided,
        row.is_voiding,
        row.raw,
    )


def _key(agent: dict) -> str:
    try:
        return agent_ifi_key(agent)
    except XAPIValidationError:
        return ""  # an anonymous Group: found through its members' rows


def _index_rows_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Index rows are plain tuples, never model instances: the ORM's per-object bulk_create
    bookkeeping cost more than the insert itself for these three columns. On PostgreSQL
    one INSERT ... SELECT FROM UNNEST of one array per column (one statement, one round
    trip, a query text that never changes so psycopg caches its parsing); elsewhere
    executemany, which SQLite runs in-process."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fields = {field.attname: field for field in model._meta.concrete_fields}
            arrays = ", ".join(f"%s::{fields[column].db_type(connection)}[]" for column in columns)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM UNNEST({arrays})",  # noqa: S608
                [list(values) for values in zip(*rows, strict=True)],
            )
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def _agent_keys(statement: dict) -> Iterable[tuple[str, str]]:
    """(key, relation): each key once, under its narrowest relation."""
    actor_keys = statement_agent_keys({"actor": statement["actor"]})
    plain = statement_agent_keys(statement)
    related = statement_related_agents(statement)
    for key in actor_keys:
        yield (key, StatementAgent.Relation.ACTOR.value)
    for key in plain - actor_keys:
        yield (key, StatementAgent.Relation.OBJECT.value)
    for key in related - plain:
        yield (key, StatementAgent.Relation.RELATED.value)


def _activity_keys(row: Statement, statement: dict) -> Iterable[tuple[str, str]]:
    own = row.object_activity_id
    if own:
        yield (own, StatementActivity.Relation.OBJECT.value)
    for activity_id in statement_related_activities(statement) - {own}:
        yield (activity_id, StatementActivity.Relation.RELATED.value)


def _attachments_store(new: list[dict], attachments: Mapping[str, AttachmentPayload]) -> None:
    """Keep each raw part once by hash; parts are matched to statements by the caller."""
    wanted = {
        item["sha2"]
        for statement in new
        for item in statement.get("attachments") or ()
        if item["sha2"] in attachments
    }
    if not wanted:
        return
    present = set(
        StatementAttachment.objects.filter(sha2__in=wanted).values_list("sha2", flat=True)
    )
    StatementAttachment.objects.bulk_create(
        [
            StatementAttachment(
                sha2=sha2,
                content_type=attachments[sha2].content_type,
                length=len(attachments[sha2].content),
                content=attachments[sha2].content,
            )
            for sha2 in sorted(wanted - present)
        ],
        ignore_conflicts=True,
    )


def _summary(row: Statement, statement: dict) -> StoredStatement:
    result: dict[str, Any] = statement.get("result") or {}
    score = result.get("score") or {}
    return StoredStatement(
        id=row.statement_id,
        verb_id=row.verb_id,
        object_activity_id=row.object_activity_id,
        actor_key=row.actor_key,
        registration=row.registration,
        voided_target_id=row.object_statement_id if row.is_voiding else None,
        result_success=result.get("success"),
        result_completion=result.get("completion"),
        result_scaled=score.get("scaled"),
        timestamp=row.timestamp,
        stored=row.stored,
        raw=statement,
    )
