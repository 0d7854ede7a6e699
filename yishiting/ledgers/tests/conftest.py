"""Ledger fixtures beside the fixed personas (common.testing): the rules of the demo (a rated service earns
points and deposits hours; a meeting attended; a suggestion accepted), a 积分超市 item of 幸福苑社区, and a helper
that appends a contract event as the participation apps would (they are not installed on this branch)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yishiting.common.events import event_append
from yishiting.common.testing import World
from yishiting.ledgers.choices import EarningKind
from yishiting.ledgers.models import Item, PointRule


def earned(world: World, kind: str = EarningKind.SERVICE_RATED, *, who: str = "resident", hours: str | None = "2",
           rating: int | None = 5, area: str = "C1", subject: tuple[str, str] | None = None):
    """Append one earning event of the issue-19 contract for `who` (a persona or a Person)."""
    person = world.people[who] if isinstance(who, str) else who
    earner = {"person": person.pk}
    if hours is not None:
        earner["hours"] = hours
    if rating is not None:
        earner["rating"] = rating
    # On the earner's own chain: the records of the participation apps do not exist on this branch, and a chain
    # without its row is what `yishiting verify` reports.
    return event_append(subject=subject or person, kind=kind, actor=None,
                        payload={"area": world.areas[area].pk, "earners": [earner]})


def service_rule(**kwargs) -> PointRule:
    fields = {"name": "志愿服务获好评", "kind": EarningKind.SERVICE_RATED, "points": 10, "min_rating": 4,
              "deposits_hours": True, **kwargs}
    return PointRule.objects.create(**fields)


@pytest.fixture
def rule(world) -> PointRule:
    return service_rule()


@pytest.fixture
def item(world) -> Item:
    return Item.objects.create(community=world.areas["C1"], name="洗衣液", price=20, stock=5)


def hours(value: str) -> Decimal:
    return Decimal(value)
