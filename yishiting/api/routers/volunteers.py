"""/volunteers: activities (sign up, check in with the QR code's code, check out with hours and a rating),
teams (join), 公益服务岗 (claim) and one's own record — the same services, selectors and rules as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.volunteers import (
    ActivityOut,
    CheckInIn,
    CheckOutIn,
    PostClaimIn,
    PostClaimOut,
    PostOut,
    TeamOut,
    VolunteerAttendanceOut,
    VolunteerRecordOut,
)
from yishiting.common.errors import NotFound
from yishiting.common.masking import mask_name
from yishiting.volunteers import selectors
from yishiting.volunteers import services as vol
from yishiting.volunteers.models import Attendance
from yishiting.volunteers.rules import person_of

router = Router(tags=["志愿服务"])


def activity_out(user, a) -> dict:
    mine = selectors.attendance_of(a, person_of(user))
    return {"id": a.pk, "title": a.title, "team": a.team.name if a.team_id else None, "community": a.area.name,
            "place": a.place, "starts_at": a.starts_at, "ends_at": a.ends_at, "capacity": a.capacity,
            "taken": a.taken, "waiting": a.waiting, "full": a.taken >= a.capacity, "status": a.status,
            "my_status": mine.status if mine else None}


def attendance_out(a: Attendance) -> dict:
    return {"id": a.pk, "activity_id": a.activity_id, "person": mask_name(a.person.name), "status": a.status,
            "checked_in_at": a.checked_in_at, "checked_out_at": a.checked_out_at,
            "hours": str(a.hours) if a.hours is not None else None, "rating": a.rating}


def claim_out(c) -> dict:
    return {"id": c.pk, "post_id": c.post_id, "post": c.post.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "status": c.status, "released_on": c.released_on}


@router.get("/activities", response={200: list[ActivityOut], **COMMON_ERRORS}, summary="志愿活动")
def activities(request: HttpRequest, past: bool = False):
    """本社区近期的活动（past=true：往期），最多 100 条。"""
    user = actor(request)
    require(user, "volunteers.view")
    visible = selectors.activities_visible_to(user)
    rows = (selectors.past(visible) if past else selectors.upcoming(visible))[:100]
    return [activity_out(user, a) for a in rows]


@router.get("/activities/{int:activity_id}", response={200: ActivityOut, **COMMON_ERRORS}, summary="志愿活动详情")
def activity(request: HttpRequest, activity_id: int):
    user = actor(request)
    return activity_out(user, visible_or_404(selectors.activities_visible_to(user), activity_id, "找不到该活动。"))


@router.post("/activities/{int:activity_id}/sign-up", response={201: VolunteerAttendanceOut, **WRITE_ERRORS}, summary="报名")
def sign_up(request: HttpRequest, activity_id: int):
    """名额已满时进入候补（status 为 waiting），有人取消时按顺序递补。"""
    user = actor(request)
    a = visible_or_404(selectors.activities_visible_to(user), activity_id, "找不到该活动。")
    return Status(201, attendance_out(vol.activity_sign_up(actor=user, activity=a)))


@router.post("/activities/{int:activity_id}/check-in", response={200: VolunteerAttendanceOut, **WRITE_ERRORS}, summary="扫码签到")
def check_in(request: HttpRequest, activity_id: int, payload: CheckInIn):
    user = actor(request)
    a = visible_or_404(selectors.activities_visible_to(user), activity_id, "找不到该活动。")
    return attendance_out(vol.activity_check_in_by_code(actor=user, activity=a, token=payload.code))


def _attendance(user, attendance_id: int) -> Attendance:
    return visible_or_404(Attendance.objects.select_related("activity", "person").filter(
        activity__in=selectors.activities_visible_to(user)), attendance_id, "找不到该报名。")


@router.get("/activities/{int:activity_id}/attendances", response={200: list[VolunteerAttendanceOut], **COMMON_ERRORS},
            summary="报名名单（组织人）")
def attendances(request: HttpRequest, activity_id: int):
    from yishiting.volunteers.rules import may_organise

    user = actor(request)
    a = visible_or_404(selectors.activities_visible_to(user), activity_id, "找不到该活动。")
    if not may_organise(user, a):
        raise NotFound("找不到该活动。")
    return [attendance_out(r) for r in selectors.attendees(a)[:500]]


@router.post("/attendances/{int:attendance_id}/check-out", response={200: VolunteerAttendanceOut, **WRITE_ERRORS},
             summary="签退并确认时长（组织人）")
def check_out(request: HttpRequest, attendance_id: int, payload: CheckOutIn):
    """确认时长并评价；同一报名只能签退一次（再次签退返回 409）。"""
    user = actor(request)
    done = vol.attendance_check_out(actor=user, attendance=_attendance(user, attendance_id), rating=payload.rating,
                                    hours=payload.hours, reason=payload.reason)
    return attendance_out(done)


@router.post("/attendances/{int:attendance_id}/cancel", response={200: VolunteerAttendanceOut, **WRITE_ERRORS},
             summary="取消报名")
def cancel(request: HttpRequest, attendance_id: int):
    user = actor(request)
    return attendance_out(vol.attendance_cancel(actor=user, attendance=_attendance(user, attendance_id)))


@router.get("/teams", response={200: list[TeamOut], **COMMON_ERRORS}, summary="志愿服务队")
def teams(request: HttpRequest):
    user = actor(request)
    require(user, "volunteers.view")
    return [{"id": t.pk, "name": t.name, "area": t.area.name, "description": t.description, "members": t.member_count}
            for t in selectors.teams_visible_to(user).order_by("path", "name")[:200]]


@router.post("/teams/{int:team_id}/join", response={201: TeamOut, **WRITE_ERRORS}, summary="加入服务队")
def join(request: HttpRequest, team_id: int):
    user = actor(request)
    team = visible_or_404(selectors.teams_visible_to(user), team_id, "找不到该服务队。")
    vol.team_join(actor=user, team=team)
    return Status(201, {"id": team.pk, "name": team.name, "area": team.area.name, "description": team.description,
                        "members": team.member_count + 1})


@router.get("/posts", response={200: list[PostOut], **COMMON_ERRORS}, summary="公益服务岗")
def posts(request: HttpRequest):
    user = actor(request)
    require(user, "volunteers.view")
    return [{"id": p.pk, "name": p.name, "community": p.area.name, "team": p.team.name if p.team_id else None,
             "description": p.description, "capacity": p.capacity, "holders": p.holders}
            for p in selectors.posts_visible_to(user).order_by("path", "name")[:200]]


@router.post("/posts/{int:post_id}/claim", response={201: PostClaimOut, **WRITE_ERRORS}, summary="认领公益服务岗")
def claim(request: HttpRequest, post_id: int, payload: PostClaimIn):
    user = actor(request)
    post = visible_or_404(selectors.posts_visible_to(user), post_id, "找不到该岗位。")
    return Status(201, claim_out(vol.post_claim(actor=user, post=post, starts_on=payload.starts_on,
                                                ends_on=payload.ends_on)))


@router.get("/me", response={200: VolunteerRecordOut, **COMMON_ERRORS}, summary="我的志愿服务")
def me(request: HttpRequest):
    user = actor(request)
    person = person_of(user)
    if person is None:
        raise NotFound("您的账号没有关联居民信息。")
    record = selectors.record_of(person)
    for a in record.attendances:
        a.person = person
    return {"hours": str(record.hours), "services": record.services,
            "rating": str(record.rating) if record.rating is not None else None,
            "activities": [attendance_out(a) for a in record.attendances], "claims": [claim_out(c) for c in record.claims]}
