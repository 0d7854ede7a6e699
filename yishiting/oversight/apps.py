"""Oversight (督、评): the figures officials answer for — roll-ups kept with the events, the overview, rankings,
clusters and recurrence (举一反三), hot spots, 堡垒指数 / 先锋指数, unit ratings, 整改清单 and public statistics.

It sits above the domains whose events it counts (common → areas → demands → deliberation → handling →
mediation/legal → oversight → api/web) and writes none of their tables.
"""
from datetime import date

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


def _rollups_tick(today: date) -> tuple[str, set[str]]:
    from .projection import catch_up

    return f"统计汇总：计入 {catch_up()} 条新事件", set()  # zh-only: the tick's log line


PERIOD_WORDS = {"month": "月度", "quarter": "季度", "year": "年度"}  # zh-only: the tick's log line


def _indices_tick(today: date) -> tuple[str, set[str]]:
    """indices_tick's summary ("indices: quarter 2026-07-01: 1505; …") in Chinese like the other tick lines."""
    import re

    from .indices.services import indices_tick

    summary, warnings = indices_tick(today)
    done = re.findall(r"(month|quarter|year) (\d{4}-\d{2}-\d{2}): (\d+)", summary)
    if not done:
        return "堡垒指数、先锋指数：均已计算，无需补算", warnings  # zh-only: the tick's log line
    parts = [f"{PERIOD_WORDS[period]}（{start} 起）{count} 个" for period, start, count in done]  # zh-only
    return f"堡垒指数、先锋指数：新计算 {'；'.join(parts)}", warnings  # zh-only: the tick's log line


class OversightConfig(AppConfig):
    name = "yishiting.oversight"
    label = "oversight"
    verbose_name = gettext_lazy("统计考评")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import reconcile, rules  # noqa: F401 — rules registers the oversight.* permissions
        from .models import RectificationItem
        from .services import reports_tick
        from .warnings import rectification_tick

        reconcile.install()
        register_status(RectificationItem)  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("oversight.rollups", _rollups_tick)
        register_tick("indices", _indices_tick)  # each period's 堡垒指数 / 先锋指数, once it has ended
        register_tick("rectification", _tick(rectification_tick))  # 整改 items' yellow and red warnings
        register_tick("oversight", reports_tick)  # last month's 月报 of every street and district


def _tick(run):
    def tick(today):
        counts = run(today=today)
        return counts.summary(), counts.calendar_warnings

    return tick
