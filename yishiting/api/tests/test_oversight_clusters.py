"""/api/v1/oversight/clusters: the list, one cluster (reporters masked, spread, trend) and raising it as one 类案
topic — for street and district officials in their subtree; others get 403, another street's area 404."""

from __future__ import annotations

import pytest

from yishiting.demands.models import Demand
from yishiting.oversight.tests.clusters_world import LIFT, add_community, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def lifts(world):
    add_community(world)
    return [report(world, LIFT[0], "C1", reporter="resident"), report(world, LIFT[1], "C2", reporter="resident2"),
            report(world, LIFT[2], "C4")]


def test_list_detail_and_raise(world, api_as, lifts):
    api = api_as("street_official")
    listed = api.get("/oversight/clusters")
    assert listed.status_code == 200, listed.content
    body = listed.json()
    assert body["area_id"] == world.areas["S1"].pk and body["min_communities"] == 3 and body["threshold"] == 0.5
    [item] = body["items"]
    assert item["count"] == 3 and item["communities"] == 3 and item["streets"] == 1 and item["raised_topic_id"] is None
    detail = api.get(f"/oversight/clusters/{item['id']}").json()
    assert sorted(m["reporter"] for m in detail["members"]) == ["匿名", "张*", "李*"]
    assert {s["area"] for s in detail["by_community"]} == {"幸福苑社区", "和平里社区", "阳光社区"}
    assert sum(t["count"] for t in detail["trend"]) == 3
    raised = api.post(f"/oversight/clusters/{item['id']}/raise", {"title": "全街道电梯故障类案"})
    assert raised.status_code == 201, raised.content
    out = raised.json()
    assert out["topic_title"] == "全街道电梯故障类案" and out["level_area"] == "东风街道"
    assert sorted(out["merged"]) == sorted(d.number for d in lifts) and out["linked"] == []
    assert set(Demand.objects.values_list("topic_id", flat=True)) == {out["topic_id"]}
    again = api.post(f"/oversight/clusters/{item['id']}/raise", {})
    assert again.status_code == 409 and again.json()["code"] == "already_raised"
    assert api.get("/oversight/clusters").json()["items"][0]["raised_topic_id"] == out["topic_id"]


@pytest.mark.parametrize(("persona", "status"), [
    ("resident", 403), ("grid_worker", 403), ("community_staff", 403), ("community_secretary", 403),
    ("handler", 403), ("street_official", 200), ("district_official", 200),
])
def test_who_may_list(world, api_as, persona, status):
    assert api_as(persona).get("/oversight/clusters").status_code == status


def test_another_streets_area_is_not_found_and_bad_input_is_refused(world, api_as, lifts):
    api = api_as("street_official")
    assert api.get("/oversight/clusters", area=world.areas["S2"].pk).status_code == 404
    bad = api.get("/oversight/clusters", start="2026-06-01", end="2026-01-01")
    assert bad.status_code == 400 and bad.json()["message"] == "结束日期不能早于开始日期。"
    assert api.get("/oversight/clusters/nonsense").status_code == 404
    assert api.post("/oversight/clusters/nonsense/raise", {"nmae": "x"}).status_code == 422
    assert api_as(None).get("/oversight/clusters").status_code == 401
