"""Reads of the LRS: GET Statements queries (Communication 2.1.3) and Activities.

Filters become joins on the index tables; results are ordered by ``seq`` (stored order)
and paged with a cursor on ``seq`` below the bound fixed by the first page, so statements
arriving while a client pages do not shift or repeat what it sees.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max

from .models import Activity, Statement, StatementAttachment

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


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
    """The highest seq stored now: the consistency bound of a paged query."""
    return Statement.objects.aggregate(top=Max("seq"))["top"] or 0


def statements_select(
    *, query: StatementQuery, bound: int | None, cursor: int | None
) -> StatementPage:
    """One page of non-voided statements matching ``query`` (Communication 2.1.3.s2)."""
    limit = min(query.limit or DEFAULT_LIMIT, MAX_LIMIT)
    if bound is None:
        bound = statements_bound()
    qs = Statement.objects.filter(voided=False, seq__lte=bound)
    if query.agent_key is not None:
        agent_filter = {"agent_rows__agent_key": query.agent_key}
        if not query.related_agents:
            agent_filter["agent_rows__relation__in"] = ("actor", "object")
        qs = qs.filter(**agent_filter)
    if query.activity is not None:
        # One filter() call: one join, both conditions on the same index row.
        activity_filter = {"activity_rows__activity_id": query.activity}
        if not query.related_activities:
            activity_filter["activity_rows__relation"] = "object"
        qs = qs.filter(**activity_filter)
    if query.verb is not None:
        qs = qs.filter(verb_id=query.verb)
    if query.registration is not None:
        qs = qs.filter(registration=query.registration)
    if query.since is not None:
        qs = qs.filter(stored__gt=query.since)
    if query.until is not None:
        qs = qs.filter(stored__lte=query.until)
    if query.authority_key is not None:
        qs = qs.filter(authority_key=query.authority_key)
    if query.mine_agent_keys is not None:
        qs = qs.filter(
            agent_rows__agent_key__in=query.mine_agent_keys,
            agent_rows__relation__in=("actor", "object"),
        ).distinct()
    if cursor is not None:
        qs = qs.filter(seq__gt=cursor) if query.ascending else qs.filter(seq__lt=cursor)
    qs = qs.order_by("seq" if query.ascending else "-seq")
    rows = list(qs.values_list("seq", "raw")[: limit + 1])
    next_cursor = rows[limit - 1][0] if len(rows) > limit else None
    return StatementPage(rows=rows[:limit], next_cursor=next_cursor, bound=bound)


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


def raw_load(raw: str) -> dict:
    return json.loads(raw)


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
