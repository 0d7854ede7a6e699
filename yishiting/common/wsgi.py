"""The outermost WSGI layer: no response names the server software.

granian adds ``Server: granian`` unless the application sends its own ``Server`` header, in which case it sends
the application's. Every response that passes through the application (Django, WhiteNoise's static files and the
fast paths) therefore carries an empty ``Server``. Responses granian writes by itself (a request it cannot parse)
still name it: a reverse proxy in front removes those (docs/deploy.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


class NoServerHeader:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [(name, value) for name, value in headers if name.lower() != "server"]
            headers.append(("Server", ""))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, start)


class Observed:
    """Each request's id and figures (docs/deploy.md): the request id (yishiting.common.logs) is on every log
    record written while the request runs and in the response's `X-Request-ID`; its latency and status are
    counted under its route's name (yishiting.common.metrics), which Django (RouteNameMiddleware) or a fast path
    leaves in `environ["yishiting.route"]`. `/metrics` is answered here, before Django and its host check, to
    the allowed networks or token only; anyone else goes on to Django, which has no such page (404)."""

    def __init__(self, app: WSGIApp) -> None:
        from django.conf import settings

        from . import metrics

        self.app = app
        self.metrics = metrics
        self.static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        from time import perf_counter

        from .logs import log_context, request_id_from

        started = perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ["yishiting.request_id"] = request_id
        status = [500]

        def start(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = int(line[:3]) if line[:3].isdigit() else 500
            headers = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
            headers.append(("X-Request-ID", request_id))
            return start_response(line, headers, exc_info) if exc_info else start_response(line, headers)

        with log_context(request_id=request_id):
            try:
                if environ.get("PATH_INFO") == "/metrics" and self.metrics.allowed(environ):
                    return self._scrape(environ, start)
                return self.app(environ, start)
            finally:
                path = environ.get("PATH_INFO", "")
                route = environ.get("yishiting.route") or (
                    "static" if path.startswith(self.static_prefix) else "unmatched")
                self.metrics.observe(route, environ.get("REQUEST_METHOD", ""), status[0], perf_counter() - started)

    def _scrape(self, environ: dict, start: Callable[..., Any]) -> Iterable[bytes]:
        from django.core.signals import request_finished, request_started

        environ["yishiting.route"] = "metrics"
        # Django's signals around a request: a stale or broken database connection is replaced, as for a page
        request_started.send(sender=self.__class__, environ=environ)
        try:
            body, content_type = self.metrics.exposition()
        finally:
            request_finished.send(sender=self.__class__)
        start("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))),
                         ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]
