"""/api/v1/canteens: the menu with the caller's price, an order placed by staff for an elderly person, the canteen
accepting and assigning, the courier delivering, the diner confirming with a rating, the address masked for the
ledger's readers, and the month's ledger."""

from __future__ import annotations

import pytest

from yishiting.canteens.tests.world import build
from yishiting.common.models import Event

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_an_order_through_the_api_from_menu_to_the_ledger(world, api_as):
    ct = build(world)
    elder, cook, courier, staff = api_as("elder"), api_as("cook"), api_as("courier"), api_as("community_staff")
    menu = elder.get("/canteens/menu", day=str(ct.lunch.day)).json()
    lunch = next(i for i in menu if i["id"] == ct.lunch.pk)
    assert (lunch["price"], lunch["my_price"], lunch["rule"]) == ("15.00", "10.50", "七十岁以上老人")
    placed = staff.post("/canteens/orders", {"item": ct.lunch.pk, "fulfilment": "delivery", "address": "幸福苑3栋1单元102室",
                                             "diner_id_number": ct.elder.id_number})
    assert placed.status_code == 201, placed.content.decode()
    order = placed.json()
    assert (order["paid_price"], order["given_up"], order["status"]) == ("10.50", "4.50", "placed")
    assert order["address"] == "幸福苑3栋1单元102室"  # who ordered for the diner sees it
    assert_error(elder.post(f"/canteens/orders/{order['id']}/accept", {}), 403)
    assert cook.post(f"/canteens/orders/{order['id']}/accept", {}).json()["status"] == "accepted"
    assert_error(cook.post(f"/canteens/orders/{order['id']}/assign", {"courier": world.people["resident"].pk}), 404)
    assigned = cook.post(f"/canteens/orders/{order['id']}/assign", {"courier": ct.courier.pk}).json()
    assert assigned["status"] == "assigned" and assigned["actions"] == ["assign", "deliver"]
    assert courier.post(f"/canteens/orders/{order['id']}/deliver", {}).json()["status"] == "delivered"
    done = elder.post(f"/canteens/orders/{order['id']}/confirm", {"rating": 4}).json()
    assert (done["status"], done["rating"]) == ("confirmed", 4)
    seen = api_as("street_official").get(f"/canteens/orders/{order['id']}").json()
    assert seen["address"] != "幸福苑3栋1单元102室" and seen["address"].startswith("幸福苑")
    ledger = api_as("street_official").get("/canteens/ledger", month=f"{ct.lunch.day:%Y-%m}").json()
    assert [(r["canteen"], r["orders"], r["paid"], r["given_up"]) for r in ledger] == [("幸福苑幸福食堂", 1, "10.50", "4.50")]
    assert Event.objects.filter(kind="canteens.delivery_confirmed").count() == 1
    counts = cook.get(f"/canteens/{ct.canteen.pk}/counts", day=str(ct.lunch.day)).json()
    assert (counts["orders"], counts["deliveries"], counts["delivered"]) == (1, 1, 1)


def test_the_ledger_and_counts_are_not_for_residents(world, api_as):
    ct = build(world)
    assert_error(api_as("resident").get("/canteens/ledger"), 403)
    assert_error(api_as("resident").get(f"/canteens/{ct.canteen.pk}/counts"), 403)
    assert_error(api_as("cook").get("/canteens/ledger", month="2026-13"), 400, "invalid_month")
