"""Log records that say which request (and which job) they belong to (docs/deploy.md, 日志).

A request id is taken from the request's `X-Request-ID` header when it is well-formed (nginx's `$request_id`, a
UUID), otherwise generated; `yishiting.common.wsgi.Observed` puts it in a context variable for the time of the
request and sends it back in the response's `X-Request-ID`. Every log record then carries it (`RequestIdFilter`
on the handler), in either format the LOG_FORMAT setting picks: `text` (development) or `json` (one object per
line, for a log collector). A job enqueued during the request stores the id (common.Job.request_id) and the
worker restores it while the job runs (common.jobs.run_job), so the job's lines carry the same id.

Imported by the LOGGING setting: no models here.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
job_var: contextvars.ContextVar[str] = contextvars.ContextVar("job", default="")

# 8-128 characters of letters, digits and - _ . : (a UUID, nginx's 32 hex digits, a trace id): anything else —
# a header a client made up to forge or break log lines — is replaced by a fresh id.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The incoming header's id if it is well-formed, a new one otherwise."""
    if header and WELL_FORMED.fullmatch(header):
        return header
    return new_request_id()


def current_request_id() -> str:
    return request_id_var.get()


@contextmanager
def log_context(*, request_id: str = "", job: str = "") -> Iterator[None]:
    """Within the block, log records carry `request_id` (and `job`)."""
    tokens = (request_id_var.set(request_id), job_var.set(job))
    try:
        yield
    finally:
        job_var.reset(tokens[1])
        request_id_var.reset(tokens[0])


class RequestIdFilter(logging.Filter):
    """Adds `request_id` and `job` to every record the handler writes (empty outside a request or job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        if not getattr(record, "job", None):
            record.job = job_var.get()
        return True


class TextFormatter(logging.Formatter):
    """`2026-12-07 10:00:00,123 WARNING yishiting.x: message [request_id=… job=…]`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = " ".join(
            f"{name}={value}" for name in ("request_id", "job") if (value := getattr(record, name, ""))
        )
        if not context:
            return text
        first, newline, rest = text.partition("\n")  # after the message, before a traceback
        return f"{first} [{context}]{newline}{rest}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC, ISO 8601), level, logger, message, request_id, job when in one, pid,
    status_code when Django logged one, exc (the traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
            "pid": record.process,
        }
        job = getattr(record, "job", "") or job_var.get()
        if job:
            entry["job"] = job
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status_code"] = status
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
