"""Two providers accepting the same order at the same moment, on PostgreSQL (SQLite serializes every write, so
there is no race there): exactly one takes it, the other is told it was taken."""

from __future__ import annotations

import pytest
from django.db import connection

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.participation import services as part
from yishiting.participation.choices import OrderStatus
from yishiting.participation.models import ServiceOrder

from .world import build_cast

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("只在 PostgreSQL 上有真正的并发写；同一测试在 PostgreSQL 轮次中运行")


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
