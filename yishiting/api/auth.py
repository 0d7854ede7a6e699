"""Who is calling: a per-user API token (`Authorization: Bearer yst_…`) or the browser's Django session.

A request that carries an Authorization header is judged by that header alone: a malformed, unknown or
revoked token is a 401 even when a session cookie is present too, so a script never silently acts as
whoever is logged in in the browser. Session requests that change something must pass the CSRF check.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from yishiting.accounts.services import token_authenticate
from yishiting.common.errors import DomainError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class InvalidToken(DomainError):
    status = 401

    def __init__(self, message: str = "接口令牌无效或已吊销。") -> None:
        super().__init__("invalid_token", message)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer yst_…` — a token created through POST /api/v1/tokens."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise InvalidToken("Authorization 头格式不正确，应为“Bearer yst_…”。")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is None:
            raise InvalidToken()
        return user


class SessionCsrfAuth(SessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token (header X-CSRFToken)."""

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False) \
                and check_csrf(request) is not None:
            raise DomainError("csrf_failed", "CSRF 校验失败：请刷新页面后重试，或改用接口令牌。", status=403)
        return user


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
API_AUTH = [bearer_auth, session_auth]


def authenticate_optional(request: HttpRequest):
    """The caller if the request carries a token or a session, else None (a bad token still raises 401)."""
    user = bearer_auth(request)
    if user is None and not request.headers.get("Authorization"):
        user = session_auth(request)
    return user


def actor(request: HttpRequest):
    """The authenticated user of this request (set by ninja from API_AUTH)."""
    return request.auth
