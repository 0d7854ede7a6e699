"""The periodic jobs and the one scheduler that enqueues them (`yishiting scheduler`, docs/adr/0004-task-queue.md).

A domain registers a periodic job in AppConfig.ready(): `register_periodic("tick", every="hour", kwargs=…)`.
Each run of the scheduler enqueues, for every periodic job, the job of the current slot (this minute, this hour,
this day) under the key `name@slot`. Two guards keep a second scheduler from doubling anything: only the holder
of the `scheduler` lease enqueues (another waits and takes over when the holder stops renewing it), and even two
holders at once would record one job per slot, since the key is unique.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .jobs import job_enqueue
from .models import Job, Lease

SCHEDULER_LEASE = "scheduler"
EVERY = {"minute": "%Y-%m-%dT%H:%M", "hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d"}


@dataclass(frozen=True)
class Periodic:
    name: str
    every: str
    kwargs: Callable[[datetime], dict[str, Any]]


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, *, every: str, kwargs: Callable[[datetime], dict[str, Any]] | None = None) -> None:
    """Enqueue the registered job `name` once each `every` (minute, hour or day); `kwargs(local_now)` gives its
    arguments."""
    if every not in EVERY:
        raise ValueError(f"every must be one of {sorted(EVERY)}")
    _PERIODIC[name] = Periodic(name=name, every=every, kwargs=kwargs or (lambda _now: {}))


def registered_periodic() -> dict[str, Periodic]:
    return dict(sorted(_PERIODIC.items()))


def schedule_due(now: datetime | None = None) -> list[str]:
    """Enqueue each periodic job of the current slot not enqueued yet; the keys of the jobs newly recorded."""
    local = timezone.localtime(now or timezone.now())
    new = []
    for periodic in registered_periodic().values():
        key = f"{periodic.name}@{local.strftime(EVERY[periodic.every])}"
        if Job.objects.filter(key=key).exists():
            continue
        with transaction.atomic():
            job_enqueue(periodic.name, key=key, **periodic.kwargs(local))
        new.append(key)
    return new


def lease_acquire(name: str, holder: str, *, seconds: int, now: datetime | None = None) -> bool:
    """Take or renew the lease `name` for `seconds`: True when `holder` holds it now. It is free when nobody holds
    it or its holder let it expire. On PostgreSQL two takers of an expired lease queue on the row, and the second
    finds it no longer expired."""
    now = now or timezone.now()
    until = now + timedelta(seconds=seconds)
    with transaction.atomic():
        if Lease.objects.filter(name=name).filter(Q(holder=holder) | Q(expires_at__lte=now)).update(
                holder=holder, expires_at=until):
            return True
        try:
            with transaction.atomic():
                Lease.objects.create(name=name, holder=holder, expires_at=until)
        except IntegrityError:
            return False
        return True


def lease_release(name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).delete()
