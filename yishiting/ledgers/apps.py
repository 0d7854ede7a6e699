"""Governance points, the 积分超市 and the 时间银行 (issue 19). Sits above the domains whose events it reads
(… → participation, volunteers, wishes, appointments → canteens → ledgers → oversight → api/web) and writes
none of their tables: it learns what people earned from the event log only."""

from datetime import date

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


def ledgers_tick(today: date) -> tuple[str, set[str]]:
    from .processor import catch_up
    from .services.market import expire_due

    read, expired = catch_up(), expire_due(today)
    return f"积分：读入 {read} 条事件，{expired} 笔兑换逾期退回", set()  # zh-only: the tick's log line


class LedgersConfig(AppConfig):
    name = "yishiting.ledgers"
    label = "ledgers"
    verbose_name = gettext_lazy("积分与时间银行")

    def ready(self) -> None:
        from yishiting.common.events import after_commit_of
        from yishiting.common.ticks import register_tick

        from . import reconcile, rules  # noqa: F401 — rules registers the ledgers.* permissions
        from .processor import READ_KINDS, process_now

        reconcile.install()
        register_tick("ledgers", ledgers_tick)
        after_commit_of(READ_KINDS, process_now)  # a person sees the points at once; the tick catches up
