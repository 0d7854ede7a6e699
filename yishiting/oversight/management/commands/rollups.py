"""`yishiting rollups`: bring the roll-ups up to date with the event log (cron: each minute), or
`--rebuild [--district CODE-or-PATH]`: recount them from the rows and the events (idempotent); `--rebuild --open`:
recount only what is open now (fills the "open now" gauge after upgrading, without recounting the history);
`--rebuild --recurrences`: recheck 复发 for every demand in bulk and recount those whose answer changed or that repeat (after
upgrading to the stored recurrences, or changing the template's M months or similarity threshold)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yishiting.areas.models import Area
from yishiting.oversight.projection import catch_up, rebuild, rebuild_open, rebuild_recurrences


class Command(BaseCommand):
    help = "统计汇总：计入新事件；--rebuild 按事件日志重新计数（可重复运行）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="清空后按事件日志重新计数")
        parser.add_argument("--open", action="store_true", help="与 --rebuild 同用：只重算在办事项（待筛选、协商中、办理中、调解中、评价中）")
        parser.add_argument("--recurrences", action="store_true", help="与 --rebuild 同用：只重新核查复发并重算有变化的诉求")
        parser.add_argument("--district", default="", help="只重算这个区（区域编码或名称）")

    def handle(self, *args, **options) -> None:
        if not options["rebuild"]:
            self.stdout.write(f"计入 {catch_up()} 条新事件")
            return
        path = ""
        if options["district"]:
            district = Area.objects.filter(level__depth=1).filter(code=options["district"]).first() or \
                Area.objects.filter(level__depth=1, name=options["district"]).first()
            if district is None:
                raise CommandError(f"找不到区：{options['district']}")
            path = district.path
        if options["open"]:
            self.stdout.write(f"已重新计数 {rebuild_open(path)} 个在办事项")
            return
        if options["recurrences"]:
            self.stdout.write(f"已重新核查复发，重算 {rebuild_recurrences(path)} 件诉求")
            return
        self.stdout.write(f"已重新计数 {rebuild(path)} 个统计来源")
