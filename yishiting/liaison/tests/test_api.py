"""/api/v1/liaison: the same services and rules as the pages, errors in the API's one shape in Chinese."""

import pytest
from django.utils import timezone

from yishiting.api.tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_links_through_the_api(world, api_as):
    body = {"leader_id": world.people["street_official"].pk, "community_id": world.areas["C3"].pk,
            "starts_on": timezone.localdate().isoformat()}
    assert_error(api_as("community_staff").post("/liaison/links", body), 403)
    made = api_as("district_official").post("/liaison/links", body)
    assert made.status_code == 201, made.content.decode()
    link = made.json()
    assert (link["leader"], link["community"], link["level"], link["in_force"]) == ("周主任", "湖滨社区", "street", True)
    assert_error(api_as("district_official").post("/liaison/links", body), 409, "already_linked")
    [glance] = api_as("street_official").get("/liaison/mine").json()
    assert glance["link"]["community"] == "湖滨社区" and {s["key"] for s in glance["stages"]} >= {"screening", "tasks"}
    ended = api_as("district_official").post(f"/liaison/links/{link['id']}/end", {"reason": "调整"}).json()
    assert ended["is_active"] is False and ended["in_force"] is False
    assert api_as("street_official").get("/liaison/mine").json() == []


def test_records_and_matters_through_the_api(world, deputy, api_as):
    body = {"area_id": world.areas["G1"].pk, "held_on": timezone.localdate().isoformat(), "place": "小区广场",
            "method": "forum", "deputy_kind": "party", "people_count": 9, "matters": ["广场舞噪音扰民"],
            "person_ids": [world.people["resident"].pk]}
    me = api_as("deputy")
    made = me.post("/liaison/records", body)
    assert made.status_code == 201, made.content.decode()
    record = made.json()
    assert record["method_label"] == "座谈" and record["matters"][0]["demand_id"] is None
    demand = me.post(f"/liaison/matters/{record['matters'][0]['id']}/demand").json()
    assert me.post(f"/liaison/matters/{record['matters'][0]['id']}/demand").json()["id"] == demand["id"]
    again = me.get(f"/liaison/records/{record['id']}").json()
    assert again["matters"][0]["demand_number"] == demand["number"] and again["matters"][0]["demand_status"] == "待筛选"
    assert me.post(f"/liaison/records/{record['id']}/matters", {"text": "路面破损"}).status_code == 201
    rows = api_as("community_secretary").get(f"/liaison/deputies/{timezone.localdate().year}").json()
    assert [(r["name"], r["contacts"], r["raised"], r["demands"]) for r in rows] == [("何代表", 1, 2, 1)]
    assert_error(api_as("resident").get(f"/liaison/records/{record['id']}"), 404)
    assert_error(api_as("community_staff").post("/liaison/records", body), 403)


def test_bad_records_are_refused_in_chinese(world, deputy, api_as):
    base = {"area_id": world.areas["G1"].pk, "held_on": timezone.localdate().isoformat(), "place": "小区广场",
            "method": "forum", "deputy_kind": "party", "people_count": 9}
    error = assert_error(api_as("deputy").post("/liaison/records", {**base, "method": "phone"}), 400, "invalid_choice")
    assert "联系方式" in error["message"]
    assert_error(api_as("deputy").post("/liaison/records", {**base, "people_count": 0}), 422)
    assert_error(api_as("deputy").post("/liaison/records", {**base, "area_id": 999999}), 404)
