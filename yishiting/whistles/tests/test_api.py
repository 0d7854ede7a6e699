"""/api/v1/whistles: blow, answer, close through JSON with the pages' rules; errors in Chinese with codes."""

from __future__ import annotations

import pytest

from tests.flows.http import signed_in

pytestmark = pytest.mark.django_db
API = "/api/v1/whistles"


def _post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def test_blow_answer_and_close_through_the_api(units):
    grid, handler, staff = (signed_in(units, n) for n in ("grid_worker", "handler", "community_staff"))
    made = _post(grid, API, {"text": "楼下下水道堵塞反味，需物业和城管协同", "area": units.areas["G1"].pk,
                             "units": [units.organizations["agency"].pk], "days": 2})
    assert made.status_code == 201, made.content.decode()
    whistle = made.json()
    assert whistle["status"] == "open" and whistle["demand"] and whistle["blower"] == "网格员 赵网格"
    response = whistle["responses"][0]
    assert response["actions"] == []  # the blower does not answer for the unit
    seen = handler.get(f"{API}/{whistle['id']}").json()
    assert seen["responses"][0]["actions"] == ["arrive", "respond"]
    answered = _post(handler, f"{API}/responses/{response['id']}/respond", {"note": "已疏通"}).json()
    assert answered["status"] == "answered" and answered["responses"][0]["status"] == "responded"
    again = _post(handler, f"{API}/responses/{response['id']}/respond", {"note": "再次"})
    assert again.status_code == 409 and again.json()["code"] in ("already_responded", "whistle_closed")
    closed = _post(staff, f"{API}/{whistle['id']}/close", {"summary": "问题已解决"}).json()
    assert closed["status"] == "closed"
    assert grid.get(f"{API}?status=closed").json()["count"] == 1


def test_bad_input_is_refused_in_chinese(units):
    grid = signed_in(units, "grid_worker")
    no_units = _post(grid, API, {"text": "x", "area": units.areas["G1"].pk, "units": []})
    assert no_units.status_code == 422
    foreign = _post(grid, API, {"text": "x", "area": units.areas["G1"].pk, "units": [999999]})
    assert foreign.status_code == 404 and "应哨单位" in foreign.json()["message"]
    nowhere = _post(grid, API, {"text": "x", "units": [units.organizations["agency"].pk]})
    assert nowhere.status_code == 400 and nowhere.json()["code"] == "area_required"
    assert signed_in(units, "resident").get(f"{API}/1").status_code == 404
