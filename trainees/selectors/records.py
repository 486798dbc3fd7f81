"""What a person's record page shows: identifiers, participations, certificates, statements,
merge history. Each part is one query whatever its length."""

from __future__ import annotations

import json

from django.db.models import Q, QuerySet

from trainees.models import Participation, Person, StatementActor

from .people import person_agent_keys

STATEMENTS_SHOWN = 50


def person_participations(*, person: Person) -> QuerySet[Participation]:
    """Every participation of the person and of people merged into them, voided ones too."""
    return (
        Participation.objects.filter(Q(person=person) | Q(person__merged_into=person))
        .select_related("event", "programme", "organisation", "place", "field_office")
        .order_by("-date", "-pk")
    )


def person_certificates(*, person: Person) -> list:
    """Certificates issued to the person's accounts (the courses app owns certificates)."""
    from courses.selectors import certificates_for_person

    return certificates_for_person(person=person)


def person_statements(*, person: Person, limit: int = STATEMENTS_SHOWN) -> list[dict]:
    """The latest statements about the person in the LRS (all their agents), newest first."""
    from lms.xapi.models import Statement

    keys = person_agent_keys(person=person)
    linked = StatementActor.objects.filter(Q(person=person) | Q(person__merged_into=person)).values(
        "statement_id"
    )
    rows = (
        Statement.objects.filter(Q(actor_key__in=keys) | Q(statement_id__in=linked))
        .order_by("-stored")
        .values("statement_id", "verb_id", "object_activity_id", "timestamp", "voided", "raw")[
            :limit
        ]
    )
    statements = []
    for row in rows:
        raw = json.loads(row["raw"])
        display = raw.get("verb", {}).get("display", {})
        name = raw.get("object", {}).get("definition", {}).get("name", {})
        statements.append({**row, "verb_display": display, "object_name": name})
    return statements


def person_merge_history(*, person: Person) -> list:
    """Merges this person took part in (as survivor or merged), newest first."""
    try:
        from trainees.review.models import Merge
    except ImportError:
        return []
    return list(
        Merge.objects.filter(Q(survivor=person) | Q(merged=person))
        .select_related("survivor", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-pk")
    )
