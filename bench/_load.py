"""The load loop the HTTP benchmarks share: client threads, each on its own keep-alive connection, send
requests back to back until their source runs dry, and the latencies and errors are gathered."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# (method, path, body, headers, the status that counts as success), or None when the client is done.
Request = tuple[str, str, bytes | None, dict[str, str], int]
HEALTH: Request = ("GET", "/api/v1/health", None, {}, 200)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, one per request (the Python client)
    errors: list[str] = field(default_factory=list)
    done: int | None = None  # successes, when counted by the client (wrk) rather than from the errors
    quantiles: dict[str, float] | None = None  # seconds: mean, p50, p90, p99 and max as wrk computed them

    def percentiles(self) -> dict[str, float]:
        """mean, p50, p90, p99 and max in seconds: wrk's own figures, or computed from every request's latency."""
        if self.quantiles is not None:
            return self.quantiles
        ordered = sorted(self.latencies)
        if not ordered:
            return dict.fromkeys(("mean", "p50", "p90", "p99", "max"), 0.0)

        def at(share: float) -> float:
            return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

        return {"mean": statistics.fmean(ordered), "p50": statistics.median(ordered), "p90": at(0.9),
                "p99": at(0.99), "max": ordered[-1]}


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


WRK_SCRIPT = Path(__file__).with_name("_wrk.lua")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_load(port: int, clients: int, requests: list[Request]) -> tuple[Result, float]:
    """The same requests, each sent once, by wrk (Debian's `wrk`, C, one thread): the client costs the server
    machine a few per cent of a core instead of the Python threads' ~0.4 ms per request. Latencies come back as
    wrk's percentiles only (Result.quantiles; Result.latencies stays empty)."""
    expected = requests[0][4]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as lines:
        for method, path, body, headers, _ in requests:
            head = "\x1f".join(f"{k}: {v}" for k, v in headers.items())
            text = (body or b"").decode()
            if "\n" in text or "\t" in text:
                raise ValueError("wrk_load: bodies must be one line without tabs")
            lines.write(f"{method}\t{path}\t{head}\t{text}\n")
    env = {**os.environ, "WRK_REQUESTS": lines.name}
    command = ["wrk", "-t1", f"-c{clients}", "-d600s", "--timeout", "60s", "-s", str(WRK_SCRIPT),
               f"http://127.0.0.1:{port}"]
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
            output = []
            for text in process.stdout:
                output.append(text)
                if text.startswith("STOPPED"):
                    process.send_signal(signal.SIGINT)  # wrk then prints its summary at once
            output = "".join(output)
    finally:
        os.unlink(lines.name)
    line = next(x for x in output.splitlines() if x.startswith("WRK "))
    fields = dict(part.split("=") for part in line.split()[1:])
    statuses = {int(k[1:]): int(v) for k, v in fields.items() if k.startswith("c")}
    done = min(statuses.get(expected, 0), len(requests))
    result = Result()
    result.quantiles = {k: float(fields[k]) / 1000 for k in ("mean", "p50", "p90", "p99", "max")}
    # Connections that found the list empty sent one GET /health each (200): not an error of the run.
    result.errors = [f"HTTP {status} ×{n}" for status, n in statuses.items()
                     if status != expected and not (status == 200 and expected != 200)]
    result.errors += [x[6:] for x in output.splitlines() if x.startswith("ERROR ")]  # the first bodies
    result.done = done
    return result, float(fields["seconds"])


def run(port: int, clients: int, next_request: Callable[[int], Request | None], client: str) -> tuple[Result, float]:
    """`load` (client="python") or `wrk_load` (client="wrk") over the same requests."""
    if client == "python":
        return load(port, clients, next_request)
    requests, index = [], 0
    while (request := next_request(index % clients)) is not None:
        requests.append(request)
        index += 1
    return wrk_load(port, clients, requests)
