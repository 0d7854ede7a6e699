"""Who may do what, role × scope: residents order at their own community's canteen; canteen staff run their own
canteen; volunteers deliver what they are given; community staff verify eligibility; the ledger is the office's."""

from __future__ import annotations

import pytest

from yishiting.canteens import services
from yishiting.canteens.choices import Eligibility, Fulfilment
from yishiting.canteens.models import Canteen
from yishiting.canteens.rules import is_canteen_staff, may_confirm, sees_address
from yishiting.common.rules import has_perm

pytestmark = pytest.mark.django_db

ORDER_AT_C1 = {"resident": True, "elder": True, "resident2": False, "resident3": False, "courier": True,
               "cook": True, "handler": False}


@pytest.mark.parametrize(("persona", "allowed"), ORDER_AT_C1.items())
def test_ordering_is_for_the_canteens_own_community(ct, persona, allowed):
    assert has_perm(ct.user(persona), "canteens.order", ct.canteen) is allowed


WORK = {"cook": True, "community_staff": False, "community_secretary": False, "resident": False, "courier": False,
        "admin": True}


@pytest.mark.parametrize(("persona", "allowed"), WORK.items())
def test_only_canteen_staff_run_the_canteen(ct, persona, allowed):
    assert is_canteen_staff(ct.user(persona), ct.canteen) is allowed


def test_canteen_staff_of_one_community_do_not_run_anothers_canteen(ct):
    other = Canteen.objects.create(name="湖滨食堂", area=ct.world.areas["C3"], address="湖滨社区", opening_hours="11:00–13:00")
    assert not is_canteen_staff(ct.user("cook"), other)
    assert not has_perm(ct.user("elder"), "canteens.order", other)


ELIGIBILITY = {"community_staff": True, "community_secretary": True, "grid_worker": False, "street_official": False,
               "cook": False, "resident": False}


@pytest.mark.parametrize(("persona", "allowed"), ELIGIBILITY.items())
def test_community_staff_verify_eligibility(ct, persona, allowed):
    assert has_perm(ct.user(persona), "canteens.eligibility", ct.child) is allowed


LEDGER = {"community_staff": True, "street_official": True, "district_official": True, "cook": True,
          "resident": False, "courier": False, "grid_worker": False}


@pytest.mark.parametrize(("persona", "allowed"), LEDGER.items())
def test_the_ledger_is_for_the_office_and_the_canteen(ct, persona, allowed):
    assert has_perm(ct.user(persona), "canteens.ledger", ct.canteen) is allowed


def test_the_address_shows_to_the_diner_the_canteen_and_the_assigned_courier_only(ct):
    order = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.DELIVERY, address="3栋102")
    services.order_accept(actor=ct.user("cook"), order=order)
    assert not sees_address(ct.user("courier"), order)
    order = services.order_assign(actor=ct.user("cook"), order=order, courier=ct.courier)
    seen = {name: sees_address(ct.user(name), order) for name in ["elder", "cook", "courier", "community_staff", "resident"]}
    assert seen == {"elder": True, "cook": True, "courier": True, "community_staff": False, "resident": False}
    assert may_confirm(ct.user("elder"), order) and not may_confirm(ct.user("courier"), order)


def test_staff_of_another_community_cannot_register_a_person(ct):
    with pytest.raises(Exception):  # noqa: B017 — PermissionDeniedError
        services.registration_file(actor=ct.user("resident3"), person=ct.child, eligibility=Eligibility.DIBAO)
