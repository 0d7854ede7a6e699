"""Password login with lockout: after LOGIN_MAX_FAILURES failures within LOGIN_LOCKOUT_MINUTES the account
is locked for LOGIN_LOCKOUT_MINUTES. Every attempt is audited. Used by the web login, the admin and the API."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import router

from yishiting.common.audit import audit_record
from yishiting.common.keyed import read_one
from yishiting.common.models import AuditEntry

from .services import login_is_locked


class LockoutBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of every request, as ModelBackend reads it, by SQL compiled once (common/keyed.py)."""
        model = get_user_model()
        user = read_one(model, router.db_for_read(model), (("pk", user_id),))
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if login_is_locked(username):
            audit_record(action=AuditEntry.Action.LOGIN, outcome=AuditEntry.Outcome.LOCKED,
                         request=request, username=username)
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        audit_record(action=AuditEntry.Action.LOGIN,
                     outcome=AuditEntry.Outcome.SUCCESS if user else AuditEntry.Outcome.FAILURE,
                     request=request, user=user, username=username)
        return user
