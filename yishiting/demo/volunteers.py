"""志愿服务 in the demo (seeds 003/004): the persona community's 七彩志愿服务队 with a neighbour as its leader and
the resident as a member, the street's 雪都送餐队; a past activity the resident checked into by QR code and was
checked out of with hours and a rating (so 我的志愿服务 and the certificate have a line), one coming up with places
left and one already full with a waiting list; 公益服务岗 the resident claimed, a shift confirmed and one waiting.
Written through the volunteers' services, as the people themselves, at the story's moments."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from yishiting.volunteers import services as vol
from yishiting.volunteers.rules import may_join

from .cast import Cast


def volunteer_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    yield at(45, 10)
    staff, resident = cast.user("community_staff"), cast.user("resident")
    team = vol.team_create(actor=staff, area=cast.community, name="七彩志愿服务队",
                           description="退休党员认领公益服务岗，楼道清洁、助老陪伴、垃圾分类宣传")
    vol.team_create(actor=cast.user("street_official"), area=cast.street, name="雪都送餐队",
                    description="为社区食堂的老年人送餐上门")
    leader = cast.neighbours[0]
    vol.team_join(actor=staff, team=team, person=leader, leader=True)
    yield at(44, 20)
    vol.team_join(actor=resident, team=team)
    post = vol.post_create(actor=staff, area=cast.community, name="楼道清洁岗", capacity=3, team=team,
                           description=f"每周清扫{cast.building.name}楼道、清理小广告")
    vol.post_create(actor=staff, area=cast.community, name="助老岗", capacity=2, team=team,
                    description="陪伴独居老人、代买药品")

    yield at(20, 9)
    today = at(0, 9).date()
    claim = vol.post_claim(actor=resident, post=post, starts_on=at(20, 9).date(), ends_on=today + timedelta(days=40))

    yield at(17, 10)
    past = _activity(staff, team, cast, "周末楼道清理", at(14, 9), capacity=10)
    helpers = [p.user for p in cast.neighbours[1:5] if may_join(p.user, past)]
    yield at(16, 20)
    vol.activity_sign_up(actor=resident, activity=past)
    for user in helpers:
        vol.activity_sign_up(actor=user, activity=past)
    yield at(14, 8, 45)
    token = vol.checkin_token(past)
    mine = vol.activity_check_in_by_code(actor=resident, activity=past, token=token)
    checked = [vol.activity_check_in_by_code(actor=user, activity=past, token=token) for user in helpers[:3]]
    yield at(14, 11, 5)
    vol.attendance_check_out(actor=leader.user, attendance=mine, rating=5)
    for number, attendance in enumerate(checked):
        vol.attendance_check_out(actor=leader.user, attendance=attendance, rating=5 - number % 2)
    vol.activity_finish(actor=leader.user, activity=past)

    yield at(13, 18)
    shift = vol.shift_log(actor=resident, claim=claim, day=at(13, 9).date(), hours="1.5", note="清扫楼道、清理小广告")
    yield at(12, 9)
    vol.shift_confirm(actor=leader.user, shift=shift, rating=5)
    yield at(3, 10)
    coming = _activity(staff, team, cast, "垃圾分类宣传", at(0, 9) + timedelta(days=3), capacity=8)
    full = _activity(staff, team, cast, "敬老院探访", at(0, 14) + timedelta(days=5), capacity=2)
    yield at(2, 18)
    vol.shift_log(actor=resident, claim=claim, day=at(2, 9).date(), hours="1", note="清扫楼道")

    yield at(2, 20)
    vol.activity_sign_up(actor=resident, activity=coming)
    for user in helpers[:3]:
        vol.activity_sign_up(actor=user, activity=full)


def _activity(staff, team, cast: Cast, title: str, starts_at: datetime, capacity: int):
    return vol.activity_create(actor=staff, team=team, area=cast.community, title=title, place=cast.building.name,
                               starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), capacity=capacity,
                               description="请穿便于活动的衣服，工具由社区准备。")
