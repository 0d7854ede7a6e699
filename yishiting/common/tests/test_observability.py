"""/metrics, request ids in the logs and in the jobs a request enqueues (docs/deploy.md), through the real WSGI
stack (config.wsgi: Django's test client skips it)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.wsgi import application
from yishiting.api.tests.wsgi import call, environ
from yishiting.common import jobs
from yishiting.common.logs import JsonFormatter, RequestIdFilter, TextFormatter
from yishiting.common.models import Job
from yishiting.common.wsgi import Observed

pytestmark = pytest.mark.django_db


def get(path: str, *, remote: str = "127.0.0.1", headers: dict[str, str] | None = None):
    env = environ(path, None, method="GET", headers=headers, content_type="")
    env["REMOTE_ADDR"] = remote
    return call(application, env)


def header(reply, name: str) -> str:
    return next(value for key, value in reply.headers if key.lower() == name.lower())


@pytest.fixture
def json_lines():
    """The JSON lines the root logger writes (LOG_FORMAT=json's formatter and filter)."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect(level=logging.INFO)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_metrics_answer_prometheus_text_with_the_request_figures_by_route_name():
    from django.utils import timezone

    from yishiting.notifications.models import Delivery

    now = timezone.now()
    Delivery.objects.create(
        channel="sms",
        to="13800000000",
        text="x",
        state="failed",
        provider="aliyun",
        provider_code="isv.BUSINESS_LIMIT_CONTROL",
        next_attempt_at=now,
    )
    Job.objects.create(key="tests:failing", name="tests.failing", attempts=1, last_error="ValueError: x")
    assert get("/api/v1/demands/987654").code in {401, 404}  # a path with an id in it
    reply = get("/metrics")
    assert reply.code == 200
    assert header(reply, "Content-Type").startswith("text/plain; version=0.0.4")
    text = reply.body.decode()
    for name in (
        "yishiting_http_request_duration_seconds_bucket",
        "yishiting_http_responses_total",
        "yishiting_jobs_pending",
        "yishiting_jobs_failing",
        "yishiting_jobs_gave_up",
        "yishiting_queue_tasks",
        "yishiting_messages_24h",
        "yishiting_metrics_errors 0.0",
    ):
        assert name in text, name
    # the route is the URL pattern's name, never the path: the id appears nowhere
    assert re.search(
        r'yishiting_http_responses_total\{method="GET",route="api:get_demand",status="40[14]"\}', text
    )
    assert re.search(
        r'yishiting_http_request_duration_seconds_count\{method="GET",route="api:get_demand"\}', text
    )
    assert "987654" not in text and "/api/v1/demands" not in text
    assert 'yishiting_messages_24h{channel="sms",provider="aliyun",state="failed"} 1.0' in text
    assert "yishiting_jobs_failing 1.0" in text
    if connection.vendor == "postgresql":
        assert 'yishiting_db_connections{state="active"}' in text and "yishiting_db_max_connections" in text


def test_metrics_are_a_404_from_another_address_or_through_a_proxy(settings):
    assert get("/metrics", remote="203.0.113.7").code == 404
    # nginx on the same machine forwards a public client: judged by the client, not by the loopback peer
    assert get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"}).code == 404
    settings.METRICS_ALLOWED_NETS = ["10.0.0.0/8"]
    assert get("/metrics", remote="10.2.3.4").code == 200
    assert get("/metrics").code == 404
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    bearer = {"Authorization": "Bearer s3cret-token-for-prometheus"}
    assert get("/metrics", remote="203.0.113.7", headers=bearer).code == 200
    assert (
        get("/metrics", remote="203.0.113.7", headers={"Authorization": "Bearer wrong-token-0123456"}).code
        == 404
    )


def test_a_request_s_log_lines_are_json_with_its_request_id(json_lines):
    reply = get(
        "/no-such-page/", headers={"X-Request-ID": "edge-7f3a9c21"}
    )  # Django logs "Not Found" (warning)
    assert reply.code == 404 and header(reply, "X-Request-ID") == "edge-7f3a9c21"
    entries = [json.loads(line) for line in json_lines]
    assert entries and all(entry["request_id"] == "edge-7f3a9c21" for entry in entries)
    assert any("/no-such-page/" in entry["message"] and entry["level"] == "WARNING" for entry in entries)

    forged = get("/no-such-page/", headers={"X-Request-ID": 'x"\n{"level":"ERROR"}'})
    assert re.fullmatch(
        r"[0-9a-f]{32}", header(forged, "X-Request-ID")
    )  # replaced, never copied into a log line
    assert json.loads(json_lines[-1])["request_id"] == header(forged, "X-Request-ID")


def test_a_job_enqueued_in_a_request_logs_with_the_request_s_id(json_lines, monkeypatch):
    def noisy(*, n: int) -> str:
        logging.getLogger("yishiting.tests").warning("job working on %s", n)
        return "ok"

    monkeypatch.setitem(jobs._JOBS, "tests.noisy", jobs.JobSpec(func=noisy, atomic=True))

    def enqueue(env, start_response):
        jobs.job_enqueue("tests.noisy", key="tests.noisy:1", n=1)
        start_response("204 No Content", [])
        return [b""]

    env = environ("/enqueue", None, method="POST", headers={"X-Request-ID": "req-0123456789"})
    assert header(call(Observed(enqueue), env), "X-Request-ID") == "req-0123456789"
    assert Job.objects.get(key="tests.noisy:1").request_id == "req-0123456789"
    json_lines.clear()
    assert jobs.jobs_run_pending() >= 1  # what the worker does
    working = [json.loads(line) for line in json_lines if "job working on 1" in line]
    assert working == [dict(working[0], request_id="req-0123456789", job="tests.noisy:1", level="WARNING")]


def test_text_format_names_the_request_and_json_format_keeps_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom %s", ("now",), None)
    record.request_id, record.job = "abcdef012345", ""
    assert TextFormatter().format(record).endswith("x: boom now [request_id=abcdef012345]")
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "boom now" and "ValueError: bad" in entry["exc"]


def test_a_server_process_freezes_what_it_loaded_so_no_request_waits_for_a_full_collection_over_it():
    """config.wsgi, as each granian worker loads it: Django, the project, the URL conf with every view module — all
    frozen, out of the garbage collector's full passes (bench/gc_pause.py measures the pause this spares)."""
    code = "import gc, config.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k" * 50, "DEBUG": "false",
           "ALLOWED_HOSTS": "localhost"}
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, tracked = map(int, done.stdout.split())
    assert frozen > 200_000 and tracked < frozen / 50  # the views were loaded before the freeze, not after
