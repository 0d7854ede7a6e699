"""`yishiting demo`: build the demo district (once; `--force` rebuilds it) and print the demo logins."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from yishiting.areas.demo import DemoResult, demo_build
from yishiting.common.errors import DomainError

COUNT_LABELS = {"areas": "区域", "households": "住户", "people": "人员", "roles": "角色", "organizations": "组织"}


class Command(BaseCommand):
    help = "按随机种子生成一个演示区（5 个街道、25 个社区、约 2 万户），并打印各演示身份的登录账号。已生成则只打印账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同的数据），默认 2026")
        parser.add_argument("--scale", type=int, default=1,
                            help="社区和住户数量的倍数，用于压测（50 ≈ 1250 个社区、约 100 万户）")
        parser.add_argument("--force", action="store_true", help="删除已有的演示区后重新生成")
        parser.add_argument("--no-owners", action="store_true", help="不为每户生成业主人员（压测时更快）")
        # For tests: a smaller district.
        parser.add_argument("--streets", type=int, default=5, help=argparse.SUPPRESS)
        parser.add_argument("--communities", type=int, default=5, help=argparse.SUPPRESS)

    def handle(self, *args, seed, scale, force, no_owners, streets, communities, **options):
        if scale < 1 or streets < 1 or communities < 1:
            raise CommandError("--scale、--streets、--communities 必须是正整数。")
        verbose = options["verbosity"] >= 2
        try:
            result = demo_build(seed=seed, scale=scale, owners=not no_owners, streets=streets,
                                communities_per_street=communities, force=force,
                                log=(lambda m: self.stdout.write(f"  {m}")) if verbose else None)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self._summary(result)
        self._logins(result)

    def _summary(self, result: DemoResult) -> None:
        counts = "，".join(f"{label} {result.counts.get(key, 0):,}" for key, label in COUNT_LABELS.items())
        if result.built:
            self.stdout.write(self.style.SUCCESS(f"演示区“{result.district.name}”已生成（{result.seconds:.1f} 秒）：{counts}。"))
        else:
            self.stdout.write(f"演示区“{result.district.name}”已存在（{counts}），未重新生成；要重建请加 --force。")

    def _logins(self, result: DemoResult) -> None:
        if not result.logins:
            return
        self.stdout.write("\n演示账号（密码相同）：")
        rows = [("账号", "密码", "身份", "区域")] + [(x.username, x.password, x.role, x.area) for x in result.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
            self.stdout.write("  " + "  ".join(cells) + "  " + row[3])


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
