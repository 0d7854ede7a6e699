"""Security headers on every response: a Content-Security-Policy that allows no inline script and nothing
from another origin (the product runs on intranets), plus a restrictive Permissions-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import archived_refusal

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class ArchivedRefusalMiddleware:
    """A page whose write hits an archived matter (the database refuses it) goes back where the user came from
    with one clear message, not a server error. The API answers the same refusal as a 409 of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        refusal = archived_refusal(exception) if isinstance(exception, IntegrityError) else None
        if refusal is None:
            return None
        messages.error(request, refusal.message)
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return redirect(back if safe and back else "/")


class NulInQueryMiddleware:
    """A NUL character in the address (`?q=a%00b`) is nothing anyone typed, and PostgreSQL refuses it in any
    query: answer 400 — the site's page in Chinese, or the API's error shape — before a view reaches the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "bad_request", "message": "请求地址含有无效字符。", "details": {}},
                                    status=400, json_dumps_params={"ensure_ascii": False})
            raise BadRequest("NUL in the query string")
        return self.get_response(request)
