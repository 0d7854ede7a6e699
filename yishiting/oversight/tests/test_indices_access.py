"""Who sees which index, on the pages and through the API: resident (none), party member (only their own),
community secretary (the community's organisations and members; its committee's rank but no other community),
street and district officials (their subtree, rankings, XLSX)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from yishiting.accounts.services import token_create
from yishiting.api.tests.conftest import ApiClient
from yishiting.oversight.indices.services import indices_compute
from yishiting.oversight.models import IndexKind, IndexSnapshot

from .party_world import party_world


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def computed(world):
    party = party_world(world)
    indices_compute(period="month", on=timezone.localdate())
    snap = lambda **kw: IndexSnapshot.objects.get(period="month", **kw)  # noqa: E731
    return {"c1": snap(organization=party.c1, person__isnull=True), "c2": snap(organization=party.c2, person__isnull=True),
            "member": snap(person=world.people["member"]), "handler": snap(person=world.people["handler"])}


def _as(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


def test_page_permission_matrix(world, computed):
    c1, c2, member, handler = (computed[k] for k in ("c1", "c2", "member", "handler"))
    detail = lambda s: f"/oversight/indices/{s.pk}/"  # noqa: E731
    expected = {  # ranking, mine, c1, c2, member's, handler's
        "resident": (403, 403, 404, 404, 404, 404),
        "member": (403, 200, 404, 404, 200, 404),
        "community_secretary": (200, 200, 200, 404, 200, 200),
        "street_official": (200, 200, 200, 200, 200, 200),
        "district_official": (200, 200, 200, 200, 200, 200),
    }
    for username, statuses in expected.items():
        client = _as(world, username)
        got = (_status(client, "/oversight/indices/"), _status(client, "/oversight/indices/mine/"),
               *(_status(client, detail(s)) for s in (c1, c2, member, handler)))
        assert got == statuses, username
    assert _status(_as(world, "member"), f"/oversight/indices/{member.pk}/parts/demands_reported/") == 200
    assert _status(_as(world, "member"), f"/oversight/indices/{handler.pk}/parts/tasks_led/") == 404


def test_what_each_official_reads_in_the_ranking(world, computed):
    street = _as(world, "street_official").get("/oversight/indices/").content.decode()
    assert "中共幸福苑社区委员会" in street and "中共和平里社区委员会" in street and "52.67" in street
    secretary = _as(world, "community_secretary")
    own = secretary.get("/oversight/indices/", {"area": world.areas["S1"].pk}).content.decode()
    assert "中共幸福苑社区委员会" in own and "1 / 2" in own and "中共和平里社区委员会" not in own
    members = secretary.get("/oversight/indices/", {"kind": IndexKind.PIONEER}).content.decode()
    assert "郑*" in members and "党*" in members and "郑经办" not in members  # members masked
    mine = _as(world, "member").get("/oversight/indices/mine/").content.decode()
    assert "5.00" in mine and "幸福苑小区党支部" in mine
    detail = _as(world, "street_official").get(f"/oversight/indices/{computed['c1'].pk}/").content.decode()
    assert "收集诉求" in detail and "63.33" in detail and "12.67" in detail


def test_ranking_exports_to_xlsx(world, computed):
    response = _as(world, "district_official").get("/oversight/indices.xlsx", {"area": world.areas["S1"].pk})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "对象", "指数")
    assert [r[:3] for r in rows[1:]] == [(1, "中共幸福苑社区委员会", 52.67), (2, "中共和平里社区委员会", 0.0)]
    assert _status(_as(world, "member"), "/oversight/indices.xlsx") == 403


def test_api_follows_the_same_rules(world, computed):
    def api(username):
        return ApiClient(token_create(actor=world.users[username], name="测试")[1])

    assert api("member").get("/oversight/indices").status_code == 403
    mine = api("member").get("/oversight/indices/mine").json()
    assert [(m["value"], m["subject"]) for m in mine] == [("5.00", "党**（幸福苑小区党支部）")]
    assert api("member").get(f"/oversight/indices/{computed['handler'].pk}").status_code == 404
    ranking = api("street_official").get("/oversight/indices", area=world.areas["S1"].pk).json()
    assert [(i["subject"], i["value"], i["rank"]) for i in ranking["items"]] == [
        ("中共幸福苑社区委员会", "52.67", 1), ("中共和平里社区委员会", "0.00", 2)]
    detail = api("community_secretary").get(f"/oversight/indices/{computed['c1'].pk}").json()
    assert {p["key"]: p["points"] for p in detail["parts"]}["satisfaction_rate"] == "12.67"
    records = api("community_secretary").get(f"/oversight/indices/{computed['c1'].pk}/parts/response_rate").json()
    assert [r["counted"] for r in records["items"]] == [True, False]
    assert api("community_secretary").get(f"/oversight/indices/{computed['c2'].pk}").status_code == 404
    assert api("community_secretary").get(f"/oversight/indices/{computed['c1'].pk}/parts/x").status_code == 404


def test_district_sets_weights_in_the_admin_and_the_recompute_follows(world, computed):
    client = _as(world, "admin")
    assert client.get("/admin/oversight/indexscheme/add/").status_code == 200
    response = client.post("/admin/oversight/indexscheme/add/", {
        "district": world.areas["D"].pk, "kind": IndexKind.FORTRESS, "note": "只看协商会议",
        "parts-TOTAL_FORMS": "1", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0", "parts-MAX_NUM_FORMS": "1000",
        "parts-0-measure": "meetings_held", "parts-0-weight": "5", "parts-0-monthly_target": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    indices_compute(period="month", on=timezone.localdate())
    assert IndexSnapshot.objects.get(pk=computed["c1"].pk).value == 100
    assert _status(_as(world, "street_official"), "/admin/oversight/indexscheme/") in (302, 403)
