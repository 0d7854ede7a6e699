"""幸福食堂 through the pages, as people use it (seed 004, Altay: "居民点单+食堂接单+志愿送餐"): a 75-year-old
orders tomorrow's lunch for delivery and sees the 30 % price; the canteen accepts it on its board and gives it to a
volunteer of the 雪都送餐队; the volunteer marks it delivered from their phone; the diner confirms and rates; the
subsidy ledger shows what the canteen gave up and what the diner paid; and exactly one
`canteens.delivery_confirmed` event carries the contract's payload for the ledgers (points, 时间银行)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from yishiting.canteens.models import MealOrder
from yishiting.canteens.tests.world import build
from yishiting.common.models import Event

from .http import follow, signed_in

pytestmark = pytest.mark.django_db




def test_a_discounted_meal_delivered_by_a_volunteer(world):
    ct = build(world)
    elder, cook, courier = signed_in(world, "elder"), signed_in(world, "cook"), signed_in(world, "courier")

    menu = elder.get("/canteens/").content.decode()
    assert "手抓饭套餐" in menu and "标价 15.00 元" in menu and "您付 10.50 元（七十岁以上老人）" in menu
    placed = elder.post(f"/canteens/menu/{ct.lunch.pk}/order/",
                        {"fulfilment": "delivery", "address": "幸福苑3栋1单元102室", "note": "少放盐"})
    assert placed.status_code == 302, placed.content.decode()[:2000]
    order = MealOrder.objects.get(pk=int(re.search(r"/canteens/orders/(\d+)/", placed["Location"]).group(1)))
    page = elder.get(placed["Location"]).content.decode()
    assert "待接单" in page and "10.50 元" in page and "幸福苑3栋1单元102室" in page

    neighbour = signed_in(world, "community_staff").get("/canteens/ledger/").content.decode()
    assert order.number not in neighbour  # not accepted yet: nothing given up

    board = cook.get(f"/canteens/{ct.canteen.pk}/board/?date={ct.lunch.day:%Y-%m-%d}").content.decode()
    assert order.number in board and "幸福苑3栋1单元102室" in board and "艾*" in board
    follow(cook, f"/canteens/orders/{order.pk}/accept/", {"next": f"/canteens/{ct.canteen.pk}/board/"})
    assert "暂时没有要送的餐" in courier.get("/canteens/deliveries/").content.decode()
    page = follow(cook, f"/canteens/orders/{order.pk}/assign/", {"courier": ct.courier.pk})
    assert "已派给送餐志愿者 古丽" in page and "配送中" in page

    mine = courier.get("/canteens/deliveries/").content.decode()
    assert "幸福苑3栋1单元102室" in mine and "手抓饭套餐" in mine
    follow(courier, f"/canteens/orders/{order.pk}/deliver/", {"next": "/canteens/deliveries/"})

    page = follow(elder, f"/canteens/orders/{order.pk}/confirm/", {"rating": "5", "comment": "饭还是热的"})
    assert "已确认收餐" in page
    order.refresh_from_db()
    assert (order.status, order.rating, order.courier) == ("confirmed", 5, ct.courier)

    ledger = signed_in(world, "community_staff").get(f"/canteens/ledger/?month={ct.lunch.day:%Y-%m}").content.decode()
    assert order.number not in ledger  # the ledger lists the diner masked and no address
    assert "幸福苑3栋1单元102室" not in ledger and "艾大爷" not in ledger
    row = re.search(r"幸福苑幸福食堂</td><td[^>]*>1</td><td[^>]*>1</td>\s*<td[^>]*>15.00</td><td[^>]*>10.50</td><td[^>]*>4.50</td>", ledger)
    assert row, ledger
    sheet = signed_in(world, "community_staff").get(f"/canteens/ledger.xlsx?month={ct.lunch.day:%Y-%m}")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "幸福苑幸福食堂" and [Decimal(str(v)) for v in rows[1][4:7]] == [Decimal("15"), Decimal("10.5"), Decimal("4.5")]

    events = Event.objects.filter(kind="canteens.delivery_confirmed")
    assert events.count() == 1
    event = events.get()
    assert (event.subject_type, event.subject_id) == ("canteens.mealorder", str(order.pk))
    assert event.payload == {"area": world.areas["C1"].pk, "earners": [{"person": ct.courier.pk, "rating": 5}]}
