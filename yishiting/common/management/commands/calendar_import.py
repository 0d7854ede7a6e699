"""Enter holidays in bulk: a year's State Council notice from a CSV file, or what an upgraded chinesecalendar knows.

Open notices and working-day deadlines the change touches are recomputed (common.calendar_changes); running the
same import twice changes nothing the second time.
"""

import csv
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yishiting.common.calendar import HOLIDAY_NAMES
from yishiting.common.calendar_changes import calendar_import
from yishiting.common.errors import DomainError

KINDS = {"休": "holiday", "holiday": "holiday", "假": "holiday", "班": "workday", "workday": "workday"}


def read_csv(path: str) -> list[tuple[date, str, str]]:
    """Rows 日期,类型,名称 (类型: 休/holiday or 班/workday); a header row and blank lines are skipped."""
    rows = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if not row or not row[0].strip() or row[0].strip() in {"日期", "date"}:
                    continue
                rows.append(_row(number, row))
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
    return rows


def _row(number: int, row: list[str]) -> tuple[date, str, str]:
    try:
        day = date.fromisoformat(row[0].strip())
    except ValueError:
        raise CommandError(f"第 {number} 行：日期“{row[0]}”须写成 YYYY-MM-DD。") from None
    kind = KINDS.get((row[1] if len(row) > 1 else "").strip())
    if kind is None:
        raise CommandError(f"第 {number} 行：类型须是“休”或“班”。")
    return day, kind, (row[2] if len(row) > 2 else "").strip()


def from_chinesecalendar() -> tuple[list[tuple[date, str, str]], set[int]]:
    from chinese_calendar.constants import holidays, workdays

    rows = [(d, "holiday", HOLIDAY_NAMES.get(n, n)) for d, n in holidays.items()]
    rows += [(d, "workday", f"{HOLIDAY_NAMES.get(n, n)}调休上班") for d, n in workdays.items()]
    return rows, {d.year for d, _, _ in rows}


class Command(BaseCommand):
    help = "录入节假日与调休上班日（CSV 或 chinesecalendar），并顺延受影响的公示期和工作日期限。"

    def add_arguments(self, parser):
        parser.add_argument("--file", help="CSV 文件：日期,类型（休/班）,名称")
        parser.add_argument("--year", type=int, action="append", default=[],
                            help="登记为已完整录入的年份（可重复）：此后该年只按表中所列放假")
        parser.add_argument("--chinesecalendar", action="store_true",
                            help="载入已安装的 chinesecalendar 所知的全部年份（保留后台已改的日子）")

    def handle(self, *args, file=None, year=(), chinesecalendar=False, **options):
        if bool(file) == chinesecalendar:
            raise CommandError("请用 --file 指定 CSV 文件，或用 --chinesecalendar（二选一）。")
        if chinesecalendar:
            rows, years = from_chinesecalendar()
            years |= set(year)
        else:
            rows, years = read_csv(file), set(year)
        try:
            change = calendar_import(actor=None, days=rows, years=years, keep_existing=chinesecalendar,
                                     source="chinesecalendar" if chinesecalendar else "导入")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已读入 {len(rows)} 条，登记年份 {len(years)} 个。{change.summary}"))
