"""Authorization helpers for routers: find an object within the caller's view scope, then check a named
permission on it. Not visible → 404 (never reveal that it exists); visible but not allowed → 403."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from yishiting.common.errors import NotFound, PermissionDeniedError
from yishiting.common.rules import has_perm, scope_for

M = TypeVar("M", bound=Model)


def visible_or_404(queryset: QuerySet[M], pk: int | None, message: str | None = None) -> M:
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise NotFound(message) if message else NotFound()
    return obj


def require(user, permission: str, obj=None, message: str | None = None) -> None:
    if not has_perm(user, permission, obj):
        raise PermissionDeniedError(message) if message else PermissionDeniedError()


def require_everywhere(user, permission: str, message: str | None = None) -> None:
    """For acts with no object to scope them (e.g. a new top-level area): only an all-covering scope will do."""
    if not scope_for(user, permission).everything:
        raise PermissionDeniedError(message) if message else PermissionDeniedError()
