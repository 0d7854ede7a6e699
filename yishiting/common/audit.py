"""Writing the audit log. Callers pass the request when there is one so the IP is recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(*, action: str, outcome: str, request=None, user=None, username: str = "",
                 target: str = "", details: dict[str, Any] | None = None) -> AuditEntry:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(
        action=action, outcome=outcome, user=user,
        username=username or (user.get_username() if user is not None else ""),
        target=target[:200], ip=client_ip(request), details=details or {},
    )


def audit_purge(*, now=None, retention_days: int | None = None) -> int:
    """Delete audit entries older than the retention setting (never less than 180 days). Returns the count."""
    days = max(retention_days or settings.AUDIT_RETENTION_DAYS, 180)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
