"""Platform-wide writes: the audit trail."""

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    user,
    action: str,
    target: models.Model | None,
    detail: dict | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Record who did what. Called by every view or export of personal data and every merge."""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        detail=detail or {},
        reason=reason,
        ip_address=ip_address,
    )
