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


def test_a_units_quarterly_report_through_the_api(world, api_as):
    """The report checked before a member's promotion (seed 003), as JSON: each member's services with hours and
    ratings (the person served masked), the community's 考核建议 — for the community's staff and the unit's
    liaison; nobody else; a quarter not begun is refused."""
    from django.utils import timezone

    cast = build_cast(world)
    today = timezone.localdate()
    record = part.service_record_add(actor=cast.user("member"), member=cast.member, what="楼道清理", served_on=today,
                                     hours="2", served_person=world.people["resident"])
    part.service_record_rate(actor=cast.user("resident"), record=record, stars=4)
    year, quarter = part.quarter_of(today)
    part.assessment_write(actor=cast.user("community_staff"), year=year, quarter=quarter, grade="good",
                          reasons="义诊按时", unit=cast.unit)
    url = f"/participation/units/{cast.unit.pk}/report?year={year}&quarter={quarter}"
    for who in ("community_staff", "liaison"):
        report = api_as(who).get(url)
        assert report.status_code == 200, report.content
        body = report.json()
        assert body["unit"] == cast.unit.organization.name and body["total_services"] == 1
        assert body["assessment"] == {"grade": "good", "grade_label": "好", "reasons": "义诊按时"}
        member = next(m for m in body["members"] if m["name"] == "党医生")
        assert member["name"] == "党医生" and member["services"] == 1 and member["stars"] == 4.0
        assert member["records"] == [{"served_on": today.isoformat(), "what": "楼道清理", "served_person": "张*",
                                      "hours": "2.0", "rating": 4}]
        assert body["pdf"].endswith(f"/{year}/{quarter}.pdf")
    assert_error(api_as("resident").get(url), 404)
    assert_error(api_as("member2").get(url), 404)
    assert_error(api_as("community_staff").get(
        f"/participation/units/{cast.unit.pk}/report?year={year + 1}&quarter=1"), 422, "invalid_quarter")
    assert_error(api_as("community_staff").get(f"/participation/units/{cast.unit.pk}/report?year={year}&quarter=9"),
                 422)
