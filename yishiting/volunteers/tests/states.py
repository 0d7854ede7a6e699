"""Volunteering in every state, for the crawl (web/tests/crawl_data.py): a team with a leader and a member, an
activity open with places, one full with a waiting list, one with a volunteer checked in and one checked out,
one ended, one called off, a home visit whose volunteer waits for the served person's rating; a post claimed with a shift waiting and one confirmed, a released claim."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.common.testing import World
from yishiting.volunteers import services as vol

from .conftest import add_resident


def build_states(world: World) -> dict:
    a, staff = world.areas, world.users["community_staff"]
    if "leader" not in world.users:
        add_resident(world, "leader", "李队长", "13900000001")
    team = vol.team_create(actor=staff, area=a["C1"], name="七彩志愿服务队", description="退休党员认领公益服务岗")
    vol.team_join(actor=staff, team=team, person=world.people["leader"], leader=True)
    vol.team_join(actor=world.users["resident"], team=team)
    vol.team_create(actor=world.users["street_official"], area=a["S1"], name="东风街道助老服务队")
    now = timezone.now()

    def activity(title: str, capacity: int = 5, start: timedelta = timedelta(minutes=-30)):
        return vol.activity_create(actor=staff, team=team, area=a["C1"], title=title, place="幸福苑3栋",
                                   starts_at=now + start, ends_at=now + start + timedelta(hours=2), capacity=capacity)

    open_one = activity("周末楼道清理", start=timedelta(days=2))
    full = activity("敬老院探访", capacity=1, start=timedelta(days=3))
    vol.activity_sign_up(actor=world.users["leader"], activity=full)
    waiting = vol.activity_sign_up(actor=world.users["resident"], activity=full)
    running = activity("垃圾分类宣传")
    token = vol.checkin_token(running)
    checked_in = vol.activity_check_in_by_code(actor=world.users["resident"], activity=running, token=token)
    vol.activity_sign_up(actor=world.users["leader"], activity=running)
    done = activity("小区义诊协助")
    out = vol.activity_check_in_by_code(actor=world.users["leader"], activity=done, token=vol.checkin_token(done))
    vol.attendance_check_in(actor=staff, attendance=vol.activity_sign_up(actor=world.users["resident"], activity=done))
    out = vol.attendance_check_out(actor=staff, attendance=out, rating=5, hours="2", reason="提前到场布置")
    ended = activity("清理小广告", start=timedelta(hours=-1))
    vol.activity_sign_up(actor=world.users["resident"], activity=ended)
    vol.activity_finish(actor=staff, activity=ended)
    vol.activity_cancel(actor=staff, activity=activity("雨天取消的活动", start=timedelta(days=5)))
    visit = vol.activity_create(actor=staff, area=a["C1"], title="上门陪伴独居老人", place="幸福苑5栋", capacity=2,
                                starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2),
                                served=world.people["leader"])
    unrated = vol.activity_check_in_by_code(actor=world.users["resident"], activity=visit,
                                            token=vol.checkin_token(visit))
    unrated = vol.attendance_check_out(actor=staff, attendance=unrated, rating=None, hours="1.5", reason="约定时长")

    post = vol.post_create(actor=staff, area=a["C1"], name="楼道清洁岗", capacity=2, team=team,
                           description="每周清扫3栋楼道")
    vol.post_create(actor=staff, area=a["C1"], name="助老岗", capacity=1)
    today = timezone.localdate()
    claim = vol.post_claim(actor=world.users["resident"], post=post, starts_on=today, ends_on=today + timedelta(30))
    logged = vol.shift_log(actor=world.users["resident"], claim=claim, day=today, hours="1.5", note="清扫楼道")
    confirmed = vol.shift_confirm(actor=staff, shift=vol.shift_log(actor=world.users["resident"], claim=claim,
                                                                    day=today, hours="1"), rating=4)
    released = vol.post_claim(actor=world.users["leader"], post=post, starts_on=today, ends_on=today + timedelta(7))
    vol.claim_release(actor=world.users["leader"], claim=released)
    return {"team": team, "open": open_one, "full": full, "waiting": waiting, "running": running,
            "checked_in": checked_in, "out": out, "post": post, "claim": claim, "logged": logged,
            "confirmed": confirmed, "visit": visit, "unrated": unrated}
