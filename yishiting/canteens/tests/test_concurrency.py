"""Eight residents order the last three portions of a dish at the same moment, on PostgreSQL (SQLite serializes
every write, so there is no race there): exactly three orders, five told it is sold out, never oversold."""

from __future__ import annotations

import pytest

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.canteens import services
from yishiting.canteens.choices import Fulfilment
from yishiting.canteens.models import MealOrder, MenuItem
from yishiting.common.errors import DomainError
from yishiting.common.testing import make_user, race

from .world import build

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def test_the_last_portions_ordered_at_once_are_never_oversold(world):
    ct = build(world)
    ct.lunch.portions, ct.lunch.ordered = 13, 10
    ct.lunch.save()
    users = []
    for i in range(8):
        person = area_services.person_create(actor=None, name=f"居民{i}", mobile=f"1360000000{i}",
                                             household=world.households["H1"])
        area_services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
        users.append(make_user(world, f"diner{i}", person))
    item = MenuItem.objects.get(pk=ct.lunch.pk)
    outcomes = race([lambda u=u: services.order_place(actor=u, item=item, fulfilment=Fulfilment.EAT_IN) for u in users])
    placed = [o for o in outcomes if isinstance(o, MealOrder)]
    refused = [o for o in outcomes if not isinstance(o, MealOrder)]
    assert len(placed) == 3, outcomes
    assert all(isinstance(r, DomainError) and r.code == "sold_out" for r in refused), refused
    item.refresh_from_db()
    assert (item.ordered, MealOrder.objects.filter(item=item).count()) == (13, 3)
