"""/api/v1/oversight/plans: an area's plan (image, reference points) for whoever may see the area; the demands on it
as points and a density grid for staff, their subtree only, with nothing personal; out of scope answers like
missing; a resident gives a demand's place by a tap on the plan."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from yishiting.areas import services
from yishiting.areas.choices import Role
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.oversight.tests.plans import at_pixel, make_plan

from .conftest import assert_error


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _demand(world, persona: str, area: str, text: str, **place) -> Demand:
    return demand_submit(actor=world.users[persona], submission=Submission(text=text, area=world.areas[area], **place))


@pytest.fixture
def drawn(world):
    plan = make_plan(world)
    return {"plan": plan,
            "lift": _demand(world, "resident", "B1", "幸福苑3栋的电梯坏了两天，张三家老人下不了楼", **at_pixel(400, 300)),
            "light": _demand(world, "grid_worker", "G1", "小区东门路灯坏了，晚上很黑", **at_pixel(700, 100)),
            "other": _demand(world, "resident2", "B2", "和平里1栋门口的垃圾桶满了", **at_pixel(100, 100))}


@pytest.mark.parametrize("persona", ["grid_worker", "community_staff", "street_official", "district_official"])
def test_staff_get_the_points_and_grid_of_their_subtree_with_nothing_personal(world, api_as, drawn, persona):
    api = api_as(persona)
    listed = api.get("/oversight/plans").json()
    assert [p["id"] for p in listed["items"]] == [drawn["plan"].pk]
    body = api.get(f"/oversight/plans/{drawn['plan'].pk}/hotspots").json()
    assert {p["demand_id"] for p in body["points"]} == {drawn["lift"].pk, drawn["light"].pk}
    lift = next(p for p in body["points"] if p["demand_id"] == drawn["lift"].pk)
    assert (lift["x"], lift["y"]) == (400.0, 300.0)
    assert sum(c["count"] for c in body["cells"]) == 2 and body["cell_size"] == pytest.approx(800 / 24, abs=0.001)
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("张三", "电梯坏了", "赵网格", "13800000", "latitude"):
        assert personal not in text
    assert api.get(f"/demands/{lift['demand_id']}").status_code == 200  # each point opens, by the viewer's rights


def test_filters_by_category_and_period(world, api_as, drawn):
    api, plan = api_as("community_staff"), drawn["plan"]
    category = drawn["lift"].category
    body = api.get(f"/oversight/plans/{plan.pk}/hotspots", category=category.pk).json()
    assert {p["demand_id"] for p in body["points"]} == {d.pk for d in (drawn["lift"], drawn["light"])
                                                       if d.category_id == category.pk}
    body = api.get(f"/oversight/plans/{plan.pk}/hotspots", start="2001-01-01", end="2001-12-31").json()
    assert body["points"] == [] and body["cells"] == []


def test_a_plan_out_of_scope_answers_like_a_missing_one(world, api_as, drawn):
    services.role_assign(actor=None, person=world.people["resident2"], role=Role.COMMUNITY_STAFF,
                         area=world.areas["C2"])
    api = api_as("resident2")
    assert api.get("/oversight/plans").json()["items"] == []
    for path in ("", "/hotspots", "/image"):
        outside = assert_error(api.get(f"/oversight/plans/{drawn['plan'].pk}{path}"), 404, "not_found")
        missing = assert_error(api.get(f"/oversight/plans/999999{path}"), 404, "not_found")
        assert outside == missing
    outside = assert_error(api.get(f"/oversight/plans/for-area/{world.areas['B1'].pk}"), 404, "not_found")
    assert outside == assert_error(api.get("/oversight/plans/for-area/999999"), 404, "not_found")


def test_residents_get_the_bare_plan_of_their_place_but_no_hot_spots(world, api_as, drawn):
    api = api_as("resident")
    plan = api.get(f"/oversight/plans/for-area/{world.areas['U1'].pk}").json()  # the unit: the estate's plan
    assert plan["id"] == drawn["plan"].pk and (plan["width"], plan["height"]) == (800, 600)
    assert plan["reference_points"][1] == {"x": 800.0, "y": 0.0, "lat": 30.26, "lng": 120.108}
    assert plan["image_url"] == reverse("api:plan_image", args=[drawn["plan"].pk])
    image = api.get(plan["image_url"].removeprefix("/api/v1"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert_error(api.get("/oversight/plans"), 403, "permission_denied")
    assert_error(api.get(f"/oversight/plans/{drawn['plan'].pk}/hotspots"), 403, "permission_denied")
    assert_error(api_as(None).get(f"/oversight/plans/{drawn['plan'].pk}"), 401)


def test_a_resident_gives_the_place_by_a_tap_on_the_plan(world, api_as, drawn):
    api, plan = api_as("resident"), drawn["plan"]
    body = {"text": "3栋门口的台阶塌了一块，晚上容易绊倒", "area_id": world.areas["B1"].pk,
            "plan_id": plan.pk, "plan_x": 250, "plan_y": 120}
    response = api.post("/demands", body)
    assert response.status_code == 201, response.content.decode()
    demand = Demand.objects.get(pk=response.json()["id"])
    expected = at_pixel(250, 120)
    assert (demand.latitude, demand.longitude) == (expected["latitude"], expected["longitude"])
    hot = api_as("community_staff").get(f"/oversight/plans/{plan.pk}/hotspots").json()
    point = next(p for p in hot["points"] if p["demand_id"] == demand.pk)
    assert (point["x"], point["y"]) == (250.0, 120.0)  # drawn where it was tapped


@pytest.mark.parametrize("change, code", [
    ({"plan_x": None}, "plan_point_incomplete"),
    ({"latitude": "30.2", "longitude": "120.1"}, "place_twice"),
    ({"plan_id": 999999}, "invalid_plan"),
    ({"plan_x": 801}, "outside_plan"),
])
def test_a_wrong_tap_is_refused_and_nothing_is_stored(world, api_as, drawn, change, code):
    body = {"text": "3栋门口的台阶塌了一块", "area_id": world.areas["B1"].pk, "plan_id": drawn["plan"].pk,
            "plan_x": 250, "plan_y": 120, **change}
    before = Demand.objects.count()
    assert_error(api_as("resident").post("/demands", {k: v for k, v in body.items() if v is not None}), 400, code)
    assert Demand.objects.count() == before
