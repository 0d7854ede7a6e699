"""The grid pages as people use them: the worker records a patrol on the phone form with a photo and makes its
finding a demand in one tap; staff assign 包联 with the pickers and see who is not visited; the resident sees who
serves their building (亮身份); nobody sees another community's records."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.flows.http import follow, signed_in
from yishiting.grid import services as grid
from yishiting.grid.choices import RecordKind
from yishiting.grid.models import Assignment, FieldRecord

from .conftest import png

pytestmark = pytest.mark.django_db


def test_patrol_from_the_phone_form_to_a_demand(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker = signed_in(world, "grid_worker")
    home = worker.get("/grid/").content.decode()
    assert "记录巡查" in home and "还没有给您安排包联" in home
    form = worker.get("/grid/records/new/?kind=patrol")
    assert form.status_code == 200 and "幸福苑3栋" in form.content.decode()
    empty = worker.post("/grid/records/new/?kind=patrol", {"place": world.areas["B1"].pk,
                                                          "occurred_at": "2020-01-01T09:00"})
    assert empty.status_code == 400 and "请填写情况记录" in empty.content.decode()
    page = worker.post("/grid/records/new/?kind=patrol", {
        "place": world.areas["B1"].pk, "occurred_at": "2026-01-05T09:30", "position": "3栋东侧",
        "summary": "巡查3栋楼道", "findings": "消防通道堆放杂物\n\n路灯不亮",
        "photos": SimpleUploadedFile("a.png", png(), content_type="image/png")})
    assert page.status_code == 302, page.content.decode()[:1500]
    record = FieldRecord.objects.get()
    body = worker.get(page["Location"]).content.decode()
    assert "消防通道堆放杂物" in body and "路灯不亮" in body and body.count("转为诉求") >= 2
    photo = record.photos.get()
    assert worker.get(f"/grid/records/{record.pk}/photos/{photo.pk}/thumb/").status_code == 200
    finding = record.findings.first()
    body = follow(worker, f"/grid/findings/{finding.pk}/report/")
    number = re.search(r"已转为诉求 (\d{4}-\d{6})", body).group(1)
    assert number in body
    demand_page = worker.get(f"/demands/{finding.__class__.objects.get(pk=finding.pk).demand_id}/").content.decode()
    assert "网格巡查" in demand_page and f"/grid/records/{record.pk}/" in demand_page  # linked both ways


def test_other_community_sees_no_record(world):
    record = grid.record_create(actor=world.users["grid_worker"], entry=grid.RecordEntry(
        kind=RecordKind.PATROL, place=world.areas["B1"], summary="巡查"))
    assert signed_in(world, "resident2").get(f"/grid/records/{record.pk}/").status_code == 404
    assert signed_in(world, "resident").get("/grid/").status_code == 403
    assert signed_in(world, "community_staff").get(f"/grid/records/{record.pk}/").status_code == 200
    assert signed_in(world, "street_official").get("/grid/records/").status_code == 200


def test_staff_assign_with_pickers_and_see_unvisited(chain):
    w = chain
    staff = signed_in(w, "community_staff")
    estate = w.areas["G1"].pk
    page = staff.get(f"/grid/assignments/?estate={estate}").content.decode()
    assert "安排包联" in page and "<select" not in page.split("包联住户")[1].split("</div>")[0]
    found = staff.get(f"/pick/grid_keeper/?name=keeper&estate={estate}&keeper_q=党员").content.decode()
    assert "尾号0001" in found  # the party member (党员甲, mobile …0001) is offered
    assert staff.get(f"/pick/grid_household/?name=household&estate={estate}&household_q=101").status_code == 200
    bad = staff.post(f"/grid/assignments/new/?estate={estate}", {"keeper": w.people["party"].pk})
    assert bad.status_code == 400 and "二选一" in bad.content.decode()
    body = follow(staff, f"/grid/assignments/new/?estate={estate}", {"keeper": w.people["party"].pk,
                                                                     "household": w.households["H1"].pk})
    assert "已安排包联" in body and "本月未走访" in body
    assert Assignment.objects.filter(keeper=w.people["party"]).count() == 1
    party_home = signed_in(w, "party").get("/grid/").content.decode()
    assert "去走访" in party_home and "本月还有 1 户（栋）未走访" in party_home
    other = staff.get(f"/grid/assignments/?estate={w.areas['G2'].pk}")
    assert other.status_code == 404


def test_resident_sees_who_serves_the_building(chain):
    page = signed_in(chain, "resident").get("/grid/mine/").content.decode()
    assert "网格员" in page and "赵网格" in page
    assert "楼**" in page and "楼长丁" not in page and "已挂牌（2026-03-01）" in page
    assert "我的网格" in page
    assert "还没有登记住户" in signed_in(chain, "street_official").get("/grid/mine/").content.decode()


def test_coverage_page_says_what_solved_in_grid_means(world):
    page = signed_in(world, "street_official").get("/grid/coverage/?month=2026-13").content.decode()
    assert "小事不出网格" in page and "幸福苑小区" in page and "和平里小区" in page and "湖滨花园" not in page
