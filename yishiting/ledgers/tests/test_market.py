"""The 积分超市 and the 时间银行 as residents and staff meet them: a redemption takes the points and one item
and gives a code; staff hand it over by the code; a cancelled or expired one gives both back (new lines);
hours are withdrawn by staff and transferred only to family; balances equal the ledger and verify names a
tampered one."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from yishiting.common.errors import DomainError
from yishiting.common.testing import raw_sql, verify_names
from yishiting.ledgers import services
from yishiting.ledgers.choices import PointKind, RedemptionStatus
from yishiting.ledgers.models import Balance, HourEntry, Item, PointEntry, Redemption
from yishiting.ledgers.processor import catch_up

from .conftest import earned

pytestmark = pytest.mark.django_db


def _rich(world, rule, times: int = 3, who: str = "resident"):
    for _ in range(times):
        earned(world, who=who)
    catch_up()


def _points(person) -> int:
    return Balance.objects.get(person=person).points


def test_redeem_takes_points_and_stock_then_staff_hand_over_by_code(world, rule, item):
    _rich(world, rule)
    redemption = services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=item)
    assert _points(world.people["resident"]) == 10 and Item.objects.get(pk=item.pk).stock == 4
    assert len(redemption.code) == 8
    done = services.redemption_hand_over(actor=world.users["community_staff"], code=redemption.code)
    assert done.status == RedemptionStatus.HANDED_OVER
    with pytest.raises(DomainError):  # once only
        services.redemption_hand_over(actor=world.users["community_staff"], code=redemption.code)


def test_staff_of_another_community_cannot_hand_over(world, rule, item):
    _rich(world, rule)
    redemption = services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=item)
    with pytest.raises(DomainError):
        services.redemption_hand_over(actor=world.users["resident2"], code=redemption.code)


def test_not_enough_points_is_refused_and_nothing_moves(world, rule, item):
    earned(world)
    catch_up()
    with pytest.raises(DomainError) as refused:
        services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=item)
    assert refused.value.code == "not_enough_points" and Item.objects.get(pk=item.pk).stock == 5


def test_expiry_returns_points_and_stock_as_new_lines(world, rule, item):
    _rich(world, rule)
    redemption = services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=item)
    Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.expire_due() == 1 and services.expire_due() == 0
    assert Redemption.objects.get(pk=redemption.pk).status == RedemptionStatus.EXPIRED
    assert _points(world.people["resident"]) == 30 and Item.objects.get(pk=item.pk).stock == 5
    kinds = list(PointEntry.objects.filter(person=world.people["resident"]).values_list("kind", flat=True))
    assert kinds.count(PointKind.REDEEMED) == 1 and kinds.count(PointKind.RETURNED) == 1


def test_cancel_returns_points_once(world, rule, item):
    _rich(world, rule)
    redemption = services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=item)
    services.redemption_cancel(actor=world.users["resident"], redemption=redemption)
    with pytest.raises(DomainError):
        services.redemption_cancel(actor=world.users["resident"], redemption=redemption)
    assert _points(world.people["resident"]) == 30


def test_the_last_item_goes_once(world, rule):
    last = Item.objects.create(community=world.areas["C1"], name="雨伞", price=5, stock=1)
    _rich(world, rule)
    services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=last)
    with pytest.raises(DomainError) as refused:
        services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=last)
    assert refused.value.code == "out_of_stock" and _points(world.people["resident"]) == 25


def test_withdrawal_and_transfer_to_family_only(world, rule):
    _rich(world, rule, times=2)  # 2 × 2 h
    resident, staff = world.people["resident"], world.users["community_staff"]
    services.hours_withdraw(actor=staff, person=resident, hours="1", service="上门理发一次")
    family = services.family_of(resident)
    assert family == []
    from yishiting.areas import services as area_services

    mother = area_services.person_create(actor=None, name="张母", mobile="13800000021", household=world.households["H1"])
    services.hours_transfer(actor=world.users["resident"], person=resident, to=mother, hours="2.5")
    assert Balance.objects.get(person=resident).hours == Decimal("0.50")
    assert Balance.objects.get(person=mother).hours == Decimal("2.50")
    with pytest.raises(DomainError) as refused:
        services.hours_transfer(actor=world.users["resident"], person=resident, to=world.people["resident2"], hours="0.5")
    assert refused.value.code == "not_family"
    with pytest.raises(DomainError) as short:
        services.hours_withdraw(actor=staff, person=resident, hours="1", service="助浴")
    assert short.value.code == "not_enough_hours"
    assert HourEntry.objects.filter(person=resident).count() == 4


def test_manual_award_needs_a_role_the_rule_names_and_a_correction_is_a_new_line(world, rule):
    rule.award_roles = ["community_staff"]
    rule.save()
    resident = world.people["resident"]
    services.points_award(actor=world.users["community_staff"], person=resident, rule=rule, reason="清理楼道杂物")
    with pytest.raises(DomainError):
        services.points_award(actor=world.users["community_secretary"], person=resident, rule=rule, reason="x")
    services.points_correct(actor=world.users["community_staff"], person=resident, points=-4, reason="重复奖励")
    assert _points(resident) == 6 and PointEntry.objects.filter(person=resident).count() == 2


def test_balance_equals_the_ledger_and_verify_names_a_tampered_balance(world, rule):
    _rich(world, rule)
    balance = Balance.objects.get(person=world.people["resident"])
    assert balance.points == sum(PointEntry.objects.filter(person=balance.person).values_list("points", flat=True))
    raw_sql("UPDATE ledgers_balance SET points = 999 WHERE id = %s", [balance.pk])
    verify_names("ledgers.balance", balance.pk, "积分余额 999，明细合计 30")


def test_the_tick_credits_new_events_and_expires_unclaimed_redemptions(world, rule, item):
    for _ in range(3):
        earned(world)
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert _points(world.people["resident"]) == 30 and "积分：读入" in out.getvalue()
    redemption = services.redemption_create(actor=world.users["resident"], person=world.people["resident"], item=item)
    Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("tick", stdout=io.StringIO())
    assert Redemption.objects.get(pk=redemption.pk).status == RedemptionStatus.EXPIRED
    assert _points(world.people["resident"]) == 30
