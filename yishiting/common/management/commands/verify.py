from django.core.management.base import BaseCommand, CommandError

from yishiting.common.events import verify_chains
from yishiting.common.models import EventHead
from yishiting.handling.models import Dossier
from yishiting.handling.selectors.archive import verify_dossiers


class Command(BaseCommand):
    help = "重新计算事件日志的每条哈希链和每份一事一档的内容哈希，报告被修改、删除或重排的对象和档案。"

    def handle(self, *args, **options):
        broken = 0
        for problem in verify_chains():
            broken += 1
            self.stdout.write(self.style.ERROR(f"✗ {problem}"))
        # A dossier proves itself (content hash) and its source: the event it sealed must still be in the chain.
        bad_dossiers = 0
        for dossier, problems in verify_dossiers():
            bad_dossiers += 1
            self.stdout.write(self.style.ERROR(f"✗ 档案 {dossier.number}（{dossier.title}）：" + "；".join(problems)))
        total, dossiers = EventHead.objects.count(), Dossier.objects.count()
        if broken or bad_dossiers:
            raise CommandError(f"共 {total} 个对象的事件链，{broken} 个校验失败；"
                               f"共 {dossiers} 份档案，{bad_dossiers} 份校验失败。")
        self.stdout.write(self.style.SUCCESS(f"✓ 共 {total} 个对象的事件链、{dossiers} 份档案全部校验通过。"))
