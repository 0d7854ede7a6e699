"""`yishiting anchor --month 2026-11 [--out DIR]`: the monthly anchor (docs/integrity.md).

Verifies the whole log (and that it still passes through the previous monthly anchor in DIR), then writes the
head hash of every chain, HMAC-signed with EVENT_HMAC_KEY, to DIR/2026-11.json — once: an existing month is
never overwritten — and prints the file's fingerprint to put on paper. The 三率 report of that month prints the
same fingerprint. Run it early each month (cron), then copy the file where the database's administrators cannot
change it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yishiting.common.anchors import monthly_path

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def last_month(today: date) -> str:
    first = today.replace(day=1)
    return f"{first.year - (first.month == 1)}-{(first.month - 2) % 12 + 1:02d}"


class Command(BaseCommand):
    help = ("每月锚点：全部校验通过（且仍经过上一个月的锚点）后，把所有事件链的链头写成用 EVENT_HMAC_KEY 签名的"
            "锚点文件 <目录>/<YYYY-MM>.json（只写一次），并打印文件指纹。")

    def add_arguments(self, parser):
        parser.add_argument("--month", metavar="YYYY-MM", help="锚点所属月份（默认上个月）")
        parser.add_argument("--out", metavar="DIR", help="锚点目录（默认 ANCHOR_DIR，即 var/anchors/）")

    def handle(self, *args, **options):
        today = timezone.localdate()
        month = options["month"] or last_month(today)
        found = MONTH.match(month)
        if not found:
            raise CommandError(f"月份应写成 YYYY-MM（例如 2026-11），不是“{month}”。")
        if date(int(found[1]), int(found[2]), 1) > today:
            raise CommandError(f"{month} 还没有到，不能为它做锚点。")
        directory = Path(options["out"] or settings.ANCHOR_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        path = monthly_path(directory, month)
        if path.exists():
            raise CommandError(f"{path} 已存在：每月的锚点只写一次，不覆盖。")
        earlier = sorted(p for p in directory.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9].json") if p.stem < month)
        call_command("verify", anchor=[str(p) for p in earlier[-1:]], anchor_out=str(path), anchor_month=month,
                     stdout=self.stdout)
