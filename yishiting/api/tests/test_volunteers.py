"""/api/v1/volunteers: sign up (the last place, then the waiting list), check in with the QR code's code, the
organiser checks out once with hours and a rating, the volunteer's record; other communities see nothing."""

from __future__ import annotations

import pytest

from yishiting.volunteers import services as vol
from yishiting.volunteers.tests.conftest import add_resident, build_vol

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_sign_up_check_in_check_out_and_the_record_through_the_api(world, api_as):
    v = build_vol(world, capacity=1)
    add_resident(world, "r4", "赵六", "13900000004")
    resident, leader = api_as("resident"), api_as("leader")
    listed = resident.get("/volunteers/activities").json()
    assert [a["title"] for a in listed] == ["楼道清理"] and listed[0]["full"] is False
    signed = resident.post(f"/volunteers/activities/{v.activity.pk}/sign-up")
    assert signed.status_code == 201 and signed.json()["status"] == "signed_up"
    assert api_as("r4").post(f"/volunteers/activities/{v.activity.pk}/sign-up").json()["status"] == "waiting"
    assert_error(resident.post(f"/volunteers/activities/{v.activity.pk}/check-in", {"code": "forged"}), 404, "bad_code")
    checked = resident.post(f"/volunteers/activities/{v.activity.pk}/check-in", {"code": vol.checkin_token(v.activity)})
    assert checked.json()["status"] == "checked_in"
    pk = checked.json()["id"]
    assert_error(resident.post(f"/volunteers/attendances/{pk}/check-out", {"rating": 5}), 403)
    out = leader.post(f"/volunteers/attendances/{pk}/check-out", {"rating": 5, "hours": "2", "reason": "补记"})
    assert out.json()["hours"] == "2.0" and out.json()["person"] == "张*"
    assert_error(leader.post(f"/volunteers/attendances/{pk}/check-out", {"rating": 5}), 409)
    me = resident.get("/volunteers/me").json()
    assert me["hours"] == "2.0" and me["services"] == 1 and me["rating"] == "5.0"


def test_other_communities_see_no_activity(world, api_as):
    v = build_vol(world)
    client = api_as("resident2")
    assert client.get("/volunteers/activities").json() == []
    assert_error(client.get(f"/volunteers/activities/{v.activity.pk}"), 404)
    assert_error(client.post(f"/volunteers/activities/{v.activity.pk}/sign-up"), 404)
