"""/api/v1/oversight/unit-ratings: who sees which units, the annual evaluation through the API (bad input a clear
Chinese error, nothing written; a unit the evaluator does not evaluate refused)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.accounts.services import token_create
from yishiting.oversight.models import AnnualEvaluation

from .world import build

YEAR = timezone.localdate().year


@pytest.fixture
def w(world):
    return build(world)


def _as(w, persona: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=w.users[persona], name='测试')[1]}"}


def test_the_unit_list_follows_who_commissions_them(w):
    client = Client()
    names = {u["name"] for u in client.get("/api/v1/oversight/unit-ratings", **_as(w, "community_secretary")).json()["items"]}
    assert names == {"幸福苑物业服务有限公司", "幸福区税务局（双报到）"}
    assert client.get("/api/v1/oversight/unit-ratings", **_as(w, "resident")).status_code == 403


def test_annual_evaluation_through_the_api(w):
    client, secretary = Client(), _as(w, "community_secretary")
    body = {"evaluator_area_id": w.areas["C1"].pk, "organization_id": w.organizations["property"].pk, "year": YEAR,
            "score": 101, "comment": ""}
    bad = client.post("/api/v1/oversight/unit-ratings/evaluations", body, content_type="application/json", **secretary)
    assert bad.status_code == 400 and bad.json()["message"] == "得分须是 0 到 100 之间的整数。"
    assert not AnnualEvaluation.objects.exists()
    ok = client.post("/api/v1/oversight/unit-ratings/evaluations", {**body, "score": 86}, content_type="application/json",
                     **secretary)
    assert ok.status_code == 200 and ok.json()["score"] == 86
    other = client.post("/api/v1/oversight/unit-ratings/evaluations",
                        {**body, "organization_id": w.organizations["agency"].pk, "score": 80},
                        content_type="application/json", **secretary)
    assert other.status_code == 400 and other.json()["code"] == "not_evaluable"
    detail = client.get(f"/api/v1/oversight/unit-ratings/{w.organizations['property'].pk}", **secretary).json()
    assert detail["score"] == "86.0" and detail["grade"] == "B"
    handler = client.post("/api/v1/oversight/unit-ratings/evaluations", body, content_type="application/json",
                          **_as(w, "handler"))
    assert handler.status_code == 403
