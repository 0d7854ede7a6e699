"""Points and hours through the pages, as people meet them (issue 19): a volunteer serves an elderly resident,
the service is rated 5 stars (the volunteers app's contract event, appended here directly: that app is not on
this branch); right after that commit the volunteer's 时间银行 holds the hours and their points the rule's
credit; they redeem a bag of rice in the 积分超市, get a pickup code, and the community's staff confirm the
handover with it; the volunteer sees 已领取 and the staff see the community's totals."""

from __future__ import annotations

import re

import pytest

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.common.events import event_append
from yishiting.common.testing import make_user
from yishiting.ledgers.choices import EarningKind
from yishiting.ledgers.models import Item, PointRule

from .http import signed_in

pytestmark = pytest.mark.django_db



def test_rated_volunteer_service_to_hours_points_redemption_and_pickup(world, django_capture_on_commit_callbacks):
    PointRule.objects.create(name="志愿服务获好评", kind=EarningKind.HOURS_CONFIRMED, points=10, points_per_hour=5,
                             min_rating=4, deposits_hours=True, daily_cap=50)
    Item.objects.create(community=world.areas["C1"], name="大米一袋", price=15, stock=3)
    volunteer = area_services.person_create(actor=None, name="何志愿", mobile="13800000031",
                                            household=world.households["H2"])
    area_services.role_assign(actor=None, person=volunteer, role=Role.VOLUNTEER, area=world.areas["C1"])
    make_user(world, "volunteer", volunteer)

    with django_capture_on_commit_callbacks(execute=True):  # the volunteers app's check-out, rated by the served
        event_append(subject=("volunteers.attendance", "1"), kind=EarningKind.HOURS_CONFIRMED,
                     payload={"area": world.areas["C1"].pk,
                              "earners": [{"person": volunteer.pk, "hours": "2", "rating": 5}]})

    client = signed_in(world, "volunteer")
    page = client.get("/points/").content.decode()
    assert "<strong>20</strong>" in page and "志愿服务时长确认" in page  # 10 + 5 × 2 h, and what earned it
    assert "<strong>2.00</strong>" in client.get("/points/timebank/").content.decode()

    market = client.get("/points/market/").content.decode()
    assert "大米一袋" in market and "剩余 3 件" in market
    item = Item.objects.get(name="大米一袋")
    done = client.post(f"/points/market/{item.pk}/redeem/", follow=True).content.decode()
    code = re.search(r"领取码 (\d{8})", done).group(1)
    assert "剩余 2 件" in done and "我的积分：5 分" in done

    staff = signed_in(world, "community_staff")
    handed = staff.post("/points/staff/code/", {"code": code}, follow=True).content.decode()
    assert "已核销：大米一袋" in handed and "何**" in handed and "何志愿" not in handed
    assert "已领取" in client.get("/points/market/").content.decode()
    again = staff.post("/points/staff/code/", {"code": code})
    assert again.status_code == 400  # a code hands over once

    totals = staff.get("/points/staff/").content.decode()
    cells = re.sub(r"<td[^>]*>", "<td>", totals)  # the cells carry their column's name for the phone layout
    assert re.search(r"幸福苑社区</td><td>2\.00</td><td>0\.00</td><td>20</td><td>15</td>", cells), totals[-3000:]
