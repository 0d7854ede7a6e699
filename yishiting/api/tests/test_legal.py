"""/api/v1/legal: the 云律团 through the API (ask, claim once, answer, rate), the pool for pickers, the coverage."""

from __future__ import annotations

import pytest

from yishiting.legal.tests.conftest import build_pool

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_ask_claim_answer_rate_through_the_api(world, api_as):
    pool = build_pool(world)
    resident, lawyer, lawyer2 = api_as("resident"), api_as("lawyer"), api_as("lawyer2")
    asked = resident.post("/legal/consultations", {"field": "law", "text": "物业擅自涨价，我可以拒交吗？电话13800000001"})
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert body["status"] == "open" and body["asker"] == "我" and body["actions"] == []
    pk = body["id"]
    seen = lawyer.get(f"/legal/consultations/{pk}").json()
    assert seen["asker"] == "居民 张*（幸福苑社区）" and "138****0001" in seen["messages"][0]["text"]
    assert seen["actions"] == ["claim"]
    assert lawyer.post(f"/legal/consultations/{pk}/claim").json()["status"] == "claimed"
    assert_error(lawyer2.post(f"/legal/consultations/{pk}/claim"), 409, "already_claimed")
    answered = lawyer.post(f"/legal/consultations/{pk}/answer", {"text": "涨价须经业主共同决定，可先协商。"}).json()
    assert answered["status"] == "answered"
    assert resident.get(f"/legal/consultations/{pk}").json()["actions"] == ["follow_up", "rate", "refer"]
    assert_error(resident.post(f"/legal/consultations/{pk}/rate", {"stars": 6}), 422)
    assert resident.post(f"/legal/consultations/{pk}/rate", {"stars": 4}).json()["rating"] == 4
    record = api_as("street_official").get(f"/legal/experts/{pool.lawyer.pk}").json()
    assert record["answered"] == 1 and record["rating"] == 4.0
    assert_error(api_as("resident").get(f"/legal/experts/{pool.lawyer.pk}"), 403)


def test_the_pool_for_a_matter_lists_its_own_community_first(world, api_as):
    pool = build_pool(world)
    found = api_as("community_secretary").get("/legal/experts", field="law", area=world.areas["G1"].pk).json()
    assert [e["id"] for e in found["items"]] == [pool.adviser.pk, pool.lawyer.pk, pool.lawyer2.pk]
    assert found["items"][0]["name"] == "顾**"
    builders = api_as("community_secretary").get("/legal/experts", field="construction").json()
    assert [e["id"] for e in builders["items"]] == [pool.builder.pk]


def test_coverage_lists_communities_without_an_adviser_first(world, api_as):
    build_pool(world)
    rows = api_as("street_official").get("/legal/coverage").json()
    assert [(r["community"].split("/")[-1], r["state"]) for r in rows] == [("和平里社区", "missing"), ("幸福苑社区", "covered")]
    assert_error(api_as("resident").get("/legal/coverage"), 403)


def test_the_openapi_lists_the_legal_endpoints(world, api_as):
    paths = api_as("resident").get("/openapi.json").json()["paths"]
    assert {"/api/v1/legal/consultations", "/api/v1/legal/consultations/{consultation_id}/claim",
            "/api/v1/legal/experts", "/api/v1/legal/coverage"} <= set(paths)
