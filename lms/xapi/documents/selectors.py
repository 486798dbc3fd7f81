"""Reads on the Document Resources (Communication 2.3-2.7)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import Max

from .base import DocumentKind, DocumentNotFound
from .models import Document


def document_get(*, kind: DocumentKind, context: Mapping[str, Any], document_id: str) -> Document:
    """One document; 404 when there is none (Communication 3.2.s2.b4)."""
    document = kind.model.objects.filter(**context, **{kind.id_field: document_id}).first()
    if document is None:
        raise DocumentNotFound(f"There is no {kind.label} document with this id ({document_id!r})")
    return document


def document_ids(
    *, kind: DocumentKind, context: Mapping[str, Any], since: datetime | None = None
) -> tuple[list[str], datetime | None]:
    """Multiple Document GET (Communication 2.3.s4, 2.6.s4, 2.7.s4): the ids of the
    documents in ``context``, only those stored or updated after ``since`` (exclusive),
    and when the most recent of them was modified (for Last-Modified, 2.2.s6.b2)."""
    documents = kind.model.objects.filter(**context)
    if since is not None:
        documents = documents.filter(updated__gt=since)
    ids = sorted(set(documents.values_list(kind.id_field, flat=True)))
    last_modified = documents.aggregate(last=Max("updated"))["last"] if ids else None
    return ids, last_modified


PERSON_PROPERTIES = ("name", "mbox", "mbox_sha1sum", "openid", "account")


def person_for_agent(*, agent: dict, agent_key: str, expand: bool) -> tuple[dict, int]:
    """Communication 2.4 Agents Resource: the Person Object for an Agent.

    Always built from the Agent asked about, so an unknown Agent still gets a Person
    (2.4.s3.b3). With ``expand`` (credentials with the "all" scope: more identifiers are
    personal data, 2.4.s3.b1) the registry adds every other Agent known for the same
    person, through ``trainees.selectors.person_agents`` when the registry offers it.
    Returns the Person and how many Agents the registry added (0 when none).
    """
    agents = [agent]
    added = 0
    if expand:
        for other in _registry_agents(agent_key):
            if other not in agents:
                agents.append(other)
                added += 1
    person: dict = {"objectType": "Person"}
    for name in PERSON_PROPERTIES:
        values: list = []
        for item in agents:
            value = item.get(name) if isinstance(item, dict) else None
            if value is not None and value not in values:
                values.append(value)
        if values:
            person[name] = values
    return person, added


def _registry_agents(agent_key: str) -> list[dict]:
    try:
        from trainees import selectors as trainee_selectors
    except ImportError:
        return []
    resolver = getattr(trainee_selectors, "person_agents", None)
    if resolver is None:
        return []
    return [dict(item) for item in resolver(agent_key=agent_key) or ()]
