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


class OversightConfig(AppConfig):
    name = "yishiting.oversight"
    label = "oversight"
    verbose_name = gettext_lazy("统计考评")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import jobs, reconcile, rules  # noqa: F401 — rules registers the oversight.* permissions
        from .indices.services import indices_tick
        from .models import RectificationItem
        from .services import reports_tick
        from .services.clusters import clusters_tick
        from .warnings import rectification_tick

        reconcile.install()
        jobs.install()  # the 月报 and the roll-ups on the queue (yishiting/common/jobs.py)
        register_status(RectificationItem)  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("oversight.rollups", _rollups_tick)
        register_tick("clusters", clusters_tick)  # the kept 举一反三 clusters of every district and street
        register_tick("indices", indices_tick)  # each period's 堡垒指数 / 先锋指数, once it has ended
        register_tick("rectification", _tick(rectification_tick))  # 整改 items' yellow and red warnings
        register_tick("oversight", reports_tick)  # last month's 月报 of every street and district


def _tick(run):
    def tick(today):
        counts = run(today=today)
        return counts.summary(), counts.calendar_warnings

    return tick
