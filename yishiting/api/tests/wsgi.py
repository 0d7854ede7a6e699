"""Calling the real WSGI stack in-process: `config.wsgi`'s fast paths and Django behind them, byte for byte.

Django's own test client skips the WSGI wrapper, so the fast path tests build the environ a server would and
call the application; a `Recorder` in front of Django tells whether the fast path answered or handed over.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

HOST = "testserver"


@dataclass
class Reply:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def code(self) -> int:
        return int(self.status.split()[0])

    def json(self):
        return json.loads(self.body)

    def headers_but_length(self) -> list[tuple[str, str]]:
        """The headers, Content-Length blanked: two replies that differ only in an id (a sequence does not roll
        back) differ in length when one id has a digit more (99 → 100)."""
        return [(name, "" if name == "Content-Length" else value) for name, value in self.headers]


class Recorder:
    """Stands before Django and counts the requests that reached it."""

    def __init__(self, app) -> None:
        self.app, self.calls = app, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


def environ(path: str, body: bytes | str | dict | None, *, token: str | None = None, method: str = "POST",
            headers: dict[str, str] | None = None, content_type: str = "application/json") -> dict:
    raw = json.dumps(body).encode() if isinstance(body, dict) else body.encode() if isinstance(body, str) \
        else body or b""
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
           "SERVER_NAME": HOST, "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": HOST,
           "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(raw)), "wsgi.input": io.BytesIO(raw),
           "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(), "wsgi.multithread": False,
           "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}
    if token is not None:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for name, value in (headers or {}).items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def call(app, env: dict) -> Reply:
    """One request through `app`. Like Django's test client, the request signals leave the database connection
    alone (the test's transaction is on it)."""
    started: list = []

    def start_response(status, headers, exc_info=None):
        started.append((status, list(headers)))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(env, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, headers = started[0]
    return Reply(status, headers, body)


def both(env_for: Callable[[], dict], written: Callable[[], object]) -> tuple[Reply, Reply, int]:
    """The same request through the fast paths (in front of Django) and straight to Django; how many of the
    first reached Django. The fast path's writes (`written()` counts them) are rolled back before Django gets its
    turn; a refusal wrote nothing at all."""
    from config.wsgi import django_application
    from yishiting.api.fast import FastPaths

    recorder = Recorder(django_application)
    before = written()
    with transaction.atomic():
        fast = call(FastPaths(recorder), env_for())
        assert fast.code == 201 or written() == before, fast.body.decode()
        transaction.set_rollback(True)
    return fast, call(django_application, env_for()), recorder.calls
