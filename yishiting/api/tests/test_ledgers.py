"""/api/v1/ledgers as an app uses it: my balance and statement (each line with the event that earned it), the
积分超市 of my community, a redemption with its code, the staff's pickup by that code (once), a refused
redemption without points, the communities' totals for staff only."""

from __future__ import annotations

import pytest

from yishiting.ledgers.models import Item
from yishiting.ledgers.processor import catch_up
from yishiting.ledgers.tests.conftest import earned, service_rule

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_balance_statement_redeem_and_pickup(world, api_as):
    service_rule()
    item = Item.objects.create(community=world.areas["C1"], name="洗衣液", price=15, stock=2)
    event = earned(world, hours="1.5")
    earned(world)
    catch_up()
    resident, staff = api_as("resident"), api_as("community_staff")
    assert resident.get("/ledgers/me").json() == {"points": 20, "hours": "3.50"}
    lines = resident.get("/ledgers/me/points").json()["items"]
    assert {line["event_id"] for line in lines} >= {event.pk} and lines[0]["event_kind"] == "participation.service_rated"
    assert [i["name"] for i in resident.get("/ledgers/market").json()] == ["洗衣液"]
    made = resident.post(f"/ledgers/market/{item.pk}/redeem")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    assert_error(resident.post(f"/ledgers/market/{item.pk}/redeem"), 409, "not_enough_points")
    assert_error(resident.post("/ledgers/pickups", {"code": made.json()["code"]}), 403)
    handed = staff.post("/ledgers/pickups", {"code": made.json()["code"]})
    assert handed.status_code == 200 and handed.json()["status"] == "handed_over"
    assert_error(staff.post("/ledgers/pickups", {"code": made.json()["code"]}), 409)
    totals = {row["community"]: row for row in staff.get("/ledgers/totals").json()}
    assert totals["幸福区/东风街道/幸福苑社区"]["points_redeemed"] == 15
    assert_error(resident.get("/ledgers/totals"), 403)
