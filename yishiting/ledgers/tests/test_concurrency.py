"""At the same moment, on PostgreSQL (SQLite serializes every write, so the same tests there run one after the
other and must give the same answers): two processors crediting the same event credit it once; twenty
redemptions of the last five items give exactly five, stock zero, and nobody pays for what they did not get."""

from __future__ import annotations

import pytest
from django.db import connection

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.common.errors import Conflict
from yishiting.common.testing import make_user, race
from yishiting.ledgers import services
from yishiting.ledgers.models import Balance, HourEntry, Item, PointEntry, Redemption
from yishiting.ledgers.processor import catch_up, process_events

from .conftest import earned

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _run(jobs):
    """Concurrently on PostgreSQL (threads with their own connections); one after the other on SQLite."""
    if connection.vendor == "postgresql":
        return race(jobs)
    results = []
    for job in jobs:
        try:
            results.append(job())
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test inspects
            results.append(exc)
    return results


def test_two_processors_credit_one_event_once(world, rule):
    events = [earned(world, hours="1.5") for _ in range(3)]
    results = _run([lambda: process_events([e.pk for e in events]), catch_up,
                    lambda: process_events([e.pk for e in events]), catch_up])
    assert not [r for r in results if isinstance(r, Exception)], results
    resident = world.people["resident"]
    assert PointEntry.objects.filter(person=resident).count() == 3
    assert HourEntry.objects.filter(person=resident).count() == 3
    assert Balance.objects.get(person=resident).points == 30


def test_twenty_redemptions_of_the_last_five_items_give_five(world, rule):
    item = Item.objects.create(community=world.areas["C1"], name="社区菜园蔬菜包", price=10, stock=5)
    buyers = []
    for n in range(20):
        person = area_services.person_create(actor=None, name=f"居民{n}", mobile=f"139100000{n:02d}",
                                             household=world.households["H1" if n % 2 else "H2"])
        area_services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
        make_user(world, f"buyer{n}", person)
        earned(world, who=person)
        buyers.append(person)
    catch_up()
    results = _run([lambda n=n, p=p: services.redemption_create(actor=world.users[f"buyer{n}"], person=p, item=item)
                    for n, p in enumerate(buyers)])
    won = [r for r in results if isinstance(r, Redemption)]
    lost = [r for r in results if not isinstance(r, Redemption)]
    assert len(won) == 5, results
    assert all(isinstance(r, Conflict) and r.code == "out_of_stock" for r in lost), lost
    assert Item.objects.get(pk=item.pk).stock == 0
    assert sorted(Balance.objects.filter(person__in=buyers).values_list("points", flat=True)) == [0] * 5 + [10] * 15
