from django.core.management.base import BaseCommand, CommandError

from yishiting.common.events import verify_chains
from yishiting.common.models import EventHead


class Command(BaseCommand):
    help = "重新计算事件日志的每条哈希链，报告被修改、删除或重排的对象。"

    def handle(self, *args, **options):
        broken = 0
        for problem in verify_chains():
            broken += 1
            self.stdout.write(self.style.ERROR(f"✗ {problem}"))
        total = EventHead.objects.count()
        if broken:
            raise CommandError(f"共 {total} 个对象的事件链，{broken} 个校验失败。")
        self.stdout.write(self.style.SUCCESS(f"✓ 共 {total} 个对象的事件链全部校验通过。"))
