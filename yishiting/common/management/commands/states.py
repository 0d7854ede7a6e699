from django.core.management.base import BaseCommand

from yishiting.common.states import write_all


class Command(BaseCommand):
    help = "由各模型的状态变更表生成 docs/states/<model>.md。"

    def handle(self, *args, **options):
        for path in write_all():
            self.stdout.write(f"已生成 {path}")
