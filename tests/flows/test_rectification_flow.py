"""整改清单 through the pages, as people use it: the street official issues a list to the street's agency; a
handler of the agency acknowledges, reports progress with a photo and submits; the official returns it; the
other handler submits again; the official accepts. The agency's rating page then shows the item accepted on
time, the printable list and its XLSX download; the same item's state through the JSON API."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from yishiting.accounts.services import token_create
from yishiting.handling.tests.tasks_world import photo
from yishiting.oversight.models import RectificationItem, RectificationList
from yishiting.oversight.tests.world import build

from .http import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"



def act(client: Client, item: RectificationItem, action: str, data: dict | None = None) -> str:
    page = client.post(f"/oversight/rectifications/items/{item.pk}/{action}/", data or {}, follow=True)
    assert page.status_code == 200, page.status_code
    return page.content.decode()


def test_issue_acknowledge_report_submit_return_resubmit_accept_and_the_rating_shows_it(world):
    w = build(world)
    official, handler, handler2 = (signed_in(w, n) for n in ("street_official", "handler", "handler2"))
    page = official.post("/oversight/rectifications/new/", {
        "title": "背街小巷环境整治整改清单", "target": f"org:{w.organizations['agency'].pk}", "basis": "11月督查发现",
        "item_1_description": "东风路12号门前乱堆乱放", "item_1_days": "5"})
    assert page.status_code == 302, page.content.decode()[:3000]
    rect = RectificationList.objects.get()
    item = rect.items.get()
    assert "东风路12号门前乱堆乱放" in handler.get("/oversight/rectifications/").content.decode()  # 待本单位整改
    assert "已签收" in act(handler, item, "acknowledge")
    upload = io.BytesIO(photo())
    upload.name = "现场.jpg"
    assert "整改进展已报告" in act(handler, item, "report", {"text": "已清理一半", "photos": [upload]})
    assert "已提交销号" in act(handler, item, "submit", {"text": "已全部清理"})
    wrong = act(handler2, item, "submit", {"text": "再交一次"})
    assert "当前状态“待验收”不能变为“待验收”。" in wrong
    assert "已退回" in act(official, item, "return", {"note": "东侧墙角仍有杂物"})
    assert "东侧墙角仍有杂物" in handler2.get(f"/oversight/rectifications/{rect.pk}/").content.decode()
    act(handler2, item, "submit", {"text": "东侧墙角已清理"})
    assert "已验收销号" in act(official, item, "accept", {"note": "合格"})
    item.refresh_from_db()
    assert (item.status, item.returns) == ("accepted", 1)
    rating = official.get(f"/oversight/ratings/{w.organizations['agency'].pk}/").content.decode()
    assert "按期销号 1 项，逾期 0 项" in rating and "综合得分 100.0 分，等次 A" in rating
    pdf = official.get(f"/oversight/rectifications/{rect.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(official.get(f"/oversight/rectifications/{rect.pk}.xlsx").content)).active
    assert [c.value for c in sheet[2]][1:3] == ["东风路12号门前乱堆乱放", "东风街道城管执法队"]
    assert signed_in(w, "resident").get(f"/oversight/rectifications/{rect.pk}/").status_code == 403
    assert signed_in(w, "community_staff").get(f"/oversight/rectifications/{rect.pk}/").status_code == 404


def test_the_same_flow_through_the_api(world):
    w = build(world)

    def api(persona: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=w.users[persona], name='测试')[1]}"}

    client, official, handler = Client(), api("street_official"), api("handler")
    made = client.post("/api/v1/oversight/rectifications", content_type="application/json", **official, data={
        "title": "整改清单", "target_organization_id": w.organizations["agency"].pk,
        "items": [{"description": "清理杂物", "deadline_days": 3}]})
    assert made.status_code == 201, made.content
    item_id = made.json()["items"][0]["id"]
    assert client.get(f"/api/v1/oversight/rectifications/{made.json()['id']}", **handler).json()["items"][0]["actions"] == ["acknowledge"]
    refused = client.post(f"/api/v1/oversight/rectifications/items/{item_id}/submit", {"text": "好了"}, **handler)
    assert refused.status_code == 409 and refused.json()["message"] == "当前状态“待签收”不能变为“待验收”。"
    assert client.post(f"/api/v1/oversight/rectifications/items/{item_id}/acknowledge", **handler).status_code == 200
    done = client.post(f"/api/v1/oversight/rectifications/items/{item_id}/submit", {"text": "好了"}, **handler)
    assert done.json()["status"] == "submitted"
    back = client.post(f"/api/v1/oversight/rectifications/items/{item_id}/return", content_type="application/json",
                       data={"note": "不合格"}, **official)
    assert back.json()["status"] == "returned" and back.json()["returns"] == 1
    client.post(f"/api/v1/oversight/rectifications/items/{item_id}/submit", {"text": "再次完成"}, **handler)
    ok = client.post(f"/api/v1/oversight/rectifications/items/{item_id}/accept", content_type="application/json",
                     data={"note": ""}, **official)
    assert ok.json()["status"] == "accepted"
    rating = client.get(f"/api/v1/oversight/unit-ratings/{w.organizations['agency'].pk}", **official).json()
    part = next(p for p in rating["parts"] if p["part"] == "rectification")
    assert part["score"] == "100.0" and part["figures"]["on_time"] == 1 and rating["grade"] == "A"
    hidden = client.get(f"/api/v1/oversight/unit-ratings/{w.organizations['agency'].pk}", **api("community_staff"))
    assert hidden.status_code == 404
    assert re.fullmatch(r"ZG\d{4}-\d{5}", made.json()["number"])
