"""集 → 定 through HTTP only, as the people involved live it.

A grid worker on a home visit enters the resident's complaint about the broken lift; days later the resident
types it again on their phone, is told "已有相似诉求", submits anyway (the flaky network retries); community staff
merge the duplicate and escalate the matter to the street (replacing a lift needs the street); the street
official makes it a topic; the resident follows it all in their timeline and messages and finds the topic on
the community's public list. Then a civic app files and reads a request through Open311.
"""

from __future__ import annotations

import pytest
import requests
from django.test import Client
from georeport import GeoReport

from yishiting.common.testing import PERSONA_PASSWORD


class Person:
    """Someone using the API from their own device: logs in for a token, then sends JSON."""

    def __init__(self, username: str, base: str = "/api/v1") -> None:
        self.client, self.base = Client(), base
        response = self.client.post(f"{base}/tokens", {"name": "手机", "username": username,
                                                      "password": PERSONA_PASSWORD}, content_type="application/json")
        assert response.status_code == 201, response.content.decode()
        self.headers = {"Authorization": f"Bearer {response.json()['secret']}"}

    def get(self, path: str, **query) -> dict:
        response = self.client.get(self.base + path, query, headers=self.headers)
        assert response.status_code == 200, response.content.decode()
        return response.json()

    def post(self, path: str, body: dict, expect: int = 200, **headers) -> dict:
        response = self.client.post(self.base + path, body, content_type="application/json",
                                    headers={**self.headers, **headers})
        assert response.status_code == expect, response.content.decode()
        return response.json()


def test_a_demand_from_doorstep_to_topic(world):
    worker, resident = Person("grid_worker"), Person("resident")
    staff, street = Person("community_staff"), Person("street_official")
    building, household = world.areas["B1"].pk, world.households["H1"].pk

    # 民情家访: the grid worker types it in on the doorstep, with the resident's consent.
    visit = worker.post("/demands", {
        "text": "3栋电梯经常坏，今天又卡在5楼，老人下不了楼", "area_id": building, "channel": "home_visit",
        "reporter_kind": "on_behalf", "reporter_id": world.people["resident"].pk, "consent_recorded": True,
        "household_id": household}, expect=201)

    # The resident, on their phone, is told before submitting that this is already known.
    text = "三号楼电梯又坏了，卡在五楼不动，我妈腿脚不好下不去"
    hint = resident.get("/demands/suggest", text=text, area=building)
    assert hint["category"]["name"] == "设施维护" and hint["notice"] == "已有相似诉求"
    assert hint["similar"][0]["number"] == visit["number"]
    # They submit anyway; the phone's network drops and the app retries with the same key.
    body = {"text": text, "area_id": building, "urgency": "urgent"}
    mine = resident.post("/demands", body, expect=201, **{"Idempotency-Key": "app-7f3a"})
    again = resident.post("/demands", body, expect=201, **{"Idempotency-Key": "app-7f3a"})
    assert again["id"] == mine["id"]

    # Community staff: the urgent one first; merge the duplicate, escalate the matter to the street.
    inbox = staff.get("/demands/inbox")["items"]
    assert [d["id"] for d in inbox] == [mine["id"], visit["id"]]
    staff.post("/demands/merge", {"primary_id": visit["id"], "duplicate_ids": [mine["id"]], "reason": "同一部电梯"})
    staff.post(f"/demands/{visit['id']}/screen", {"outcome": "escalate",
                                                  "reason": "需更换电梯，动用维修资金，须街道协调"})
    assert staff.get("/demands/inbox")["count"] == 0

    # The street official screens it in turn: a public matter for deliberation.
    assert [d["id"] for d in street.get("/demands/inbox")["items"]] == [visit["id"]]
    topic = street.post(f"/demands/{visit['id']}/screen", {
        "outcome": "topic", "nature": "public", "topic_title": "幸福苑3栋电梯更换", "reason": "全楼住户共同事务",
        "level_area_id": world.areas["C1"].pk, "level_reason": "在社区层面组织业主协商"})
    assert topic["status_label"] == "已转为议题" and topic["level_area"]["name"] == "幸福苑社区"

    # The resident follows both demands: their own (merged) and the one entered for them.
    assert {d["id"] for d in resident.get("/me/demands")["items"]} == {visit["id"], mine["id"]}
    timeline = [entry["text"] for entry in resident.get(f"/demands/{visit['id']}")["timeline"]]
    assert "代居民录入诉求（民情家访，已取得本人同意）" in timeline[0]
    assert "提请东风街道研究处理" in timeline[1] and "需更换电梯" in timeline[1]
    assert "转为议题“幸福苑3栋电梯更换”" in timeline[2]
    merged = resident.get(f"/demands/{mine['id']}")
    assert merged["status_label"] == "已合并" and merged["merged_into"] == visit["number"]
    messages = [n["text"] for n in resident.get("/me/notifications")["items"]]
    assert any("已提请东风街道" in m for m in messages) and any("已转为议题" in m for m in messages)
    assert any("已合并处理" in m for m in messages)

    # And sees the topic on the community's public list.
    topics = resident.get(f"/communities/{world.areas['C1'].pk}/topics")["items"]
    assert [(t["title"], t["status_label"], t["demand_count"]) for t in topics] == [("幸福苑3栋电梯更换", "征求意见", 1)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live_server flushes; keep seeded rows
def test_a_civic_app_files_and_follows_a_request_through_open311(world, live_server):
    app = Person("grid_worker")  # the app's account: a grid worker's token
    secret = app.headers["Authorization"].removeprefix("Bearer ")
    root = f"{live_server.url}/open311/v2"
    codes = {s["service_name"]: s["service_code"] for s in GeoReport(root).get_service_list()}
    filed = requests.post(f"{root}/requests.json", timeout=30, data={
        "api_key": secret, "service_code": codes["环境整治"], "description": "小区东门垃圾桶三天没人清运了",
        "lat": "31.230416", "long": "121.473701", "attribute[area_code]": "G1"})
    assert filed.status_code == 201, filed.text
    request_id = filed.json()[0]["service_request_id"]

    client = GeoReport(root.replace("://", f"://{secret}:@", 1))
    assert client.get_service_request(request_id)["status"] == "open"
    staff = requests.Session()
    staff.headers["Authorization"] = Person("community_staff").headers["Authorization"]
    rule = next(r for r in staff.get(f"{live_server.url}/api/v1/consultation-rules", params={"kind": "exclude"},
                                     timeout=30).json())
    decided = staff.post(f"{live_server.url}/api/v1/demands/{request_id}/screen", timeout=30, json={
        "outcome": "reject", "nature": "individual", "rejection_rule_id": rule["id"], "reason": "已由物业当日清运"})
    assert decided.status_code == 200, decided.text
    after = client.get_service_request(request_id)
    assert (after["status"], after["status_notes"]) == ("closed", "不予受理：已由物业当日清运")
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == [request_id]
