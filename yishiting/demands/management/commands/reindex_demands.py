"""`yishiting reindex_demands`: rebuild the similar-demand index after the duplicate scorer's keys changed."""

from django.core.management.base import BaseCommand

from yishiting.demands import intake, suggest


class Command(BaseCommand):
    help = "重建相似诉求检索键：检索键版本不是当前版本的诉求（概念表或检索键做法改了之后），按当前做法重建。可随时中断、重跑。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="每个事务处理的诉求条数")

    def handle(self, *args, batch: int, **options):
        done = intake.keys_rebuild(batch=max(1, batch))
        self.stdout.write(self.style.SUCCESS(
            f"已重建 {done} 条诉求的相似检索键（版本 {suggest.SIGNATURE_VERSION}）。" if done
            else f"相似检索键都已是当前版本（{suggest.SIGNATURE_VERSION}），无需重建。"))
