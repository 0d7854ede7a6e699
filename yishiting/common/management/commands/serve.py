import argparse
import errno
import os
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def granian_argv(*, bind: str, workers: int, threads: int) -> list[str]:
    """The granian command line (docs/adr/0003-granian.md): WSGI, `workers` processes with `threads` blocking
    threads each. Threads stay alive while idle (600 s, granian's maximum) so that each keeps its database
    connection and the fast ballot statement prepared on it."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind 应为“地址:端口”，例如 127.0.0.1:8000，收到 {bind!r}。")
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host.strip("[]"), "--port", port,
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--blocking-threads-idle-timeout", "600", "--backlog", "2048", "--no-ws",
            "--access-log", "--workers-kill-timeout", "20", "--respawn-failed-workers",
            "config.wsgi:application"]


def ensure_port_free(bind: str) -> None:
    """Refuse a port another server already listens on. granian binds with SO_REUSEPORT, so a second `serve` on
    the same port would start silently and the kernel would split the connections between two sites (an old
    version and a new one, say); a plain bind without that option fails while anyone listens there."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(f"端口 {port} 已被占用（{host} 上已有服务在监听）：先停止它，或用 --bind 换一个端口。") from None
            raise CommandError(f"无法在 {host}:{port} 上监听：{exc.strerror}。") from None


class Command(BaseCommand):
    help = "用 granian（生产级服务器，WSGI）提供服务，默认 http://127.0.0.1:8000。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument("--worker", action=argparse.BooleanOptionalAction, default=None,
                            help="同时启动一个后台任务进程（含定时调度）；默认按 JOBS_EMBEDDED")

    def handle(self, *args, bind, workers, threads, no_collectstatic, worker=None, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers 与 --threads 至少为 1。")
        argv = granian_argv(bind=bind, workers=workers, threads=threads)
        ensure_port_free(bind)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        prepare_metrics_dir()
        if settings.JOBS_EMBEDDED if worker is None else worker:
            start_embedded_worker()
            self.stdout.write("后台任务：已在本机启动一个任务进程（含定时调度），随服务一同停止。")
        self.stdout.write(f"议事厅已启动：http://{bind}/  （按 Ctrl+C 停止）")
        self.stdout.flush()
        os.execv(sys.executable, argv)


def prepare_metrics_dir() -> Path:
    """prometheus_client's multiprocess mode for granian's workers (yishiting.common.metrics): each process writes
    its figures to a file in METRICS_DIR (or PROMETHEUS_MULTIPROC_DIR, if the environment sets it), a scrape adds
    them up. The directory is emptied at each start: a new server counts from zero, as Prometheus expects."""
    directory = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.METRICS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.db"):
        old.unlink(missing_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)  # granian's workers inherit it across execv
    return directory


def start_embedded_worker() -> subprocess.Popen:
    """The embedded setup (docs/adr/0004-task-queue.md): one `yishiting worker --with-scheduler` beside the web
    server, on the database queue. It watches this process id, which granian keeps after execv, and stops when the
    server stops; the web processes themselves never run jobs."""
    return subprocess.Popen([sys.executable, "-m", "yishiting.cli", "worker", "--with-scheduler", "--interval", "2",
                             "--parent", str(os.getpid()), "-v", "0"], stdin=subprocess.DEVNULL)
