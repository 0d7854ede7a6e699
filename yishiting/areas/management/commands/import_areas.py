"""`yishiting import-areas FILE.xlsx`: import the area tree and households; nothing is written on any error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yishiting.accounts.models import User
from yishiting.areas.importer import import_areas_file


class Command(BaseCommand):
    help = "从 XLSX 或 CSV 导入区域和住户（列说明见 docs/import.md）。文件有任何错误时不导入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--as", dest="username", default=None,
                            help="以哪个账号的身份导入（须有维护区域的权限）；默认第一个超级管理员")

    def handle(self, *args, file: str, username: str | None, **options):
        actor = self._actor(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        with path.open("rb") as handle:
            report = import_areas_file(actor=actor, fileobj=handle, filename=path.name)
        if not report.ok:
            for error in report.errors:
                where = "整个文件" if error.row == 0 else f"第 {error.row} 行"
                column = f"［{error.column}］" if error.column else ""
                self.stderr.write(f"{where}{column}：{error.message}")
            raise CommandError(f"共 {len(report.errors)} 处错误，未导入任何数据。请修改文件后重新导入。")
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：{report.rows} 行，新建区域 {report.areas_created} 个、住户 {report.households_created} 户"
            f"（操作人：{actor.get_username()}）。"))

    def _actor(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"找不到可用的账号“{username}”。")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("系统里还没有超级管理员：请先运行 createsuperuser，或用 --as 指定有权限的账号。")
        return user
