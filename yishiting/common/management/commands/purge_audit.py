from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yishiting.common.audit import audit_purge


class Command(BaseCommand):
    help = "删除早于保留期（AUDIT_RETENTION_DAYS，至少 180 天）的审计记录。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"保留天数（默认 {settings.AUDIT_RETENTION_DAYS}，不得少于 180）")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 180:
            raise CommandError("审计记录至少保留 180 天，--days 不能小于 180。")
        deleted = audit_purge(retention_days=days)
        kept = days or settings.AUDIT_RETENTION_DAYS
        self.stdout.write(self.style.SUCCESS(f"已删除 {deleted} 条早于 {kept} 天的审计记录。"))
