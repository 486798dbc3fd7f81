"""Reads of the LRS: GET Statements queries (Communication 2.1.3) and Activities.

Filters become joins on the index tables; results are ordered by ``seq`` (stored order)
and paged with a cursor on ``seq`` below the bound fixed by the first page, so statements
arriving while a client pages do not shift or repeat what it sees.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connections, router
from django.db.models import Exists, Max, OuterRef
from django.utils.dateparse import parse_datetime

from .models import (
    Activity,
    Statement,
    StatementActivity,
    StatementAgent,
    StatementAttachment,
    StatementClock,
    StatementRefTarget,
)
from .models.statements import WRITE_SEQ_TAG, WRITE_STORED_TAG

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MILLISECOND = timedelta(milliseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StatementQuery:
    """A GET Statements query, already validated."""

    agent_key: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: uuid.UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    # statements/read/mine: restrict to one authority, or to the caller's agents.
    authority_key: str | None = None
    mine_agent_keys: frozenset[str] | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class StatementPage:
    rows: list[tuple[int, str]]  # (seq, raw JSON)
    next_cursor: int | None
    bound: int


def statements_bound() -> int:
    """The consistency bound of a paged query: a ``seq`` such that every statement up to it
    is visible now and for the pages that follow (see ``statements_consistency``)."""
    return statements_consistency(with_bound=True)[1]


def statements_consistency(
    *, with_bound: bool = False, written: datetime | None = None
) -> tuple[datetime, int | None]:
    """``X-Experience-API-Consistent-Through`` (Communication 2.1.3.s2.b6) and, when asked,
    the bound of a new paged query, in one query.

    The header is a time such that every statement stored at or before it is visible to
    queries made from now on; it is taken before the query it goes with. The bound is a
    ``seq`` such that every statement up to it is visible now. ``written``: the ``stored``
    time of a write this request has just committed.

    PostgreSQL (writes commit in parallel, each registered in ``pg_locks`` while in flight
    with a ``seq`` floor and a ``stored`` floor: ``services.statements._write_register``):
    one statement reads, in this order, the highest visible ``seq`` (its snapshot), the
    clock, then the floors of the writes in flight; the bound is the lowest of the first
    and the ``seq`` floors, the header the lowest of the clock and the ``stored`` floors,
    less 1 ms (``stored`` keeps milliseconds). A statement up to the bound or stored at or
    before the header was written by a write that either was registered when ``pg_locks``
    was read (impossible: its floor would be below), or had committed by then (visible
    from now on), or registered later: its sequence numbers are then above every ``seq``
    visible before, and its ``stored`` read from the clock after its registration,
    after the clock read here (impossible again). Writes of this session's own open
    transaction do not count: its queries see them, and a request's answer leaves after
    its writes have committed (views run in autocommit).

    SQLite (one write at a time, each under the ``StatementClock`` row to its commit, in
    ``seq`` and ``stored`` order): a pending write's ``stored`` is at least the last
    committed one, which is the answer less 1 ms (it can lag behind the clock, never run
    ahead of a statement still to appear), and every statement stored is visible, so the
    highest ``seq`` is the bound. Right after a write, every statement stored before it is
    visible and every later one is stored at or after it: ``written`` less 1 ms, without a
    query.
    """
    connection = connections[router.db_for_read(Statement)]
    if connection.vendor == "postgresql":
        return _consistency_in_flight(connection, with_bound=with_bound)
    if written is not None:
        return written - MILLISECOND, None
    started = datetime.now(UTC)
    quote = connection.ops.quote_name
    clock_table = quote(StatementClock._meta.db_table)
    columns = [f"(SELECT stored FROM {clock_table} WHERE id = 1)"]  # noqa: S608
    if with_bound:
        columns.append(f"(SELECT MAX(seq) FROM {quote(Statement._meta.db_table)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        values = list(cursor.fetchone())
    committed = values.pop(0)
    bound = (values.pop(0) or 0) if with_bound else None
    if isinstance(committed, str):  # SQLite keeps datetimes as text, in UTC
        committed = parse_datetime(committed)
    if committed is not None and committed.tzinfo is None:
        committed = committed.replace(tzinfo=UTC)
    header = _ms_floor(started)
    if committed is not None:
        header = min(header, _ms_floor(committed))
    return header - MILLISECOND, bound


def _consistency_in_flight(connection, *, with_bound: bool) -> tuple[datetime, int | None]:
    """PostgreSQL's side of ``statements_consistency``. The outer subquery is not flattened
    (OFFSET 0) and the ``pg_locks`` one refers to it (LATERAL), so the snapshot and the
    clock come before the lock table is read."""
    table = connection.ops.quote_name(Statement._meta.db_table)
    top = f"(SELECT MAX(seq) FROM {table})" if with_bound else "NULL::bigint"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.now_ms, c.top, w.seq_floor, w.stored_floor FROM (SELECT "  # noqa: S608
            "(extract(epoch FROM date_trunc('milliseconds', clock_timestamp())) * 1000)::bigint "
            f"AS now_ms, {top} AS top OFFSET 0) AS c CROSS JOIN LATERAL (SELECT "
            "MIN(k.payload) FILTER (WHERE k.tag = %s) AS seq_floor, "
            "MIN(k.payload) FILTER (WHERE k.tag = %s) AS stored_floor "
            "FROM (SELECT classid::bigint >> 24 AS tag, "
            "((classid::bigint & 16777215) << 32) | objid::bigint AS payload "
            "FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
            "AND pid <> pg_backend_pid() "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND c.now_ms IS NOT NULL) AS k) AS w",
            [WRITE_SEQ_TAG, WRITE_STORED_TAG],
        )
        now, top_seq, seq_floor, stored_floor = cursor.fetchone()
    header = now if stored_floor is None else min(now, stored_floor)
    bound = None
    if with_bound:
        bound = top_seq or 0
        if seq_floor is not None:
            bound = min(bound, seq_floor)
    return EPOCH + timedelta(milliseconds=header) - MILLISECOND, bound


def _ms_floor(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _filters(query: StatementQuery, prefix: str = "") -> dict:
    """The non-time filters of ``query`` as one ``filter()`` call's arguments, on the
    statement reached through ``prefix``: one call, so agent+relation and
    activity+relation hold on the same index row."""
    conditions: dict = {}
    if query.agent_key is not None:
        conditions[f"{prefix}agent_rows__agent_key"] = query.agent_key
        if not query.related_agents:
            conditions[f"{prefix}agent_rows__relation__in"] = ("actor", "object")
    if query.activity is not None:
        conditions[f"{prefix}activity_rows__activity_id"] = query.activity
        if not query.related_activities:
            conditions[f"{prefix}activity_rows__relation"] = "object"
    if query.verb is not None:
        conditions[f"{prefix}verb_id"] = query.verb
    if query.registration is not None:
        conditions[f"{prefix}registration"] = query.registration
    return conditions


def _targets_matching(query: StatementQuery):
    """StatementRef chain rows whose targeted statement meets every non-time filter of
    ``query``. Each filter is a condition on the same ``target_seq``, answered from the index
    rows (agent, activity) or the indexed columns (verb, registration) of the target."""
    rows = StatementRefTarget.objects.filter(target_seq__isnull=False)
    if query.agent_key is not None:
        agents = StatementAgent.objects.filter(agent_key=query.agent_key)
        if not query.related_agents:
            agents = agents.filter(relation__in=("actor", "object"))
        rows = rows.filter(target_seq__in=agents.values("statement_id"))
    if query.activity is not None:
        activities = StatementActivity.objects.filter(activity_id=query.activity)
        if not query.related_activities:
            activities = activities.filter(relation="object")
        rows = rows.filter(target_seq__in=activities.values("statement_id"))
    columns = {}
    if query.verb is not None:
        columns["verb_id"] = query.verb
    if query.registration is not None:
        columns["registration"] = query.registration
    if query.registration is not None:
        # A registration has few statements: their seqs, as a list.
        rows = rows.filter(target_seq__in=Statement.objects.filter(**columns).values("seq"))
    elif columns:
        # A verb can match a sixth of the table, which SQLite would materialise as an IN
        # list: probe each target by its seq instead.
        rows = rows.filter(Exists(Statement.objects.filter(seq=OuterRef("target_seq"), **columns)))
    return rows


def statements_select(
    *, query: StatementQuery, bound: int | None, cursor: int | None
) -> StatementPage:
    """One page of non-voided statements matching ``query`` (Communication 2.1.3.s2).

    Communication 2.1.3 "Filter Conditions for StatementRefs": with filters other than the
    time and sequence ones, a statement also matches when a statement it targets through a
    StatementRef, directly or down a chain, matches them all (the targeted statement may
    be voided: 2.1.4.s1.b2, a voiding statement is returned with the filters of the
    statement it voids). The time filters, ``voided``, the page bound and access
    restrictions apply to the returned statement itself. Two indexed queries, each
    reading at most one page in ``seq`` order, merged here: the statements matching
    themselves, and those whose recorded targets (``StatementRefTarget``) match.
    """
    limit = min(query.limit or DEFAULT_LIMIT, MAX_LIMIT)
    if bound is None:
        bound = statements_bound()
    qs = Statement.objects.filter(**_own_conditions(query, bound, cursor))
    if query.mine_agent_keys is not None:
        qs = qs.distinct()
    order = _page_order(query)
    conditions = _filters(query)
    rows = list(qs.filter(**conditions).order_by(order).values_list("seq", "raw")[: limit + 1])
    if conditions:
        # Walked from the (few) chain rows in the order of the referring statement, so the
        # cost follows the number of references, not of statements stored since the last.
        order = "statement_id" if query.ascending else "-statement_id"
        via_refs = (
            _targets_matching(query)
            .filter(**_own_conditions(query, bound, cursor, "statement__"))
            .order_by(order)
        )
        if connections[router.db_for_read(Statement)].vendor == "postgresql":
            via_refs = via_refs.distinct("statement_id")  # streams in index order
        else:
            via_refs = via_refs.distinct()
        merged = dict(rows)
        merged.update(via_refs.values_list("statement_id", "statement__raw")[: limit + 1])
        rows = sorted(merged.items(), reverse=not query.ascending)[: limit + 1]
    next_cursor = rows[limit - 1][0] if len(rows) > limit else None
    return StatementPage(rows=rows[:limit], next_cursor=next_cursor, bound=bound)


def _page_order(query: StatementQuery) -> str:
    """The ``seq`` order of a page, named on the index row when the activity filter is the
    only index-table filter. Its ``statement_id`` is the ``seq`` (one row per statement and
    activity), so the rows are the same; but SQLite does not carry an order across the join:
    ordered by ``seq`` it reads and sorts every row of a course (5,000 at a million
    statements) where, ordered by the index row, it walks ``xapi_act_id_stmt`` (or
    ``xapi_act_id_rel_stmt``) backwards and stops after a page."""
    column = "seq"
    if query.activity is not None and query.agent_key is None and query.mine_agent_keys is None:
        column = "activity_rows__statement_id"
    return column if query.ascending else f"-{column}"


def _own_conditions(query: StatementQuery, bound: int, cursor: int | None, prefix: str = ""):
    """What the returned statement itself must meet (reached through ``prefix``): not
    voided, within the page bound and cursor, the time filters, access restrictions."""
    conditions = {f"{prefix}voided": False, f"{prefix}seq__lte": bound}
    if query.since is not None:
        conditions[f"{prefix}stored__gt"] = query.since
    if query.until is not None:
        conditions[f"{prefix}stored__lte"] = query.until
    if query.authority_key is not None:
        conditions[f"{prefix}authority_key"] = query.authority_key
    if query.mine_agent_keys is not None:
        conditions[f"{prefix}agent_rows__agent_key__in"] = query.mine_agent_keys
        conditions[f"{prefix}agent_rows__relation__in"] = ("actor", "object")
    if cursor is not None:
        conditions[f"{prefix}seq__{'gt' if query.ascending else 'lt'}"] = cursor
    return conditions


def statement_get(*, statement_id: uuid.UUID, voided: bool) -> Statement | None:
    """Communication 2.1.3: statementId finds a statement that is not voided;
    voidedStatementId one that is."""
    return Statement.objects.filter(statement_id=statement_id, voided=voided).first()


def statement_is_mine(
    *, statement: Statement, authority_key: str | None, agent_keys: frozenset[str] | None
) -> bool:
    if authority_key is not None:
        return statement.authority_key == authority_key
    if agent_keys is not None:
        return statement.agent_rows.filter(
            agent_key__in=agent_keys, relation__in=("actor", "object")
        ).exists()
    return True


def activity_definitions(*, activity_ids: set[str]) -> dict[str, dict]:
    if not activity_ids:
        return {}
    return dict(
        Activity.objects.filter(activity_id__in=activity_ids).values_list(
            "activity_id", "definition"
        )
    )


def activity_get(*, activity_id: str) -> Activity | None:
    return Activity.objects.filter(activity_id=activity_id).first()


def attachments_for(*, statements: list[dict]) -> list[tuple[str, str, bytes]]:
    """Raw parts for the attachments of ``statements`` that the LRS holds, once each."""
    wanted = {
        item["sha2"] for statement in statements for item in statement.get("attachments") or ()
    }
    if not wanted:
        return []
    rows = StatementAttachment.objects.filter(sha2__in=wanted).order_by("sha2")
    return [(row.sha2, row.content_type, bytes(row.content)) for row in rows]


def statements_browse(
    *,
    actor: str | None = None,
    verb: str | None = None,
    activity: str | None = None,
    since=None,
    until=None,
):
    """Statements for the admin browser, newest first; only indexed columns are read."""
    qs = Statement.objects.only(
        "seq", "statement_id", "verb_id", "object_activity_id", "actor_key", "stored", "voided"
    ).order_by("-seq")
    if actor:
        qs = qs.filter(actor_key__icontains=actor.strip())
    if verb:
        qs = qs.filter(verb_id=verb.strip())
    if activity:
        qs = qs.filter(object_activity_id=activity.strip())
    if since:
        qs = qs.filter(stored__date__gte=since)
    if until:
        qs = qs.filter(stored__date__lte=until)
    return qs


def unlinked_actors(*, own_account_prefix: str):
    """Actors of stored statements that the registry has not linked to a person (an
    e-mail or another system's account it does not know), with how many statements each
    has and when the last was stored: the registry counts them instead of logging each
    statement. The platform's own person accounts (``own_account_prefix``) and anonymous
    Groups are left out. Linked means the registry's ``StatementActor`` holds the actor."""
    from django.apps import apps
    from django.db.models import Count

    qs = Statement.objects.exclude(actor_key="").exclude(actor_key__startswith=own_account_prefix)
    if apps.is_installed("trainees"):
        linked = apps.get_model("trainees", "StatementActor").objects.values("actor_key")
        qs = qs.exclude(actor_key__in=linked)
    return (
        qs.values("actor_key")
        .annotate(statements=Count("seq"), last_stored=Max("stored"))
        .order_by("-statements", "actor_key")
    )
