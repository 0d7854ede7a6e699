"""志愿服务 through the pages, as people use it (seeds 003/004: 七彩志愿服务队, the served person's rating earns
recognition): the community's staff publish an activity for the team; a resident joins the team, signs up,
scans the organiser's QR code (opens its URL) and checks in; the team leader checks them out with the hours and
a rating; the resident downloads the 志愿服务证明 listing those hours, and the event log holds exactly one
`volunteers.hours_confirmed` with the contract's payload (docs/volunteers.md) for the ledgers to credit."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.areas.models import RoleAssignment
from yishiting.common.events import Event
from yishiting.volunteers.models import Activity, Attendance
from yishiting.volunteers.tests.conftest import add_resident

from .http import follow, signed_in

pytestmark = pytest.mark.django_db




def test_a_resident_volunteers_and_the_hours_are_confirmed_once(world, tmp_path):
    from yishiting.volunteers import services as vol

    staff = world.users["community_staff"]
    add_resident(world, "leader", "李队长", "13900000001")
    team = vol.team_create(actor=staff, area=world.areas["C1"], name="七彩志愿服务队")  # the admin's form
    vol.team_join(actor=staff, team=team, person=world.people["leader"], leader=True)
    resident, leader = signed_in(world, "resident"), signed_in(world, "leader")

    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    page = leader.post("/volunteers/new/", {
        "title": "幸福苑楼道清理", "team": team.pk, "place": "幸福苑3栋", "capacity": "10",
        "starts_at": (now - timedelta(minutes=20)).strftime(fmt), "ends_at": (now + timedelta(hours=2)).strftime(fmt)})
    assert page.status_code == 302, page.content.decode()[:3000]
    activity = Activity.objects.get(title="幸福苑楼道清理")

    assert "已加入服务队" in follow(resident, f"/volunteers/teams/{team.pk}/join/")
    assert RoleAssignment.objects.filter(person=world.people["resident"], role="volunteer", is_active=True).exists()
    assert "报名成功" in follow(resident, f"/volunteers/{activity.pk}/sign_up/")

    screen = leader.get(f"/volunteers/{activity.pk}/checkin/").content.decode()
    scan_url = re.search(r'href="http://testserver(/volunteers/\d+/scan/[0-9a-f]+/)"', screen).group(1)
    assert "签到" in resident.get(scan_url).content.decode()
    assert "签到成功" in follow(resident, scan_url)
    attendance = Attendance.objects.get(activity=activity, person=world.people["resident"])

    done = follow(leader, f"/volunteers/attendances/{attendance.pk}/check_out/",
                  {"rating": "5", "hours": "2.5", "reason": "提前到场布置"})
    assert "已签退，确认服务时长 2.5 小时" in done
    again = follow(leader, f"/volunteers/attendances/{attendance.pk}/check_out/", {"rating": "4"})  # a second tap
    assert "已被他人处理" in again

    mine = resident.get("/volunteers/mine/").content.decode()
    assert "幸福苑楼道清理" in mine and "2.5" in mine
    pdf = resident.get("/volunteers/mine/certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "志愿服务证明" in text and "张三" in text and "幸福苑社区" in text
    assert "幸福苑楼道清理" in text and "2.5" in text and "七彩志愿服务队" in text

    [event] = Event.objects.filter(kind="volunteers.hours_confirmed")
    assert event.subject_id == str(attendance.pk)
    assert event.payload["area"] == world.areas["C1"].pk
    assert event.payload["earners"] == [{"person": world.people["resident"].pk, "hours": "2.5", "rating": 5}]
