"""`yishiting demo`: build the demo district (once; `--force` rebuilds it) with its history, and print the logins.

The areas, households, people and roles come from `yishiting.areas.demo`; the history (demands, topics, meetings,
votes, notices, tasks, evaluations, archived dossiers) from `yishiting.demo.demo_history_build`."""

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from yishiting.areas.demo import DemoResult, demo_build
from yishiting.areas.demo.builder import demo_district
from yishiting.common import messaging
from yishiting.common.errors import DomainError
from yishiting.demo.alliances import alliance_login
from yishiting.demo.canteens import canteen_logins
from yishiting.demo.history import HistoryResult, demo_history_build, has_history, history_counts
from yishiting.demo.liaison import liaison_login
from yishiting.demo.mediation import mediator_login
from yishiting.demo.participation import participation_login
from yishiting.demo.trusts import trust_logins

COUNT_LABELS = {"areas": "区域", "households": "住户", "people": "人员", "roles": "角色", "organizations": "组织"}
HISTORY_LABELS = {"demands": "诉求", "topics": "议题", "meetings": "会议", "votes": "表决", "notices": "公示",
                  "tasks": "任务", "rounds": "评价轮次", "dossiers": "档案", "cases": "调解案件"}


class Command(BaseCommand):
    help = ("按随机种子生成一个演示区（5 个街道、25 个社区、约 2 万户）及其几个月的办理历史（诉求、议题、会议、表决、公示、"
            "任务、评价、归档），并打印各演示身份的登录账号。已生成则只打印账号。")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同的数据），默认 2026")
        parser.add_argument("--scale", type=int, default=1,
                            help="社区和住户数量的倍数，用于压测（50 ≈ 1250 个社区、约 100 万户）")
        parser.add_argument("--force", action="store_true", help="删除已有的演示区后重新生成")
        parser.add_argument("--no-owners", action="store_true", help="不为每户生成业主人员（压测时更快；不生成办理历史）")
        parser.add_argument("--no-history", action="store_true", help="只生成区域和人员，不生成办理历史（压测时更快）")
        # For tests: a smaller district.
        parser.add_argument("--streets", type=int, default=5, help=argparse.SUPPRESS)
        parser.add_argument("--communities", type=int, default=5, help=argparse.SUPPRESS)

    def handle(self, *args, seed, scale, force, no_owners, no_history, streets, communities, **options):
        if scale < 1 or streets < 1 or communities < 1:
            raise CommandError("--scale、--streets、--communities 必须是正整数。")
        verbose = options["verbosity"] >= 2
        existing = demo_district()
        if force and existing is not None and has_history(existing):
            raise CommandError("演示区已有办理历史（诉求、议题和已封存的一事一档不能删除），不能重建。"
                               "请换一个新数据库（如删除 var/yishiting.sqlite3 后重新 migrate）再生成演示区。")
        try:
            # The district and its history together, or neither; the history's SMS are not sent (see history.py).
            with override_settings(MESSAGING_BACKEND="memory"), transaction.atomic():
                result = demo_build(seed=seed, scale=scale, owners=not no_owners, streets=streets,
                                    communities_per_street=communities, force=force,
                                    log=(lambda m: self.stdout.write(f"  {m}")) if verbose else None)
                history = None
                if result.built and not (no_history or no_owners):  # the owners' vote needs owners
                    history = demo_history_build(result.district, seed=seed)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        finally:
            messaging.outbox.clear()
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self._summary(result)
        self._history(result, history)
        self._logins(result)

    def _summary(self, result: DemoResult) -> None:
        counts = "，".join(f"{label} {result.counts.get(key, 0):,}" for key, label in COUNT_LABELS.items())
        if result.built:
            self.stdout.write(self.style.SUCCESS(f"演示区“{result.district.name}”已生成（{result.seconds:.1f} 秒）：{counts}。"))
        else:
            self.stdout.write(f"演示区“{result.district.name}”已存在（{counts}），未重新生成；要重建请加 --force。")

    def _history(self, result: DemoResult, history: HistoryResult | None) -> None:
        counts = history.counts if history else history_counts(result.district)
        if not any(counts.values()):
            return
        text = "，".join(f"{label} {counts.get(key, 0):,}" for key, label in HISTORY_LABELS.items())
        took = f"（{history.seconds:.1f} 秒）" if history else ""
        self.stdout.write(f"办理历史{took}：{text}。")

    def _logins(self, result: DemoResult) -> None:
        logins = list(result.logins)
        mediator = mediator_login(result.district)  # the persona community's 人民调解员, from the history
        if mediator is not None:
            logins.append(mediator)
        logins += canteen_logins(result.district)  # 幸福食堂: the canteen worker and a volunteer courier
        member = participation_login(result.district)  # a 双报到 in-service party member (demo/participation.py)
        if member is not None:
            logins.append(member)
        deputy = liaison_login(result.district)  # the persona community's 人大代表/党代表 (demo/liaison.py)
        if deputy is not None:
            logins.append(deputy)
        liaison = alliance_login(result.district)  # a 党建联盟 member unit's liaison party member (demo/alliances.py)
        if liaison is not None:
            logins.append(liaison)
        known = {x.username for x in logins}  # 信托制物业: the fund's authorised persons, the disclosing 业委会
        logins += [x for x in trust_logins(result.district) if x.username not in known]  # (demo/trusts.py)
        if not logins:
            return
        self.stdout.write("\n演示账号（密码相同）：")
        rows = [("账号", "密码", "身份", "区域")] + [(x.username, x.password, x.role, x.area) for x in logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
            self.stdout.write("  " + "  ".join(cells) + "  " + row[3])


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
