"""Reads of accounts: a user's own API tokens."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import ApiToken


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens, active ones first, newest first; revoked ones stay listed (the page shows which)."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
