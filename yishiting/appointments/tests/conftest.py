"""A 党群服务中心 service of 幸福苑社区 (C1) with weekday hours, and a clock the tests move (timezone.now)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from yishiting.appointments.models import Service, Slot
from yishiting.appointments.selectors import day_bounds
from yishiting.appointments.services import service_save, slots_ensure
from yishiting.common.calendar import add_working_days


class Clock:
    """Sets what `timezone.now()` answers (and so `localdate()`), for the services' cut-offs and the desk."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch

    def set(self, day: date, hour: int, minute: int = 0) -> datetime:
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment


@pytest.fixture
def clock(world, monkeypatch) -> Clock:
    return Clock(monkeypatch)


def next_working_day(after: date | None = None) -> date:
    return add_working_days(after or timezone.localdate(), 1).date


def make_service(world, *, capacity: int = 2, area: str = "C1", name: str = "社保业务办理") -> Service:
    return service_save(actor=None, name=name, kind="government", area=world.areas[area], capacity=capacity,
                        place="党群服务中心一楼2号窗口", hours=[(weekday, time(9), time(11)) for weekday in range(5)])


def first_slot(service: Service, day: date) -> Slot:
    slots_ensure(service=service, first=day, last=day)
    start, end = day_bounds(day)
    return Slot.objects.filter(service=service, starts_at__gte=start, starts_at__lt=end).order_by("starts_at").first()
