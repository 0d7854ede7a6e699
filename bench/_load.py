"""The load loop the HTTP benchmarks share: client threads, each on its own keep-alive connection, send
requests back to back until their source runs dry, and the latencies and errors are gathered."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# (method, path, body, headers, the status that counts as success), or None when the client is done.
Request = tuple[str, str, bytes | None, dict[str, str], int]
HEALTH: Request = ("GET", "/api/v1/health", None, {}, 200)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load(port: int, clients: int, next_request: Callable[[int], Request | None]) -> tuple[Result, float]:
    """Run `clients` threads; thread i asks `next_request(i)` for each request (it must be thread-safe)."""
    result, lock = Result(), threading.Lock()

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, errors = [], []
        while (request := next_request(index)) is not None:
            method, path, body, headers, expected = request
            started = time.perf_counter()
            try:
                connection.request(method, path, body, headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                connection.close()
                continue
            latencies.append(time.perf_counter() - started)
            if response.status != expected:
                errors.append(f"HTTP {response.status}: {payload[:300].decode(errors='replace')}")
        with lock:
            result.latencies += latencies
            result.errors += errors

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, time.perf_counter() - started
