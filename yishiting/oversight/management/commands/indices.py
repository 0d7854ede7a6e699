"""`yishiting indices --period month --on 2026-11-30 [--district CODE]`: compute (or recompute, replacing) the
堡垒指数 and 先锋指数 of the period containing the day — after correcting records, or for the period so far.
`yishiting tick` does this by itself once each month, quarter and year has ended."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.oversight.indices.services import indices_compute
from yishiting.oversight.models import PeriodKind


class Command(BaseCommand):
    help = "计算（或重新计算）一个周期的堡垒指数和先锋指数"  # zh-only: console help

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", choices=PeriodKind.values, default=PeriodKind.MONTH)
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD, default today")
        parser.add_argument("--district", default=None, help="area code of one district")

    def handle(self, *args, period: str, on: date | None, district: str | None, **options) -> None:
        area = None
        if district:
            area = Area.objects.filter(code=district, parent__isnull=True).first()
            if area is None:
                raise CommandError(f"没有编码为 {district} 的区。")  # zh-only: console
        try:
            count = indices_compute(period=period, on=on or timezone.localdate(), district=area)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已计算 {count} 项指数。")  # zh-only: console
