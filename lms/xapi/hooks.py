"""Consumers of newly stored statements (forwarding outbox, course completion, registry).

A consumer registered ``in_transaction`` runs inside the transaction that stores the batch:
what it writes commits or rolls back with the statements (the forwarding outbox must never
miss one). An ``on_commit`` consumer runs after the commit; its errors are logged with the
statement ids and never break the HTTP response that stored them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from django.db import transaction

logger = logging.getLogger(__name__)

Phase = Literal["in_transaction", "on_commit"]


@dataclass(frozen=True)
class StoredStatement:
    """What a consumer needs of one stored statement, without re-reading the database."""

    id: UUID
    verb_id: str
    object_activity_id: str | None
    actor_key: str
    registration: UUID | None
    voided_target_id: UUID | None
    result_success: bool | None
    result_completion: bool | None
    result_scaled: float | None
    timestamp: datetime
    stored: datetime
    raw: dict = field(repr=False)


Consumer = Callable[[list[StoredStatement]], None]

_CONSUMERS: dict[str, list[Consumer]] = {"in_transaction": [], "on_commit": []}


def register_statement_consumer(func: Consumer, *, phase: Phase) -> Consumer:
    """Register ``func`` to receive each stored batch. Registering twice is a no-op, so an
    AppConfig.ready() that runs twice does not double-deliver. Returns ``func`` so it can
    be used as a decorator through functools.partial."""
    if phase not in _CONSUMERS:
        raise ValueError(f"phase must be 'in_transaction' or 'on_commit', got {phase!r}")
    if func not in _CONSUMERS[phase]:
        _CONSUMERS[phase].append(func)
    return func


def unregister_statement_consumer(func: Consumer) -> None:
    for consumers in _CONSUMERS.values():
        if func in consumers:
            consumers.remove(func)


def statements_dispatch(stored: list[StoredStatement]) -> None:
    """Called by the store service inside its transaction, after the batch is written."""
    if not stored:
        return
    for consumer in list(_CONSUMERS["in_transaction"]):
        consumer(stored)  # an error here rolls the batch back: nothing half-stored
    for consumer in list(_CONSUMERS["on_commit"]):
        transaction.on_commit(_on_commit_runner(consumer, stored))


def _on_commit_runner(consumer: Consumer, stored: list[StoredStatement]) -> Callable[[], None]:
    def run() -> None:
        try:
            consumer(stored)
        except Exception:
            logger.exception(
                "xAPI statement consumer %s failed for statements %s",
                getattr(consumer, "__qualname__", consumer),
                ", ".join(str(item.id) for item in stored),
            )

    return run
