"""Lean hot paths in front of Django (docs/adr/0002-lean-hot-paths.md).

A few POST endpoints take thousands of requests a minute in bursts: an estate's owners voting online (votes), a
community's residents filing demands (demands). For those, `FastPaths` wraps the WSGI application: it answers
the plain, successful request itself, on the worker thread's own Django connection, with the same JSON bytes
and headers the ninja view would send — and hands everything else to Django untouched: no or odd
authentication, a cookie, a body it does not recognise, a write that did not happen (already voted, closed,
outside the electorate, an area outside the caller's scope…), SQLite, any database error. So every refusal,
with its code and Chinese message, still comes from the one Django path; the fast path only ever says yes, and
only where Django would have said the same yes (the tests compare both).

A ballot is one prepared statement of its own (votes); a demand runs the view's own schema, service and reply
(demands). Both run under the language LocaleMiddleware would choose. Turned off with FAST_PATHS=false
(settings.FAST_PATHS).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http.request import split_domain_port, validate_host
from django.utils import translation

from yishiting.common.language import chosen_language
from yishiting.common.middleware import strict_transport_security

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Call:
    """What a handler gets: the path's match, the body, the bearer secret and the response language."""

    match: re.Match
    body: bytes
    secret: str
    environ: dict


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class Committed(Exception):  # noqa: N818  (it says what happened, not what went wrong)
    """Raised by a handler that has written and then failed to answer: the request must not go to Django, which
    would write it again. `answer` is what the client gets instead (api.fast.demands: a 503 telling it to retry
    with the same Idempotency-Key); without one the server answers 500."""

    def __init__(self, message: str, answer: Answer | None = None) -> None:
        super().__init__(message)
        self.answer = answer


def error(status: int, code: str, message: str, details: dict, headers: tuple = ()) -> Answer:
    """An answer in the API's error shape, written by its renderer."""
    from yishiting.api.api import api
    from yishiting.api.errors import error_body

    return Answer(status, api.renderer.render(None, error_body(code, message, details), response_status=status)
                  .encode(), headers)


def created(data: dict) -> Answer:
    """A 201 whose body is `data` written by the API's own renderer, as ninja writes a view's reply."""
    from yishiting.api.api import api

    return Answer(201, api.renderer.render(None, data, response_status=201).encode())


Handler = Callable[[Call], Answer | None]
STATUS_LINES = {200: "200 OK", 201: "201 Created", 503: "503 Service Unavailable"}


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern
    handler: Handler
    max_body: int  # bigger bodies go to Django, their stream unread
    name: str  # the Django route's URL name: the metrics count a fast answer under the same route as Django's
    content_type: str = "application/json"  # the body's type; any other goes to Django
    bearer_only: bool = True  # False: the key may come in the body (Open311's api_key), the handler reads it


def _routes() -> list[Route]:
    from . import demands, open311, votes

    return [Route(re.compile(r"/api/v1/votes/([0-9]+)/ballots"), votes.cast, votes.MAX_BODY, "api:cast"),
            Route(re.compile(r"/api/v1/demands"), demands.submit, demands.MAX_BODY, "api:submit_demand"),
            Route(re.compile(r"/open311/v2/requests\.json"), open311.submit, open311.MAX_BODY, "open311:requests",
                  content_type="application/x-www-form-urlencoded", bearer_only=False)]


class FastPaths:
    """WSGI middleware: `application = FastPaths(get_wsgi_application())`."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.routes: list[Route] | None = None  # decided at the first request
        self._hosts: dict[str, bool] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST" and (answer := self._try(environ)) is not None:
            start_response(STATUS_LINES[answer.status], self._headers(environ, answer))
            return [answer.body]
        return self.app(environ, start_response)

    def _enabled_routes(self) -> list[Route]:
        if self.routes is None:
            plain = not (settings.SECURE_SSL_REDIRECT or settings.USE_X_FORWARDED_HOST)
            on = getattr(settings, "FAST_PATHS", True) and connection.vendor == "postgresql" and plain
            self.routes = _routes() if on else []
        return self.routes

    def _try(self, environ: dict) -> Answer | None:
        path = environ.get("PATH_INFO", "")
        for route in self._enabled_routes():
            if match := route.pattern.fullmatch(path):
                environ["yishiting.route"] = route.name  # the metrics' label (Django would set the same)
                return self._handle(environ, match, route)
        return None

    def _handle(self, environ: dict, match: re.Match, route: Route) -> Answer | None:
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        secret = _bearer(authorization)
        if (secret is None and (route.bearer_only or authorization)) or "HTTP_COOKIE" in environ \
                or (environ.get("QUERY_STRING") and not route.bearer_only) or not self._host_ok(environ) \
                or not environ.get("CONTENT_TYPE", "").startswith(route.content_type):
            return None  # (a key in the query string, or HTTP Basic, is Open311's too: Django reads those)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 < length <= route.max_body or environ.get("HTTP_TRANSFER_ENCODING"):
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # Django reads the very same bytes if it gets the request
        if len(body) != length:
            return None
        try:
            with translation.override(self._language(environ)):
                return _run(route.handler, Call(match, body, secret, environ))
        except Committed as committed:
            log.exception("fast path %s wrote and could not answer", environ.get("PATH_INFO"))
            if committed.answer is None:
                raise
            return committed.answer
        except Exception:  # the database refused or failed: nothing was written, Django answers properly
            log.warning("fast path %s failed; Django answers", environ.get("PATH_INFO"), exc_info=True)
            connection.errors_occurred = True  # Django checks the connection before its next request
            return None

    def _host_ok(self, environ: dict) -> bool:
        """What `request.get_host()` (CommonMiddleware) accepts; anything else gets Django's 400."""
        host = environ.get("HTTP_HOST", "")
        known = self._hosts.get(host)
        if known is None:
            domain, _ = split_domain_port(host)
            known = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
            if len(self._hosts) < 1000:
                self._hosts[host] = known
        return known

    def _headers(self, environ: dict, answer: Answer) -> list[tuple[str, str]]:
        """The headers Django's middleware puts on the same JSON answer (tests compare them)."""
        return [("Content-Type", "application/json; charset=utf-8"), ("X-Frame-Options", settings.X_FRAME_OPTIONS),
                ("Content-Length", str(len(answer.body))), ("Vary", "Accept-Language"),
                ("Content-Language", self._language(environ)), *SECURITY_HEADERS, *strict_transport_security(environ),
                *answer.headers]

    def _language(self, environ: dict) -> str:
        """The middleware's choice without a cookie (requests with cookies go to Django): the site's language."""
        return chosen_language({})


def _security_headers() -> list[tuple[str, str]]:
    from yishiting.common.middleware import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY

    return [("Content-Security-Policy", CONTENT_SECURITY_POLICY), ("Permissions-Policy", PERMISSIONS_POLICY),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
            ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)]


SECURITY_HEADERS: list[tuple[str, str]] = []


def _run(handler: Handler, call: Call) -> Answer | None:
    if not SECURITY_HEADERS:
        SECURITY_HEADERS.extend(_security_headers())
    if connection.in_atomic_block:  # only in tests (the test's transaction): a failure must not break it
        with transaction.atomic():
            return handler(call)
    return handler(call)


def _bearer(header: str) -> str | None:
    """The secret of `Bearer yst_…` as `api.auth.BearerTokenAuth` reads it; None for anything else."""
    scheme, _, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith("yst_"):
        return None
    return secret
