"""微心愿 and 事务预约 through /api/v1: the same rules as the pages — the wall names nobody, one donor wins a claim;
a resident books a free slot and sees their code, the desk sees the day masked and checks in by code."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from yishiting.appointments.tests.flows import bookings_in_every_state
from yishiting.wishes.tests.conftest import add_donors

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_a_wish_through_the_api(world, api_as):
    add_donors(world)
    posted = api_as("resident").post("/wishes", {"category": "daily", "text": "我叫张三，想要一个助行器"})
    assert posted.status_code == 201, posted.content
    pk = posted.json()["id"]
    assert_error(api_as("resident").post(f"/wishes/{pk}/approve", {"public_text": "x", "no_money": True,
                                                                    "no_personal_data": True}), 403)
    assert_error(api_as("community_staff").post(f"/wishes/{pk}/approve", {"public_text": "想要助行器", "no_money": True,
                                                                           "no_personal_data": False}), 400, "checklist")
    approved = api_as("community_staff").post(f"/wishes/{pk}/approve", {"public_text": "一位居民想要一个助行器",
                                                                         "no_money": True, "no_personal_data": True})
    assert approved.json()["status"] == "open"
    seen = api_as("party").get(f"/wishes/{pk}").json()
    assert seen["original_text"] is None and seen["actions"] == ["claim"]
    assert api_as("party").post(f"/wishes/{pk}/claim", {}).json()["donor_kind"] == "party_member"
    assert_error(api_as("neighbour").post(f"/wishes/{pk}/claim", {}), 409, "already_claimed")
    wall = api_as(None).get("/wishes/wall").json()
    assert wall["items"][0]["text"] == "一位居民想要一个助行器" and "张三" not in str(wall)


def test_book_and_check_in_through_the_api(world, api_as, monkeypatch):
    states = bookings_in_every_state(world)
    service = states["booked"].service
    slots = api_as("resident").get(f"/appointments/services/{service.pk}/slots").json()
    free = next(s for s in slots if s["free"] > 0 and s["id"] != states["booked"].slot_id)
    booked = api_as("resident").post(f"/appointments/slots/{free['id']}/book", {"note": "咨询遗嘱"})
    assert booked.status_code == 201, booked.content
    code = booked.json()["code"]
    assert len(code) == 6 and api_as("resident2").get(f"/appointments/services/{service.pk}/slots").status_code == 404
    start = datetime.fromisoformat(free["starts_at"])
    moment = start - timedelta(minutes=10)  # at the desk on the day, within the hour before the slot (any time of day)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    staff = api_as("community_staff")
    day = staff.get("/appointments/desk").json()
    assert "张*" in str(day) and "张三" not in str(day) and all(item["code"] is None for item in day["items"])
    assert staff.post("/appointments/desk/check-in", {"code": code}).json()["status"] == "checked_in"
    assert_error(api_as("resident").get("/appointments/desk"), 403)
