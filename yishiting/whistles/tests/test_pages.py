"""The whistle pages as people meet them: the blow form refuses what is missing in Chinese (400, never 500), a
demand number the blower cannot see is not found, the list filters and pages, a unit's people find what to
answer, others get 404, and the unit picker offers only units of the district."""

from __future__ import annotations

import pytest

from tests.flows.http import follow, signed_in
from yishiting.whistles.models import Whistle

from .conftest import blow

pytestmark = pytest.mark.django_db


def test_the_blow_form_says_what_is_missing(units):
    grid = signed_in(units, "grid_worker")
    empty = grid.post("/whistles/new/", {"days": "3"})
    text = empty.content.decode()
    assert empty.status_code == 400 and "请写明需要协调解决的问题" in text and "请至少选择一个应哨单位" in text
    nowhere = grid.post("/whistles/new/", {"text": "井盖缺失", "days": "3", "unit_1": units.organizations["agency"].pk})
    assert nowhere.status_code == 400 and "请填写诉求编号，或选择发生地" in nowhere.content.decode()
    unknown = grid.post("/whistles/new/", {"text": "井盖缺失", "days": "3", "demand": "SQ-NOPE",
                                           "unit_1": units.organizations["agency"].pk})
    assert unknown.status_code == 400 and "找不到该诉求" in unknown.content.decode()
    bad_days = grid.post("/whistles/new/", {"text": "井盖缺失", "days": "99", "area": units.areas["G1"].pk,
                                            "unit_1": units.organizations["agency"].pk})
    assert bad_days.status_code == 400
    assert not Whistle.objects.exists()


def test_a_resident_cannot_blow_or_see(units):
    w = blow(units)
    resident = signed_in(units, "resident")
    assert resident.get("/whistles/new/").status_code == 403
    assert resident.get(f"/whistles/{w.pk}/").status_code == 404


def test_the_list_filters_and_the_unit_finds_what_to_answer(units):
    first = blow(units, text="路灯不亮需维修")
    second = blow(units, "community_staff", keys=("police",), text="夜间噪音扰民")
    staff = signed_in(units, "community_staff")
    page = staff.get("/whistles/").content.decode()
    assert first.number in page and second.number in page
    found = staff.get("/whistles/?q=路灯").content.decode()
    assert first.number in found and second.number not in found
    mine = staff.get("/whistles/?mine=on").content.decode()
    assert second.number in mine and first.number not in mine
    rep = signed_in(units, "property_rep")
    todo = rep.get("/whistles/answer/").content.decode()
    assert first.number in todo and second.number not in todo
    assert rep.get(f"/whistles/{second.pk}/").status_code == 404
    body = follow(rep, f"/whistles/responses/{first.responses.get(organization=units.organizations['property']).pk}/respond/",
                  {"note": "已安排电工维修"})
    assert "已安排电工维修" in body
    assert staff.get("/whistles/?status=nonsense").status_code == 200


def test_the_unit_picker_offers_the_districts_units(units):
    grid = signed_in(units, "grid_worker")
    found = grid.get("/pick/whistle_unit/?name=unit_1&unit_1_q=物业").content.decode()
    assert "幸福苑物业服务有限公司" in found
    assert signed_in(units, "resident").get("/pick/whistle_unit/?name=unit_1&unit_1_q=物业").status_code == 403
