"""`yishiting backup`: the database and the uploaded files with a manifest of their SHA-256 (common.backup,
docs/backup.md). The event log's key is not in the backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yishiting.common.backup import backup_create
from yishiting.common.errors import DomainError


class Command(BaseCommand):
    help = ("备份数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份）和上传文件，写出带 SHA-256 的清单 "
            "manifest.json。EVENT_HMAC_KEY 不在备份中。")

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "backups"), metavar="DIR",
                            help="备份写到该目录下新建的 yishiting-backup-<时间> 目录（默认 var/backups）")

    def handle(self, *args, out, **options):
        try:
            result = backup_create(Path(out))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"✓ 已备份到 {result.path}：{result.files} 个文件，共 {result.size:,} 字节，一事一档 {result.dossiers} 份。"))
        self.stdout.write("注意：EVENT_HMAC_KEY 不在备份中，请另行妥善保管；恢复时须设置同一把密钥。"
                          "请把备份目录复制到本机以外的地方。")
