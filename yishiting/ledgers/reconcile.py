"""What `yishiting verify` checks of the ledgers: each balance row equals the sum of its person's lines (points
and hours), and every person with lines has a balance row. A balance edited in the database, or a line
inserted or removed behind the services' back, is named ("ledgers.balance#7: 积分 …"). And every line's event
exists: the database keeps no foreign key to the event log, which is partitioned by month on PostgreSQL
(common.partitions)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from yishiting.common.reconcile import Finding, register_check, register_status


def _sums(model, field: str) -> dict[int, object]:
    return dict(model.objects.values("person_id").annotate(total=Sum(field)).values_list("person_id", "total"))


def balance_findings() -> Iterator[Finding]:
    from .models import Balance, HourEntry, PointEntry

    points, hours = _sums(PointEntry, "points"), _sums(HourEntry, "hours")
    seen = set()
    for balance in Balance.objects.order_by("pk").iterator():
        seen.add(balance.person_id)
        want_points, want_hours = points.get(balance.person_id) or 0, hours.get(balance.person_id) or Decimal(0)
        problems = []
        if balance.points != want_points:
            problems.append(f"积分余额 {balance.points}，明细合计 {want_points}")  # zh-only: verify's report
        if balance.hours != want_hours:
            problems.append(f"时长余额 {balance.hours}，明细合计 {want_hours}")  # zh-only
        if problems:
            yield Finding("ledgers.balance", str(balance.pk), problems)
    for person_id in (set(points) | set(hours)) - seen:
        yield Finding("areas.person", str(person_id), ["有积分或时长明细，却没有余额记录"])  # zh-only


def missing_events() -> Iterator[Finding]:
    """Lines whose source event is not in the event log (deleted, or a line written with an invented id)."""
    from yishiting.common.models import Event

    from .models import HourEntry, PointEntry

    for model in (PointEntry, HourEntry):
        lines = model.objects.filter(~Exists(Event.objects.filter(pk=OuterRef("event_id")))).order_by("pk")
        for pk, event_id in lines.values_list("pk", "event_id").iterator():
            yield Finding(model._meta.label_lower, str(pk), [f"来源事件 #{event_id} 不在事件日志中"])  # zh-only


def install() -> None:
    from .models import Balance, Redemption

    register_status(Redemption)  # the status its events end in
    register_check("ledgers.balances", balance_findings, count=Balance.objects.count, unit="个余额")  # zh-only: verify's report
    register_check("ledgers.events", missing_events)
