"""Writes of the reports: publishing a report, making and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from lms.core.services import audit_record
from trainees.reports.filters import scope_to_json
from trainees.reports.models import PublishedReport, ReportAPIToken
from trainees.reports.restatement import report_row_people
from trainees.reports.selectors import report_build, report_frozen
from trainees.selectors.counting import CountScope, participations_in_scope


def report_publish(*, title: str, scope: CountScope, user, filters: dict) -> PublishedReport:
    """Freeze a report's figures, the people and participations behind its headline
    ("unique people trained") and the people behind every other figure and breakdown row,
    so later restatements can say what changed each number."""
    trained = scope.replace(outcomes=("trained",))
    with transaction.atomic():
        report = report_build(scope=scope.replace(outcomes=("trained",)), figure="trained")
        pairs = sorted(
            participations_in_scope(scope=trained).values_list("pk", "counted_person_id")
        )
        published = PublishedReport.objects.create(
            title=title,
            scope=scope_to_json(trained) | {"filters": filters},
            date_from=scope.date_from,
            date_to=scope.date_to,
            figures=report_frozen(report=report),
            person_ids=sorted({person for _pk, person in pairs}),
            participation_ids=[list(pair) for pair in pairs],
            row_people=report_row_people(scope=scope, report=report),
            published_by=user,
        )
        audit_record(
            user=user,
            action="report.publish",
            target=published,
            detail={"filters": filters, "trained": report.headline("trained").value},
        )
    return published


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, name: str, user) -> tuple[ReportAPIToken, str]:
    """Make a token; returns it in clear once (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    api_token = ReportAPIToken.objects.create(
        name=name, key_hash=_token_hash(token), prefix=token[:8], created_by=user
    )
    audit_record(user=user, action="report_api_token.create", target=api_token)
    return api_token, token


def api_token_revoke(*, api_token: ReportAPIToken, user) -> None:
    ReportAPIToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_record(user=user, action="report_api_token.revoke", target=api_token)


def api_token_check(*, token: str) -> ReportAPIToken | None:
    """The live token matching ``token`` (marking it used), or None."""
    if not token:
        return None
    api_token = ReportAPIToken.objects.filter(
        key_hash=_token_hash(token), revoked_at__isnull=True
    ).first()
    if api_token is not None:
        ReportAPIToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    return api_token
