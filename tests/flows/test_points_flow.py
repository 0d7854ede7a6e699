"""Points and hours through the pages with the real apps (issue 19; seed 003: "volunteer service earning points
from the served person's rating, points exchanged for goods"): the community's staff publish a home visit for an
elderly resident; a volunteer signs up, checks in by the QR code and is checked out with 2 hours — nothing is
credited yet; the elder rates the service 5 stars, which confirms the hours (`volunteers.hours_confirmed`, read by
the ledgers right after its commit): the volunteer's 时间银行 holds 2 hours and their points the rule's level for
5 stars plus the hours. The organiser corrects the hours to 3: one correcting line each, nothing edited. The
volunteer redeems a bag of rice in the 积分超市 and the staff hand it over by the pickup code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.ledgers.choices import EarningKind
from yishiting.ledgers.models import HourEntry, Item, PointEntry, PointRule
from yishiting.volunteers.models import Activity, Attendance
from yishiting.volunteers.tests.conftest import add_resident

from .http import follow, signed_in

pytestmark = pytest.mark.django_db


def _points(client) -> str:
    return re.search(r"<strong>(\d+)</strong>", client.get("/points/").content.decode()).group(1)


def _hours(client) -> str:
    return re.search(r"<strong>([\d.]+)</strong>", client.get("/points/timebank/").content.decode()).group(1)


def _home_visit(world, staff) -> Activity:
    now, fmt = timezone.localtime(), "%Y-%m-%dT%H:%M"
    page = staff.post("/volunteers/new/", {
        "title": "上门陪伴王奶奶", "place": "幸福苑5栋", "capacity": "2", "served": world.people["elder"].pk,
        "starts_at": (now - timedelta(minutes=20)).strftime(fmt), "ends_at": (now + timedelta(hours=2)).strftime(fmt)})
    assert page.status_code == 302, page.content.decode()[:3000]
    return Activity.objects.get(title="上门陪伴王奶奶")


def test_served_person_rates_the_volunteer_hours_and_points_credited_then_spent(
        world, django_capture_on_commit_callbacks):
    PointRule.objects.create(name="志愿服务获好评", kind=EarningKind.HOURS_CONFIRMED, points_per_hour=5,
                             points_by_rating={"5": 15, "4": 10, "3": 5}, min_rating=3, deposits_hours=True)
    Item.objects.create(community=world.areas["C1"], name="大米一袋", price=20, stock=3)
    add_resident(world, "volunteer", "何志愿", "13800000031")
    add_resident(world, "elder", "王奶奶", "13800000032", household="H1")
    staff, volunteer, elder = (signed_in(world, name) for name in ("community_staff", "volunteer", "elder"))

    activity = _home_visit(world, staff)
    assert "王**" in volunteer.get(f"/volunteers/{activity.pk}/").content.decode()  # the served person, masked
    assert "报名成功" in follow(volunteer, f"/volunteers/{activity.pk}/sign_up/")
    screen = staff.get(f"/volunteers/{activity.pk}/checkin/").content.decode()
    scan_url = re.search(r'href="http://testserver(/volunteers/\d+/scan/[0-9a-f]+/)"', screen).group(1)
    assert "签到成功" in follow(volunteer, scan_url)
    attendance = Attendance.objects.get(activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        out = follow(staff, f"/volunteers/attendances/{attendance.pk}/check_out/", {"hours": "2", "reason": "约定两小时"})
    assert "待服务对象评价后确认" in out
    assert _points(volunteer) == "0" and _hours(volunteer) == "0"  # nothing before the served person rates

    waiting = elder.get("/volunteers/").content.decode()
    assert "待您评价的上门服务" in waiting and "上门陪伴王奶奶" in waiting and "何**" in waiting
    with django_capture_on_commit_callbacks(execute=True):
        rated = follow(elder, f"/volunteers/attendances/{attendance.pk}/rate/", {"rating": "5"})
    assert "感谢评价，志愿者的服务时长已确认。" in rated
    assert "已评价过" in follow(elder, f"/volunteers/attendances/{attendance.pk}/rate/", {"rating": "1"})
    assert _points(volunteer) == "25" and _hours(volunteer) == "2.00"  # 15 for 5 stars + 5 × 2 h
    assert "志愿服务时长确认" in volunteer.get("/points/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        follow(staff, f"/volunteers/attendances/{attendance.pk}/adjust/", {"hours": "3", "reason": "实际陪伴三小时"})
    assert _points(volunteer) == "30" and _hours(volunteer) == "3.00"
    assert "服务时长更正：2 → 3 小时" in volunteer.get("/points/timebank/").content.decode()
    assert HourEntry.objects.filter(person=world.people["volunteer"]).count() == 2  # the deposit and its correction
    assert PointEntry.objects.filter(person=world.people["volunteer"]).count() == 2

    item = Item.objects.get(name="大米一袋")
    done = volunteer.post(f"/points/market/{item.pk}/redeem/", follow=True).content.decode()
    code = re.search(r"领取码 (\d{8})", done).group(1)
    assert "剩余 2 件" in done and "我的积分：10 分" in done
    handed = follow(staff, "/points/staff/code/", {"code": code})
    assert "已核销：大米一袋" in handed and "何**" in handed and "何志愿" not in handed
    assert "已领取" in volunteer.get("/points/market/").content.decode()
