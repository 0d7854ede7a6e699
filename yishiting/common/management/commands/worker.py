"""`yishiting worker`: run the background jobs (docs/adr/0004-task-queue.md, docs/deploy.md). As many as you like,
on as many machines as share the queue: the database queue hands each task to one worker (row locks), RQ pops
each from Redis once. `--with-scheduler` also runs the scheduler in this process (the embedded setup that
`yishiting serve` starts); `--parent PID` stops the worker when that process is gone."""

from __future__ import annotations

import os
import socket
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from yishiting.common.jobs import jobs_run_pending


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)  # the web server stopped: so does its embedded worker (a job cut short runs again later)


class Command(BaseCommand):
    help = "运行后台任务（队列由 TASKS_BACKEND 决定：db 或 rq）；可在多台机器上同时运行多个。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="运行完队列中已有的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时每隔几秒查看一次（数据库队列）")
        parser.add_argument("--with-scheduler", action="store_true", help="同一进程内也运行定时调度")
        parser.add_argument("--parent", type=int, default=0, help="该进程结束时本进程随之退出")

    def handle(self, *args, batch: bool, interval: float, with_scheduler: bool, parent: int, **options) -> None:
        if parent:
            threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()
        if with_scheduler:
            from .scheduler import run_scheduler

            threading.Thread(target=run_scheduler, kwargs={"interval": 10.0, "out": self.stdout}, daemon=True,
                             name="scheduler").start()
        backend = settings.TASKS_BACKEND
        if backend == "immediate":
            raise CommandError("TASKS_BACKEND=immediate 时任务在提交后立即运行，不需要 worker。")
        worker_id = f"{socket.gethostname()}:{os.getpid()}:{get_random_string(6)}"[:64]
        if backend == "rq":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", name=worker_id, burst=batch,
                         verbosity=options["verbosity"])
            return
        if batch:
            self.stdout.write(f"已运行 {jobs_run_pending()} 个任务")
            return
        call_command("db_worker", queue_name="default", interval=interval, reload=False, startup_delay=False,
                     worker_id=worker_id, verbosity=options["verbosity"])
