"""Background jobs on Django's Tasks API (docs/adr/0004-task-queue.md), through one outbox.

    job_enqueue("handling.dossier_files", key=f"dossier_files:{dossier.pk}", dossier_id=dossier.pk)

records a `Job` row in the caller's transaction, under a key that names the job's effect: the work is recorded if
and only if the change that causes it commits, and recording the same key again is the same job. The row is then
pushed to the queue the TASKS_BACKEND setting picks — in the same transaction when the queue is this database
(`db`), right after the commit otherwise (`rq`, `immediate`). A push lost between the commit and Redis, a worker
killed with -9 mid-job, a run that failed: `jobs_recover` (the scheduler, each few seconds) pushes again every job
still not done a lease after its push. The same job may therefore run twice; its effect happens once, because

- an *atomic* job (the default) runs inside one transaction that holds the Job row locked, does its writes and
  sets `done_at`: a run that dies leaves nothing behind, and a second run finds `done_at` set and does nothing;
- a job registered with `atomic=False` (the tick, the roll-ups: long, each part committing on its own) is
  idempotent by its own construction, so running it again is harmless.

common imports no domain: a domain registers its jobs in AppConfig.ready() (`register_job(name, fn)`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task, task_backends

from .errors import PermissionDeniedError
from .logs import current_request_id, log_context
from .models import Job

logger = logging.getLogger(__name__)
NEW_JOB_GRACE = timedelta(seconds=30)  # a job never pushed (its on-commit push was lost) is pushed after this


@dataclass(frozen=True)
class JobSpec:
    func: Callable[..., Any]
    atomic: bool


_JOBS: dict[str, JobSpec] = {}


def register_job(name: str, func: Callable[..., Any], *, atomic: bool = True) -> None:
    """`func(**kwargs)` does the work and returns a short summary (stored on the Job). See the module docstring
    for `atomic`."""
    _JOBS[name] = JobSpec(func=func, atomic=atomic)


def registered_jobs() -> dict[str, JobSpec]:
    return dict(_JOBS)


def queue_is_database() -> bool:
    """True when the queue's rows live in this database, so a push is part of the caller's transaction."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def job_enqueue(name: str, *, key: str, **kwargs: Any) -> Job:
    """Record the job `name(**kwargs)` under `key` with the caller's change, once (the same key again returns the
    first job, whatever its state). kwargs must be JSON: ids and ISO dates, never model instances."""
    if name not in _JOBS:
        raise LookupError(f"unknown job {name!r}")
    job, created = Job.objects.get_or_create(
        key=key, defaults={"name": name, "kwargs": kwargs, "request_id": current_request_id()})
    if created:
        if queue_is_database():
            _push(job)
        else:  # robust: a Redis outage must not fail the request whose change committed; jobs_recover pushes it
            transaction.on_commit(partial(_push_pending, job.pk), robust=True)
    return job


def _push(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now(), task_id=str(result.id)[:64])


def _push_pending(pk: int) -> None:
    job = Job.objects.filter(pk=pk, done_at=None, enqueued_at=None).first()
    if job is not None:
        _push(job)


@task()
def run_job(job_id: int) -> str:
    """The one task the queue knows: run the outbox row `job_id` (see the module docstring). Its log lines carry
    the id of the request that enqueued it (common.logs)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.done_at is not None:
        return "already done"
    with log_context(request_id=job.request_id, job=job.key):
        return _run(job)


def _run(job: Job) -> str:
    job_id = job.pk
    spec = _JOBS[job.name]
    Job.objects.filter(pk=job_id).update(attempts=F("attempts") + 1, started_at=timezone.now())
    try:
        if spec.atomic:
            with transaction.atomic():
                locked = Job.objects.select_for_update().get(pk=job_id)
                if locked.done_at is not None:  # another run finished it while this one waited for the lock
                    return "already done"
                summary = str(spec.func(**locked.kwargs) or "")
                _finish(job_id, summary)
        else:
            summary = str(spec.func(**job.kwargs) or "")
            _finish(job_id, summary)
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        logger.warning("job %s failed", job.key, exc_info=True)
        raise
    logger.info("job %s done: %s", job.key, summary[:200])
    return summary


def _finish(job_id: int, summary: str) -> None:
    Job.objects.filter(pk=job_id, done_at=None).update(done_at=timezone.now(), summary=summary[:2000], last_error="")


def _stale(now) -> Q:
    lease = timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    return Q(enqueued_at=None, created_at__lt=now - min(NEW_JOB_GRACE, lease)) | Q(enqueued_at__lt=now - lease)


def jobs_recover(now=None, *, limit: int = 500) -> int:
    """Push again every job not done a lease after its push (JOBS_LEASE_SECONDS), or never pushed, up to
    JOBS_MAX_ATTEMPTS runs. An atomic job that is running holds its row locked and is skipped (PostgreSQL)."""
    now = now or timezone.now()
    candidates = Job.objects.filter(done_at=None, attempts__lt=settings.JOBS_MAX_ATTEMPTS).filter(_stale(now))
    pushed = 0
    for pk in list(candidates.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            job = candidates.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:  # running under its worker's lock, or done meanwhile
                continue
            try:
                _push(job)
            except Exception:  # the queue is down (Redis): the next round tries again
                logger.exception("could not push job %s", job.key)
                continue
            pushed += 1
    return pushed


@transaction.atomic
def job_retry(*, actor, job: Job) -> bool:
    """A job not done (it gave up after JOBS_MAX_ATTEMPTS, its cause since fixed) gets its attempts back and is
    pushed again; False for a job already done. Superusers only (the admin's action)."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDeniedError(gettext("只有系统管理员可以重新运行后台任务。"))
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.done_at is not None:
        return False
    Job.objects.filter(pk=locked.pk).update(attempts=0, last_error="")
    _push(locked)
    return True


def jobs_prune(*, days: int = 14, now=None) -> int:
    """Forget finished jobs after `days` (the scheduler, daily): their effects are in the domain's own tables."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _per_model = Job.objects.filter(done_at__lt=cutoff).delete()
    if queue_is_database():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def jobs_run_pending(*, limit: int = 1000) -> int:
    """Run the database queue's ready tasks here and now, one after another (tests, and `yishiting worker
    --batch`): what a worker process does, in this process and connection."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="inline", excluded_queue_names=[])
    ran = 0
    while ran < limit:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
