"""幸福食堂 pages as each side sees them: the resident's menu and order form, the address masked for everyone but
the diner's side, the canteen and the assigned courier, staff ordering for an elder by ID number, eligibility
verified with who and when, and query counts on the board and the ledger that do not grow with the orders."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.canteens import services
from yishiting.canteens.choices import Fulfilment
from yishiting.canteens.models import EligibilityRegistration, MealOrder
from yishiting.canteens.tests.world import build, id_number, years_before
from yishiting.common.testing import make_user

pytestmark = pytest.mark.django_db
ADDRESS = "幸福苑3栋1单元102室"


def _delivery(ct, who: str = "elder"):
    return services.order_place(actor=ct.user(who), item=ct.lunch, fulfilment=Fulfilment.DELIVERY, address=ADDRESS)


def test_a_delivery_needs_an_address_and_the_form_says_so(world):
    ct = build(world)
    page = ct.client("elder").post(f"/canteens/menu/{ct.lunch.pk}/order/", {"fulfilment": "delivery", "address": ""})
    assert page.status_code == 400 and "送餐上门请填写地址。" in page.content.decode()
    assert not MealOrder.objects.exists()


def test_the_address_is_masked_except_for_the_diner_the_canteen_and_the_assigned_courier(world):
    ct = build(world)
    order = _delivery(ct)
    url = f"/canteens/orders/{order.pk}/"
    assert ct.client("courier").get(url).status_code == 404  # not theirs yet
    services.order_accept(actor=ct.user("cook"), order=order)
    services.order_assign(actor=ct.user("cook"), order=order, courier=ct.courier)
    for name in ["elder", "cook", "courier"]:
        assert ADDRESS in ct.client(name).get(url).content.decode(), name
    ledger_reader = ct.client("street_official").get(url).content.decode()
    assert ADDRESS not in ledger_reader and "幸福苑3栋1*****" in ledger_reader and "艾大爷" not in ledger_reader
    assert ct.client("resident").get(url).status_code == 404
    assert ct.client("resident3").get(url).status_code == 404


def test_staff_order_for_an_elder_by_id_number_and_the_elder_sees_it(world):
    ct = build(world)
    staff = ct.client("community_staff")
    form = staff.get(f"/canteens/menu/{ct.lunch.pk}/order/").content.decode()
    assert "或填写用餐人身份证号" in form
    unknown = staff.post(f"/canteens/menu/{ct.lunch.pk}/order/", {"diner_id_number": id_number(years_before(ct.lunch.day, 80), 999),
                                                                   "fulfilment": "eat_in"})
    assert unknown.status_code == 400 and "本辖区没有登记这个身份证号的居民" in unknown.content.decode()
    placed = staff.post(f"/canteens/menu/{ct.lunch.pk}/order/", {"diner_id_number": ct.elder.id_number,
                                                                  "fulfilment": "delivery", "address": ADDRESS})
    assert placed.status_code == 302
    mine = ct.client("elder").get("/canteens/").content.decode()
    assert "手抓饭套餐 · 幸福苑幸福食堂" in mine and "10.50 元" in mine


def test_staff_find_the_elder_with_the_people_picker_and_order_for_them(world):
    """No ID card at hand: the staff type the elder's name in the picker (a search, never a select of thousands),
    pick them and order; the discount is the elder's. A person outside the staff's area is not offered."""
    ct = build(world)
    staff = ct.client("community_staff")
    form = staff.get(f"/canteens/menu/{ct.lunch.pk}/order/").content.decode()
    assert 'name="diner_q"' in form and "<select" not in form.split('name="diner_q"')[0].rsplit("<form", 1)[-1]
    found = staff.get("/pick/diner/", {"name": "diner", "diner_q": "艾大爷"}).content.decode()
    assert f'value="{ct.elder.pk}"' in found and "艾大爷" in found  # staff may unmask; the search is audited
    outside = staff.get("/pick/diner/", {"name": "diner", "diner_q": "13800000003"}).content.decode()
    assert f'value="{world.people["resident3"].pk}"' not in outside
    assert ct.client("resident").get("/pick/diner/", {"name": "diner", "diner_q": "艾大爷"}).status_code == 403
    missing = staff.post(f"/canteens/menu/{ct.lunch.pk}/order/", {"fulfilment": "eat_in"})
    assert missing.status_code == 400 and "请查找并选择用餐人，或填写其身份证号。" in missing.content.decode()
    placed = staff.post(f"/canteens/menu/{ct.lunch.pk}/order/", {"diner": ct.elder.pk, "fulfilment": "eat_in"})
    assert placed.status_code == 302, placed.content.decode()[-3000:]
    assert "10.50 元" in ct.client("elder").get("/canteens/").content.decode()


def test_eligibility_is_registered_by_id_number_and_verified_with_who_and_when(world):
    ct = build(world)
    staff = ct.client("community_staff")
    page = staff.post("/canteens/eligibility/", {"id_number": ct.child.id_number, "eligibility": "left_behind_child",
                                                 "note": "父母外出务工"}, follow=True).content.decode()
    assert "已登记，核实后用餐即享优惠。" in page and "待核实" in page
    registration = EligibilityRegistration.objects.get()
    page = staff.post(f"/canteens/eligibility/{registration.pk}/verify/", follow=True).content.decode()
    assert re.search(r"钱\*+ 于 .+ 核实", page), page
    registration.refresh_from_db()
    assert registration.status == "verified" and registration.verified_by == world.people["community_staff"]
    assert ct.client("resident").get("/canteens/eligibility/").status_code == 403
    assert ct.client("cook").post(f"/canteens/eligibility/{registration.pk}/revoke/").status_code == 403


def _more_orders(world, ct, count: int, start: int) -> None:
    for i in range(start, start + count):
        person = area_services.person_create(actor=None, name=f"居民{i}", mobile="", household=world.households["H1"])
        area_services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
        user = make_user(world, f"diner{i}", person)
        order = services.order_place(actor=user, item=ct.lunch, fulfilment=Fulfilment.DELIVERY, address=ADDRESS)
        services.order_accept(actor=ct.user("cook"), order=order)
        if i % 2:
            services.order_assign(actor=ct.user("cook"), order=order, courier=ct.courier)


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: header cache, session renewal
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_board_and_the_ledger_cost_the_same_queries_for_3_or_12_orders(world):
    ct = build(world)
    cook, office = ct.client("cook"), ct.client("street_official")
    board = f"/canteens/{ct.canteen.pk}/board/?date={ct.lunch.day:%Y-%m-%d}"
    ledger = f"/canteens/ledger/?month={ct.lunch.day:%Y-%m}"
    _more_orders(world, ct, 3, 0)
    few = (_queries(cook, board), _queries(office, ledger), _queries(ct.client("elder"), "/canteens/"))
    _more_orders(world, ct, 9, 3)
    many = (_queries(cook, board), _queries(office, ledger), _queries(ct.client("elder"), "/canteens/"))
    assert few == many, (few, many)
