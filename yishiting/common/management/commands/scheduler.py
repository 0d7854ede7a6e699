"""`yishiting scheduler`: enqueue the periodic jobs — the tick each hour, the roll-ups each minute — and push again
the jobs whose worker died (docs/adr/0004-task-queue.md). Run one per site; a second one (another machine, a
restart overlapping the old process) waits on the lease and takes over only when the first stops renewing it."""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from yishiting.common.jobs import jobs_prune, jobs_recover
from yishiting.common.schedule import SCHEDULER_LEASE, lease_acquire, lease_release, schedule_due

LEASE_SECONDS = 60


def scheduler_round(holder: str, *, now=None) -> list[str] | None:
    """One round: None when another scheduler holds the lease, else the keys of the jobs newly enqueued."""
    now = now or timezone.now()
    if not lease_acquire(SCHEDULER_LEASE, holder, seconds=LEASE_SECONDS, now=now):
        return None
    new = schedule_due(now)
    jobs_recover(now)
    return new


def run_scheduler(*, interval: float, out, once: bool = False) -> None:
    holder = f"{socket.gethostname()}:{os.getpid()}:{get_random_string(6)}"
    pruned_at = None
    try:
        while True:
            close_old_connections()
            try:
                new = scheduler_round(holder)
                if new is None:
                    out.write("另一个调度进程正在运行，本进程待命")
                elif new:
                    out.write("已入队：" + "、".join(new))
                if new is not None and (pruned_at is None or timezone.now() - pruned_at > timedelta(days=1)):
                    jobs_prune()
                    pruned_at = timezone.now()
            except Exception as exc:  # the database restarting: try again next round
                out.write(f"调度出错：{exc}")
            if once:
                return
            time.sleep(interval)
    finally:
        lease_release(SCHEDULER_LEASE, holder)


class Command(BaseCommand):
    help = "定时调度：每小时入队 tick、每分钟入队统计汇总，并重新入队中断的任务；多个调度进程只有一个生效。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="每隔几秒调度一次")
        parser.add_argument("--once", action="store_true", help="只调度一轮后退出（cron 或测试）")

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        run_scheduler(interval=interval, out=self.stdout, once=once)
