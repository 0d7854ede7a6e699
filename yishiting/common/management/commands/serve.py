import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn（生产级服务器）提供服务，默认 http://127.0.0.1:8000。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, bind, workers, threads, no_collectstatic, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"议事厅已启动：http://{bind}/  （按 Ctrl+C 停止）")
        self.stdout.flush()
        argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", bind,
                "--workers", str(workers), "--threads", str(threads), "--access-logfile", "-",
                "--timeout", "60", "--graceful-timeout", "20"]
        os.execv(sys.executable, argv)
