"""A worker killed with -9 in the middle of a job: the job runs again and its effect happens once — with real
worker processes (`yishiting worker`) on the database queue and on RQ (the local Redis). The workers need the
test's database committed and reachable from another process, so these run in the PostgreSQL round."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from yishiting.common.jobs import job_enqueue, jobs_recover
from yishiting.common.models import AuditEntry, Job
from yishiting.common.tests import slow_job  # noqa: F401 — registers tests.slow_effect here too

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REPO = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own on the machine's Redis
RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
WORKER = ("import django; django.setup(); import yishiting.common.tests.slow_job; "
          "from django.core.management import call_command; import sys; call_command('worker', *sys.argv[1:])")


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("工作进程须连到本测试已提交的数据库：SQLite 的测试库在内存中，本测试在 PostgreSQL 轮次中运行")


def _env(backend: str) -> dict[str, str]:
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    return {**os.environ, "DATABASE_URL": urlunsplit(url), "TASKS_BACKEND": backend, "REDIS_URL": REDIS_URL,
            "JOBS_EMBEDDED": "false", "PYTHONUNBUFFERED": "1"}


def _worker(backend: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, *args], cwd=REPO, env=_env(backend),
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_started(job: Job, worker: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while Job.objects.get(pk=job.pk).attempts < 1:
        if worker.poll() is not None:
            pytest.fail("the worker stopped: " + worker.stdout.read()[-3000:])
        if time.monotonic() > deadline:
            os.killpg(worker.pid, signal.SIGKILL)
            pytest.fail("the worker did not start the job")
        time.sleep(0.2)
    time.sleep(1.0)  # inside the job's pause: the effect is written, not committed


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill(worker: subprocess.Popen) -> None:
    """kill -9 the worker and what it forked: RQ's work-horse runs the job in a session of its own (setsid)."""
    for pid in [*_children(worker.pid), worker.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=30)


def _effects(marker: str) -> int:
    return AuditEntry.objects.filter(username=marker).count()


def _recover_after_the_lease(settings) -> int:
    settings.JOBS_LEASE_SECONDS = 1
    for _ in range(100):  # PostgreSQL ends the killed worker's transaction (and frees its row lock) when it notices
        if pushed := jobs_recover(timezone.now() + timedelta(seconds=2)):
            return pushed
        time.sleep(0.2)
    return 0


def _run_to_the_end(backend: str) -> None:
    worker = _worker(backend, "--batch")
    out, _err = worker.communicate(timeout=300)
    assert worker.returncode == 0, out[-3000:]


def test_a_database_queue_worker_killed_mid_job_the_job_runs_again_and_its_effect_happens_once(settings):
    marker = f"kill-db-{uuid.uuid4().hex[:8]}"
    job = job_enqueue("tests.slow_effect", key=marker, marker=marker, pause=120)
    worker = _worker("db", "--interval", "0.2")
    _wait_started(job, worker)
    _kill(worker)
    assert _effects(marker) == 0 and Job.objects.get(pk=job.pk).done_at is None
    assert _recover_after_the_lease(settings) == 1
    _run_to_the_end("db")
    job.refresh_from_db()
    assert (_effects(marker), job.attempts, job.summary) == (1, 2, "ok") and job.done_at is not None
    assert jobs_recover(timezone.now() + timedelta(seconds=5)) == 0  # done: nothing to push again
    _run_to_the_end("db")
    assert _effects(marker) == 1


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis 不可达（{REDIS_URL}）：RQ 队列的测试需要本机的 Redis")
    return client


def test_an_rq_worker_killed_mid_job_the_job_runs_again_and_its_effect_happens_once(settings):
    _redis_or_skip()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    with override_settings(TASKS=RQ):
        import django_rq

        django_rq.get_queue("default").empty()
        marker = f"kill-rq-{uuid.uuid4().hex[:8]}"
        job = job_enqueue("tests.slow_effect", key=marker, marker=marker, pause=120)  # autocommit: pushed now
        assert Job.objects.get(pk=job.pk).enqueued_at is not None
        assert django_rq.get_queue("default").count == 1
        worker = _worker("rq")
        _wait_started(job, worker)
        _kill(worker)
        assert _effects(marker) == 0
        assert _recover_after_the_lease(settings) == 1
        _run_to_the_end("rq")
        job.refresh_from_db()
        assert (_effects(marker), job.attempts) == (1, 2) and job.done_at is not None
        assert django_rq.get_queue("default").count == 0
