"""Races on PostgreSQL (SQLite serializes every write, so there is no race there): two providers accepting the
same order at the same moment — exactly one takes it, the other is told it was taken; a provider's two phones
accepting two orders of an item with one place left — exactly one is accepted, the other is told it is full."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.participation import services as part
from yishiting.participation.choices import OrderStatus
from yishiting.participation.models import ServiceOrder

from .world import build_cast

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def test_two_providers_accept_the_same_order_at_once_exactly_one_wins(world):
    cast = build_cast(world)
    order = part.order_dispatch(actor=cast.user("community_staff"),
                                order=part.order_place(actor=cast.user("resident"), title="帮忙搬一下家具"),
                                providers=[cast.member_provider, cast.volunteer_provider])
    def accept(name: str):
        return lambda: part.order_accept(actor=cast.user(name), order=ServiceOrder.objects.get(pk=order.pk))

    outcomes = race([accept("member"), accept("volunteer")])
    won = [r for r in outcomes if isinstance(r, ServiceOrder)]
    lost = [r for r in outcomes if not isinstance(r, ServiceOrder)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], Conflict) and lost[0].code == "already_accepted"
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.provider == won[0].provider


def test_two_accepts_for_the_last_place_of_an_item_exactly_one_wins(world):
    cast = build_cast(world)  # the member's 上门量血压 takes one order at a time
    orders = [part.order_dispatch(actor=cast.user("community_staff"), providers=[cast.volunteer_provider],
                                  order=part.order_place(actor=cast.user("resident"), item=cast.item))
              for _ in range(2)]

    def accept(order):
        return lambda: part.order_accept(actor=cast.user("volunteer"), order=ServiceOrder.objects.get(pk=order.pk))

    outcomes = race([accept(order) for order in orders])
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "ServiceOrder"], outcomes
    assert next(o for o in outcomes if isinstance(o, Conflict)).code == "capacity_full"
    assert ServiceOrder.objects.filter(item=cast.item, status=OrderStatus.ACCEPTED).count() == 1
