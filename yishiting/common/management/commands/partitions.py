"""`yishiting partitions`: the event log's monthly partitions on PostgreSQL (common.partitions): creates the
current month's and the next ones where missing (the tick does the same each hour), then lists them all with
their rows and size. Safe to run again. docs/partitions.md says how to detach and archive old months."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yishiting.common.partitions import (
    AHEAD,
    default_rows,
    is_partitioned,
    partitions_ensure,
    partitions_list,
)


class Command(BaseCommand):
    help = "事件日志按月分区（PostgreSQL）：补建本月及之后的月分区（可重复运行），并列出各分区的行数和大小。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ahead", type=int, default=AHEAD, help=f"本月之后再建几个月（默认 {AHEAD}）")
        parser.add_argument("--today", help="按这一天所在的月计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--list", action="store_true", help="只列出，不新建")

    def handle(self, *args, **options) -> None:
        if not is_partitioned():
            self.stdout.write("事件日志未分区（SQLite，或 PostgreSQL 上尚未迁移到 common 0005）：无需操作。")
            return
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(f"--today 须是 YYYY-MM-DD 格式的日期，收到“{options['today']}”。") from None
        if not options["list"]:
            created = partitions_ensure(today, ahead=options["ahead"])
            self.stdout.write(f"新建分区：{'、'.join(created)}" if created else "所需的月分区都已存在。")
        for partition in partitions_list():
            label = f"{partition.month:%Y-%m}" if partition.month else "默认分区"
            rows = "未统计" if partition.rows < 0 else f"约 {partition.rows:,} 行"
            self.stdout.write(f"{partition.name:<24} {label:<8} {rows:<16} {partition.bytes / 2**20:,.1f} MiB")
        if left := default_rows():
            self.stdout.write(self.style.WARNING(
                f"⚠ 默认分区有 {left} 条事件：它们所在的月份没有分区。运行 yishiting partitions（不带 --list）"
                f"或等下一次 tick，会为这些月份建分区并把行移入。"))
