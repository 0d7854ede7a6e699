"""`yishiting import-demands FILE.xlsx --channel 意见卡`: import questionnaire or opinion-card results.

Nothing is written when the file has any error; every error is printed as 第 N 行［列］：原因.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yishiting.accounts.models import User
from yishiting.common.errors import DomainError
from yishiting.demands.importer import import_demands_file


class Command(BaseCommand):
    help = "从 XLSX 或 CSV 导入问卷或意见卡结果（列说明见 docs/import.md）。文件有任何错误时不导入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--channel", required=True, help="问卷 或 意见卡（也可写 questionnaire、opinion_card）")
        parser.add_argument("--as", dest="username", required=True,
                            help="以哪个账号的身份导入（须有“导入问卷和意见卡”的权限，如社区工作人员）")

    def handle(self, *args, file: str, channel: str, username: str, **options):
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到可用的账号“{username}”。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            with path.open("rb") as handle:
                report = import_demands_file(actor=actor, fileobj=handle, filename=path.name, channel=channel)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not report.ok:
            for error in report.errors:
                where = "整个文件" if error.row == 0 else f"第 {error.row} 行"
                column = f"［{error.column}］" if error.column else ""
                self.stderr.write(f"{where}{column}：{error.message}")
            raise CommandError(f"共 {len(report.errors)} 处错误，未导入任何数据。请修改文件后重新导入。")
        span = f"，编号 {report.numbers[0]} 至 {report.numbers[-1]}" if report.numbers else ""
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：{report.rows} 行，新建诉求 {report.created} 条{span}（操作人：{actor.get_username()}）。"))
