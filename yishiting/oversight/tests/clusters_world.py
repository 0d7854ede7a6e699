"""Demands of one problem spread over several communities, for the 举一反三 tests.

Adds community C4 (阳光社区) with estate G4 under street S1, so S1 has three communities (C1, C2, C4) and the
district four (C3 under S2)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.models import AreaLevel
from yishiting.common.testing import World
from yishiting.demands.models import Category, Demand, DemandKey
from yishiting.demands.services import Submission, demand_submit

LIFT = ["小区电梯经常坏，困人好几次了", "电梯又坏了，老人没法下楼", "楼里的电梯总是故障停运，请尽快修",
        "电梯坏了一个星期没人修"]
LAMP = ["路灯不亮，晚上走路很危险", "小区路灯坏了好几盏", "门口路灯晚上不亮"]


def add_community(world: World) -> None:
    if "C4" in world.areas:
        return
    community = areas.area_create(actor=None, name="阳光社区", level=AreaLevel.objects.get(code="community"),
                                  code="C4", parent=world.areas["S1"])
    world.areas["C4"] = community
    world.areas["G4"] = areas.area_create(actor=None, name="阳光小区", level=AreaLevel.objects.get(code="estate"),
                                          code="G4", parent=community)


def category(code: str = "facilities") -> Category:
    return Category.objects.get(code=code)


def report(world: World, text: str, area: str, *, reporter: str | None = None, days_ago: int = 0,
           category_code: str = "facilities") -> Demand:
    """A demand at `area` entered by the district official for `reporter` (a persona; anonymous without),
    back-dated `days_ago` days (its index rows too)."""
    fields = {"text": text, "area": world.areas[area], "category": category(category_code),
              "reporter_kind": "anonymous"}
    if reporter:
        fields.update(reporter_kind="on_behalf", reporter=world.people[reporter], consent_recorded=True)
    demand = demand_submit(actor=world.users["district_official"], submission=Submission(**fields))
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Demand.objects.filter(pk=demand.pk).update(created_at=when)
        DemandKey.objects.filter(demand=demand).update(created_at=when)
        demand.refresh_from_db()
    return demand


def spread(world: World, texts: list[str], areas_: list[str], **kwargs) -> list[Demand]:
    return [report(world, text, area, **kwargs) for text, area in zip(texts, areas_, strict=True)]
