"""The page a stale form gets (CSRF_FAILURE_VIEW): typically the person logged in again in another tab, which
renews the security token, and the form in this tab still carried the old one. The site's own layout, in
Chinese, saying what happened and what to do; a demand form's content is kept for its author (web.guard)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ..guard import remember_draft, stash_draft


def _keeps_draft(request: HttpRequest) -> bool:
    try:
        return bool(getattr(resolve(request.path_info).func, "keeps_draft", False))
    except Resolver404:
        return False


def _back(request: HttpRequest, keeps: bool) -> str:
    """Where the button leads: the form itself (it shows the kept draft), else the page the form was on."""
    if keeps:
        return request.path
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return referer if safe and referer else resolve_url("web:home")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    keeps = request.method == "POST" and _keeps_draft(request)
    token = stash_draft(request) if keeps else None
    back = _back(request, keeps)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        back = f"{resolve_url('web:login')}?{urlencode({'next': back})}"
    response = render(request, "web/pages/auth/csrf_failure.html", {"back": back, "kept": bool(token)},
                      status=403)
    return remember_draft(response, token) if token else response
