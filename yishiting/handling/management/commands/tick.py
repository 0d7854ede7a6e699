"""`yishiting tick`: the one scheduled job of the handling stages (cron, or the task worker), safe to run again.

Completes due notices (公), warns and escalates tasks (督) and closes finished evaluation rounds (评). Each part
is idempotent on its own, so a run killed half-way is simply run again.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yishiting.handling.tick import tick_run


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today 须是 YYYY-MM-DD 格式的日期，收到“{value}”。") from None


class Command(BaseCommand):
    help = "定时任务：公示期满的公示办结、任务黄色/红色预警和提级督办、评价期满的评价结束。重复运行不会重复预警或通知。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="按这一天计算（YYYY-MM-DD，默认今天；用于测试和补跑）")

    def handle(self, *args, **options) -> None:
        today = _day(options["today"]) if options.get("today") else timezone.localdate()
        run = tick_run(today)
        for line in run.lines:
            self.stdout.write(line)
        for warning in sorted(run.calendar_warnings):
            self.stderr.write(self.style.WARNING(warning))
