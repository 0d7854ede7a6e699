"""`yishiting deliver`: send the messages that are due (the same as the delivery part of `yishiting tick`).

Safe to run in several processes at once and again at any time (notifications.delivery.deliver_pending)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yishiting.notifications.delivery import deliver_pending


class Command(BaseCommand):
    help = "发送到期的短信和微信消息（失败的按退避重试，免打扰时段顺延，每日汇总）。可多进程同时运行。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="本次最多发送多少条（默认 MESSAGING_BATCH，200）")

    def handle(self, *args, **options) -> None:
        self.stdout.write(deliver_pending(limit=options["limit"]).summary())
