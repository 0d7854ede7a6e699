"""干部成长档案 through HTTP: the street office opens 赵网格's archive, runs a programme with a course, ticks the
attendance (credits fill the archive), names the month's 优秀学员; the mentor writes a note; the cadre, after
training, publishes a pledge on the phone page, updates its progress and completes it; the public page shows it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from .http import follow, signed_in


@pytest.mark.django_db
def test_a_cadres_archive_is_filled_by_training_and_a_pledge_is_published_updated_and_completed(world):
    today = timezone.localdate()
    office, cadre = signed_in(world, "street_official"), signed_in(world, "grid_worker")
    page = follow(office, "/cadres/archives/new/", {
        "person": world.people["grid_worker"].pk, "kind": "grid_worker", "area": world.areas["G1"].pk,
        "post": "专职网格员"})
    assert "成长档案已建立" in page
    archive_url = re.search(r'href="(/cadres/archives/\d+/)pdf/"', page).group(1)

    page = follow(office, "/cadres/programmes/new/", {
        "name": "东风街道年轻干部培训班", "area": world.areas["S1"].pk, "starts_on": today.replace(day=1).isoformat(),
        "ends_on": (today + timedelta(days=200)).isoformat(), "bottom_count": "1"})
    programme_url = re.search(r'action="(/cadres/programmes/\d+/)enrol/"', page).group(1)
    cadre_pk = re.search(r'/cadres/archives/(\d+)/', archive_url).group(1)
    page = follow(office, programme_url + "enrol/", {"person": world.people["grid_worker"].pk})  # found by name
    assert "学员已加入培训班" in page
    page = follow(office, programme_url + "activities/", {
        "kind": "course", "title": "基层治理理论", "held_on": today.isoformat(),
        "credits": "2.5"})
    assert "课程活动已添加" in page
    activity_url = re.search(r'<form method="post" action="(/cadres/activities/\d+/)"', page)
    activity_url = activity_url.group(1) if activity_url else re.search(r"(/cadres/activities/\d+/)", page).group(1)
    page = follow(office, activity_url, {"cadre": cadre_pk})
    assert "已登记 1 人出勤" in page

    ranking = office.get(programme_url + "ranking/").content.decode()
    assert "赵网格" in ranking and "2.5" in ranking
    page = follow(office, programme_url + "honours/", {"cadre": cadre_pk, "month": today.strftime("%Y-%m")})
    assert "已评为本月优秀学员" in page

    own = cadre.get(archive_url).content.decode()
    assert "东风街道年轻干部培训班" in own and "学分 2.5" in own and "优秀学员" in own
    assert cadre.get("/cadres/").url == archive_url  # the cadre's menu opens their own archive

    page = follow(cadre, "/cadres/pledges/", {"what": "建立网格微信群", "measure": "覆盖全部住户",
                                              "due_on": (today + timedelta(days=30)).isoformat()})
    assert "践诺事项已公布" in page
    pledge_url = re.search(r'action="(/cadres/pledges/\d+/)progress/"', page).group(1)
    page = follow(cadre, pledge_url + "progress/", {"progress": "60", "note": "已覆盖五栋楼"})
    assert "进展已公布" in page and "已覆盖五栋楼" in page
    public = Client().get(f"/cadres/public/{world.areas['S1'].pk}/").content.decode()
    assert "建立网格微信群" in public and 'value="60"' in public and "赵网格" in public
    page = follow(cadre, pledge_url + "complete/", {"result": "全部住户已入群"})
    assert "践诺事项已兑现" in page and "全部住户已入群" in page

    pdf = office.get(archive_url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
