"""Security headers on every response: a Content-Security-Policy that allows no inline script and nothing
from another origin (the product runs on intranets), plus a restrictive Permissions-Policy; request size limits
(413) before a body is read; archived-matter refusals."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.security import SecurityMiddleware
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from .errors import archived_refusal
from .text import TextRefused, text_problem, values_problem
from .uploads import OversizeUpload, human_size, oversize_message, oversize_uploads

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


class _RequestOf(HttpRequest):
    """Just enough of a request for SecurityMiddleware to decide whether it is secure: its WSGI environ."""

    def __init__(self, meta: Mapping[str, Any]) -> None:
        super().__init__()
        self.META = dict(meta)

    def _get_scheme(self) -> str:
        return self.META.get("wsgi.url_scheme", "http")  # as WSGIRequest reads it


def strict_transport_security(meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The Strict-Transport-Security header Django's SecurityMiddleware puts on a request with this WSGI environ
    — only when secure (HTTPS, or a TLS proxy's SECURE_PROXY_SSL_HEADER), with SECURE_HSTS_SECONDS and its flags
    (docs/deploy.md) — decided by that middleware itself, so the fast paths in front of Django (api.fast), which
    answer without it, send exactly what it sends."""
    if not settings.SECURE_HSTS_SECONDS:
        return []
    # What the decision reads: the scheme, the TLS proxy's header and the settings, kept per process (a few
    # combinations in practice; a client sending odd proxy headers pushes out only the least recently used).
    proxy = settings.SECURE_PROXY_SSL_HEADER
    return list(_hsts(meta.get("wsgi.url_scheme"), meta.get(proxy[0]) if proxy else None, tuple(proxy or ()),
                      settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD))


@functools.lru_cache(maxsize=64)
def _hsts(scheme: str | None, proxy_value: str | None, proxy: tuple, *_settings) -> tuple:
    """What SecurityMiddleware sends for this scheme and proxy header (the settings are in the cache key)."""
    meta = {"wsgi.url_scheme": scheme} if scheme is not None else {}
    if proxy and proxy_value is not None:
        meta[proxy[0]] = proxy_value
    response = HttpResponse()
    SecurityMiddleware(lambda request: response).process_response(_RequestOf(meta), response)
    value = response.headers.get("Strict-Transport-Security")
    return (("Strict-Transport-Security", value),) if value else ()


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Static files (WhiteNoise answers them before Django's XFrameOptionsMiddleware runs) need it too.
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
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


class UploadLimitMiddleware:
    """413 for a request body over its limit, decided before the body is read or stored (common.uploads).

    A multipart body larger than MAX_UPLOAD_BYTES (a non-multipart one larger than MAX_REQUEST_BYTES) is refused
    on its Content-Length alone. A multipart body is then read here, through LimitedUploadHandler, so a body
    that runs past its Content-Length's limit is refused too, and an API request with a file over its own limit
    gets its 413 at once. A web form with such a file goes on to its view, whose form says which file it was and
    keeps what was typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            return None
        multipart = request.content_type == "multipart/form-data"
        limit = settings.MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large(request, limit)
        if not multipart:
            return None
        try:
            files = request.FILES  # read now, with the limits: the views and CSRF check get the parsed form
        except RequestDataTooBig as exc:
            return too_large(request, getattr(exc, "limit", settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
        except MultiPartParserError:
            if not is_api(request):
                raise  # Django's 400 page, as when the CSRF check reads the form
            return api_error(400, "malformed_multipart", gettext("请求体不是有效的 multipart/form-data。"))
        oversize = oversize_uploads(files)
        if oversize and is_api(request):
            return file_too_large(oversize[0])
        return None


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    """The API's error shape {code, message, details} (api.errors), for refusals made before the API is reached."""
    return JsonResponse({"code": code, "message": message, "details": details or {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """The API's error body (as api.errors answers RequestDataTooBig) or the site's page, both with 413."""
    if is_api(request):
        return api_error(413, "request_too_large", gettext('请求内容过大：上限为 %(human_size)s。') % {"human_size": human_size(limit)}, {"max_bytes": limit})
    return render(request, "413.html", {"limit": human_size(limit),
                                        "upload_limit": human_size(settings.MAX_UPLOAD_BYTES),
                                        "text_limit": human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}, status=413)


def file_too_large(upload: OversizeUpload) -> HttpResponse:
    return api_error(413, "file_too_large", oversize_message(upload), {
        "field": upload.field_name, "index": upload.index, "name": upload.name, "max_bytes": upload.limit})


class TextEdgeMiddleware:
    """The product's text rule (docs/text-input.md, common.text) on everything the address carries — every query
    parameter (search boxes, list filters, pickers' q=, the area search) and every path parameter — before any
    view reads it, and on a value a view read without a form (`TextRefused`, from common.text.posted_text).

    A refusal names the parameter, in the error format of where it was sent: the API's 422, Open311's own error
    list (JSON or XML, by the address's suffix), the site's Chinese 400 page elsewhere. Nothing is written:
    the view never runs. (Posted forms apply the same rule field by field: common.forms.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = _refused_in_query(request) or _refused_in_path(request)
        if refused is not None:
            return text_refusal(request, refused)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TextRefused):
            return text_refusal(request, ("form", exception.field, exception.code, exception.message))
        return None


Refused = tuple[str, str, str, str]  # location (query, path, form), name, code, message


def _refused_in_query(request: HttpRequest) -> Refused | None:
    for key, values in request.GET.lists():
        if problem := text_problem(key) or values_problem(values):
            return "query", _printable(key), *problem
    return None


def _refused_in_path(request: HttpRequest) -> Refused | None:
    """A path parameter (`/pick/<kind>/`, an Open311 service code) under the rule, named when the path names a
    view (else the whole path is what is refused); the path itself is checked first so that a plain address
    costs nothing."""
    path = request.path_info
    if not (problem := text_problem(path)):
        return None
    try:
        kwargs = resolve(path).kwargs
    except Resolver404:
        kwargs = {}
    for name, value in kwargs.items():
        if isinstance(value, str) and (own := text_problem(value)):
            return "path", name, *own
    return "path", "path", *problem


def _printable(name: str) -> str:
    return "".join(ch for ch in name if not text_problem(ch))[:40]


def text_refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    location, name, code, message = refused
    if is_api(request):  # as the API's schemas refuse it in a body: 422 naming the field (docs/text-input.md)
        return api_error(422, "validation_error", f"提交的数据有误：“{name}”：{message.rstrip('。')}。",  # zh-only: API
                         {"errors": [{"location": location, "field": name, "type": code, "message": message}]})
    if request.path_info.startswith("/open311/"):
        from yishiting.open311.render import error

        return error("xml" if request.path_info.endswith(".xml") else "json", 400, f"{name}：{message}")  # zh-only
    if "_" in name:  # a code (area_q, person_q) means nothing to a reader: the page says where, not which
        refusal = gettext("网址中的一个参数：%(problem)s") % {"problem": message}
    else:
        refusal = gettext("“%(field)s”：%(problem)s") % {"field": name, "problem": message}
    return render(request, "400.html", {"refusal": refusal}, status=400)


class RouteNameMiddleware:
    """Leaves the matched URL pattern's name (`web:home`, `api:submit_demand`; the pattern itself when it has no
    name) in the WSGI environ, where the metrics layer (common.wsgi.Observed) labels the request with it: a
    bounded set of labels, never the raw path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        match = request.resolver_match
        if match is not None:
            request.META["yishiting.route"] = match.view_name or match.route or "unnamed"
