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
