"""Writes on the Document Resources (Communication 2.2-2.7, concurrency 3.1).

Each write reads the current document under a row lock, checks the preconditions against
it and writes, all in one transaction; a racing insert of the same document hits the
unique constraint and is retried once against the row the other writer made, so the
preconditions are always checked against what is really stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..spec.jsontext import MAX_DEPTH, json_check
from .base import (
    DEFAULT_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    DocumentError,
    DocumentKind,
    Preconditions,
    content_etag,
    media_type,
    preconditions_check,
)
from .models import Document

NO_PRECONDITIONS = Preconditions()


def document_put(
    *,
    kind: DocumentKind,
    context: Mapping[str, Any],
    document_id: str,
    content: bytes,
    content_type: str | None,
    preconditions: Preconditions = NO_PRECONDITIONS,
    defaults: Mapping[str, Any] | None = None,
) -> Document:
    """Store a document, replacing any current one (Communication 2.3.s3, 2.6.s3, 2.7.s3).

    ``context`` names the document's owner (activity, agent key, registration);
    ``defaults`` are stored on creation only (the agent as first sent). The content type is
    kept exactly as sent, so a GET answers with it.
    """

    def replace(existing: Document | None) -> tuple[bytes, str]:
        return content, content_type or DEFAULT_CONTENT_TYPE

    return _document_write(
        kind=kind,
        context=context,
        document_id=document_id,
        preconditions=preconditions,
        defaults=defaults,
        method="PUT",
        body=replace,
    )


def document_post(
    *,
    kind: DocumentKind,
    context: Mapping[str, Any],
    document_id: str,
    content: bytes,
    content_type: str | None,
    preconditions: Preconditions = NO_PRECONDITIONS,
    defaults: Mapping[str, Any] | None = None,
) -> Document:
    """Store a new document, or merge a JSON Object into the current one.

    Communication 2.2.s7: when a document exists, both it and the posted one must be
    ``application/json`` JSON Objects; the posted top-level properties replace the
    existing ones (only the top level is merged). Otherwise 400 and nothing changes
    (2.2.s8.b1). With no current document, the posted one is stored as sent, like a PUT.
    """

    def merge(existing: Document | None) -> tuple[bytes, str]:
        sent_type = content_type or DEFAULT_CONTENT_TYPE
        if existing is None:
            _json_valid_if_said(content, sent_type)
            return content, sent_type
        posted = _json_object(content, sent_type, what="The posted document")
        current = _json_object(
            bytes(existing.content), existing.content_type, what="The existing document"
        )
        current.update(posted)
        merged = json.dumps(current, ensure_ascii=False, separators=(",", ":"))
        return merged.encode("utf-8"), sent_type

    return _document_write(
        kind=kind,
        context=context,
        document_id=document_id,
        preconditions=preconditions,
        defaults=defaults,
        method="POST",
        body=merge,
    )


def document_delete(
    *,
    kind: DocumentKind,
    context: Mapping[str, Any],
    document_id: str,
    preconditions: Preconditions = NO_PRECONDITIONS,
) -> bool:
    """Delete one document (Communication 2.3.s3, 2.6.s3, 2.7.s3). Deleting a document
    that does not exist changes nothing and succeeds, unless If-Match asked for one
    (3.1.s4.b7). Returns whether a document was deleted."""
    with transaction.atomic():
        existing = _locked(kind, context, document_id)
        preconditions_check(
            kind=kind, existing=existing, preconditions=preconditions, method="DELETE"
        )
        if existing is None:
            return False
        existing.delete()
        return True


def documents_delete(*, kind: DocumentKind, context: Mapping[str, Any]) -> int:
    """Communication 2.3.s5 Multiple Document DELETE: every State document of an Activity
    and Agent, only those of one registration when ``context`` names it. Returns how
    many were deleted."""
    deleted, _by_model = kind.model.objects.filter(**context).delete()
    return deleted


def _json_valid_if_said(content: bytes, content_type: str) -> None:
    """Communication 2.2.s7 (POST is a JSON merge): a new document posted as
    ``application/json`` must be JSON, as the ADL reference LRS checks; otherwise 400 and
    nothing is stored."""
    if media_type(content_type) != JSON_CONTENT_TYPE:
        return
    try:
        value = json.loads(content.decode("utf-8"))
    except RecursionError as error:
        raise DocumentError(
            f"The posted document is nested deeper than {MAX_DEPTH} levels, which this LRS "
            "cannot merge; nothing was stored"
        ) from error
    except (UnicodeDecodeError, ValueError) as error:
        raise DocumentError(
            f"The posted document says '{JSON_CONTENT_TYPE}' but is not valid JSON ({error}); "
            "nothing was stored"
        ) from error
    # The same limits as a merge: a document POSTed as JSON can always be merged later.
    try:
        json_check(value, "The posted document")
    except ValueError as error:
        raise DocumentError(f"{error}; nothing was stored") from error


def _json_object(content: bytes, content_type: str, *, what: str) -> dict:
    """Communication 2.2.s8.b1: a document takes part in a merge only when it is
    ``application/json`` and parses as a JSON Object."""
    if media_type(content_type) != JSON_CONTENT_TYPE:
        raise DocumentError(
            f"{what} has the content type {content_type!r}; a POST merges documents only "
            f"when both are '{JSON_CONTENT_TYPE}' JSON Objects, so nothing was changed "
            "(use PUT to replace the document)"
        )
    try:
        value = json.loads(content.decode("utf-8"))
        json_check(value, what)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise DocumentError(
            f"{what} is not valid JSON ({error}), so it cannot be merged; nothing was changed"
        ) from error
    if not isinstance(value, dict):
        raise DocumentError(
            f"{what} is JSON but not a JSON Object, so it cannot be merged; nothing was changed"
        )
    return value


def _locked(kind: DocumentKind, context: Mapping[str, Any], document_id: str):
    return (
        kind.model.objects.select_for_update()
        .filter(**context, **{kind.id_field: document_id})
        .first()
    )


def _document_write(
    *,
    kind: DocumentKind,
    context: Mapping[str, Any],
    document_id: str,
    preconditions: Preconditions,
    defaults: Mapping[str, Any] | None,
    method: str,
    body: Callable[[Document | None], tuple[bytes, str]],
) -> Document:
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = _locked(kind, context, document_id)
                preconditions_check(
                    kind=kind, existing=existing, preconditions=preconditions, method=method
                )
                content, content_type = body(existing)
                fields = {
                    "content": content,
                    "content_type": content_type[:255],
                    "etag": content_etag(content),
                    "updated": timezone.now(),
                }
                if existing is not None:
                    for name, value in fields.items():
                        setattr(existing, name, value)
                    existing.save(update_fields=list(fields))
                    return existing
                return kind.model.objects.create(
                    **context, **(defaults or {}), **{kind.id_field: document_id}, **fields
                )
        except IntegrityError:
            # Another request created the same document between our read and insert:
            # go again, now against the document it stored.
            if attempt:
                raise
    raise AssertionError("unreachable")
