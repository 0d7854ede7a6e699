"""`yishiting restore DIR`: into an empty database, after checking the manifest, the files and the key; then the
dossiers' hashes and `verify` (common.backup, docs/backup.md)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from yishiting.common.backup import backup_restore
from yishiting.common.errors import DomainError


class Command(BaseCommand):
    help = ("从 yishiting backup 写出的备份目录恢复到空数据库（DATABASE_URL）和空的上传文件目录：先核对清单、"
            "每个文件的 SHA-256 和 EVENT_HMAC_KEY，恢复后核对一事一档哈希并运行 verify。")

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="DIR", help="备份目录（含 manifest.json）")
        parser.add_argument("--no-verify", action="store_true", help="恢复后不运行 yishiting verify（大库可另行运行）")

    def handle(self, *args, source, no_verify, **options):
        try:
            result = backup_restore(Path(source))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"✓ 已恢复：{result.events:,} 条事件，上传文件 {result.files} 个；一事一档 {result.dossiers} 份，"
            "哈希与备份时一致。"))
        if not no_verify:
            call_command("verify", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("如果本版本代码比备份新，请接着运行 yishiting migrate。")
