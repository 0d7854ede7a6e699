"""A job for the kill tests (test_jobs_kill.py), imported by the test and by the worker subprocess it starts: its
effect is one audit row named after the job's key; on its first run it pauses after writing it, uncommitted,
so that a worker killed then leaves nothing behind."""

from __future__ import annotations

import time

from yishiting.common.jobs import register_job
from yishiting.common.models import AuditEntry, Job


def slow_effect(*, marker: str, pause: float) -> str:
    AuditEntry.objects.create(username=marker, action=AuditEntry.Action.LOGIN, outcome=AuditEntry.Outcome.SUCCESS)
    if Job.objects.get(key=marker).attempts == 1:
        time.sleep(pause)
    return "ok"


register_job("tests.slow_effect", slow_effect)
