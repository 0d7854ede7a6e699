"""/api/v1/participation: a menu order through the API (place, dispatch, accept once, rate), the showcase."""

from __future__ import annotations

import pytest

from yishiting.participation import services as part
from yishiting.participation.models import ServiceOrder
from yishiting.participation.tests.world import build_cast, photo

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_order_dispatch_accept_rate_through_the_api(world, api_as):
    cast = build_cast(world)
    resident, staff, member, volunteer = (api_as(p) for p in ("resident", "community_staff", "member", "volunteer"))
    menu = resident.get("/participation/menu").json()
    assert [(i["title"], i["provider"]) for i in menu] == [("上门量血压", "在职党员 党**")]
    placed = resident.post("/participation/orders", {"item": menu[0]["id"], "text": "住3栋"})
    assert placed.status_code == 201, placed.content
    pk = placed.json()["id"]
    assert placed.json()["status"] == "submitted" and placed.json()["actions"] == ["cancel"]
    assert_error(resident.post(f"/participation/orders/{pk}/dispatch", {"providers": [cast.member_provider.pk]}), 403)
    dispatched = staff.post(f"/participation/orders/{pk}/dispatch",
                            {"providers": [cast.member_provider.pk, cast.volunteer_provider.pk]}).json()
    assert dispatched["status"] == "dispatched"
    assert member.get(f"/participation/orders/{pk}").json()["actions"] == ["accept"]
    assert member.post(f"/participation/orders/{pk}/accept").json()["status"] == "accepted"
    assert_error(volunteer.post(f"/participation/orders/{pk}/accept"), 409, "already_accepted")
    part.order_report(actor=cast.user("member"), order=ServiceOrder.objects.get(pk=pk),
                      report=part.Report("量了血压", "1", [photo()]))
    assert_error(resident.post(f"/participation/orders/{pk}/rate", {"stars": 9}), 422)
    assert resident.post(f"/participation/orders/{pk}/rate", {"stars": 5}).json()["rating"] == 5
    shown = resident.get("/participation/showcase").json()["items"]
    assert [(s["provider"], s["done"], s["stars"]) for s in shown] == [("在职党员 党**", 1, 5.0)]
    assert_error(api_as("resident3").get(f"/participation/orders/{pk}"), 404)
