"""/cadres: 干部成长档案 (the archive with credits, mentors, posts, matters led and pledges), the monthly credit
ranking, attendance, and the 践诺清单 (published, updated, completed; public by area) — the same services,
selectors and rules as the pages (/cadres/…)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.cadres import (
    ArchiveOut,
    AttendanceIn,
    CadreOut,
    CadreQuery,
    CompleteIn,
    PledgeIn,
    PledgeOut,
    PledgeProgressIn,
    PledgeQuery,
    RankOut,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.areas.models import Area
from yishiting.cadres import matters, selectors, services
from yishiting.cadres.models import Activity, Cadre, Pledge

router = Router(tags=["干部成长档案与践诺清单"])
NO_AUTH = {"security": [{}]}


def cadre_out(c: Cadre) -> dict:
    return {"id": c.pk, "name": c.person.name, "kind": c.kind, "post": c.post, "area_id": c.area_id,
            "area": c.area.name}


def pledge_out(p: Pledge) -> dict:
    return {"id": p.pk, "cadre_id": p.cadre_id, "cadre": p.cadre.person.name, "post": p.cadre.post, "what": p.what,
            "measure": p.measure, "due_on": p.due_on, "status": p.status, "progress": p.progress,
            "is_overdue": p.is_overdue, "is_stale": p.is_stale, "last_update_on": p.last_update_on,
            "result": p.result, "completed_on": p.completed_on}


@router.get("/archives", response={200: page_of(CadreOut), **COMMON_ERRORS}, summary="干部成长档案（辖区的、本人的、所带学员的）")
def archive_list(request: HttpRequest, query: Query[CadreQuery]):
    rows = selectors.archive_search(selectors.archives_visible_to(actor(request)), text=query.q, kind=query.kind)
    page = paginate(rows.order_by("path", "person__name", "pk"), query)
    page["items"] = [cadre_out(c) for c in page["items"]]
    return page


@router.get("/archives/{int:cadre_id}", response={200: ArchiveOut, **COMMON_ERRORS}, summary="一名干部的成长档案")
def archive_detail(request: HttpRequest, cadre_id: int):
    c = visible_or_404(selectors.archives_visible_to(actor(request)), cadre_id, "找不到该档案。")
    return {**cadre_out(c),
            "credits": [{"programme_id": r.programme.pk, "programme": r.programme.name, "credits": r.credits,
                         "attended": r.attended, "activities": r.activities, "honours": r.honours}
                        for r in selectors.credits_of(c)],
            "mentors": [s.mentor.person.name for s in c.mentorships.filter(is_active=True).select_related("mentor__person")],
            "posts": [p.title for p in c.posts.all()],
            "matters": [{"key": k.key, "label": k.label, "total": k.total, "done": k.done}
                        for k in matters.matters_led(c.person_id)],
            "pledges": [pledge_out(p) for p in c.pledges.select_related("cadre__person")]}


@router.get("/programmes/{int:programme_id}/ranking", response={200: list[RankOut], **COMMON_ERRORS},
            summary="培训班月度学分排名（学分相同名次相同，按姓名排列）")
def ranking(request: HttpRequest, programme_id: int, month: date):
    user = actor(request)
    programme = visible_or_404(selectors.programmes_visible_to(user), programme_id, "找不到该培训班。")
    require(user, "cadres.view", programme)
    return [{"cadre_id": r.cadre.pk, "name": r.cadre.person.name, "rank": r.rank, "credits": r.credits,
             "attended": r.attended, "honoured": r.honoured, "bottom": r.bottom, "talked": r.talked}
            for r in selectors.ranking(programme, month)]


@router.post("/activities/{int:activity_id}/attendance", response={201: RankOut, **WRITE_ERRORS}, summary="登记出勤和学分")
def attendance(request: HttpRequest, activity_id: int, payload: AttendanceIn):
    user = actor(request)
    activity = visible_or_404(Activity.objects.filter(programme__in=selectors.programmes_visible_to(user))
                              .select_related("programme"), activity_id, "找不到该课程活动。")
    cadre = visible_or_404(activity.programme.cadres.select_related("person"), payload.cadre_id, "找不到该学员。")
    services.attendance_record(actor=user, activity=activity, cadre=cadre, credits=payload.credits)
    row = next(r for r in selectors.ranking(activity.programme, activity.held_on) if r.cadre.pk == cadre.pk)
    return Status(201, {"cadre_id": cadre.pk, "name": cadre.person.name, "rank": row.rank, "credits": row.credits,
                        "attended": row.attended, "honoured": row.honoured, "bottom": row.bottom,
                        "talked": row.talked})


@router.get("/pledges", response={200: page_of(PledgeOut), **COMMON_ERRORS}, summary="践诺清单（本人的或辖区的）")
def pledge_list(request: HttpRequest, query: Query[PledgeQuery]):
    user = actor(request)
    rows = selectors.pledges_visible_to(user)
    if query.mine:
        rows = rows.filter(cadre=selectors.own_archive(user))
    page = paginate(rows.order_by("status", "due_on", "pk"), query)
    page["items"] = [pledge_out(p) for p in page["items"]]
    return page


@router.post("/pledges", response={201: PledgeOut, **WRITE_ERRORS}, summary="公布践诺事项（本人）")
def pledge_publish(request: HttpRequest, payload: PledgeIn):
    pledge = services.pledge_publish(actor=actor(request), what=payload.what, measure=payload.measure,
                                     due_on=payload.due_on)
    return Status(201, pledge_out(pledge))


def _pledge(user, pk: int) -> Pledge:
    return visible_or_404(selectors.pledges_visible_to(user), pk, "找不到该践诺事项。")


@router.post("/pledges/{int:pledge_id}/progress", response={200: PledgeOut, **WRITE_ERRORS}, summary="公布践诺进展")
def pledge_update(request: HttpRequest, pledge_id: int, payload: PledgeProgressIn):
    user = actor(request)
    pledge = _pledge(user, pledge_id)
    services.pledge_update(actor=user, pledge=pledge, progress=payload.progress, note=payload.note)
    return pledge_out(_pledge(user, pledge_id))


@router.post("/pledges/{int:pledge_id}/complete", response={200: PledgeOut, **WRITE_ERRORS}, summary="践诺事项兑现")
def pledge_complete(request: HttpRequest, pledge_id: int, payload: CompleteIn):
    user = actor(request)
    services.pledge_complete(actor=user, pledge=_pledge(user, pledge_id), result=payload.result)
    return pledge_out(_pledge(user, pledge_id))


@router.get("/public/{int:area_id}/pledges", auth=None, openapi_extra=NO_AUTH,
            response={200: page_of(PledgeOut), **COMMON_ERRORS}, summary="践诺公示（公开，无需登录；只含姓名和岗位）")
def public_pledges(request: HttpRequest, area_id: int, query: Query[PledgeQuery]):
    area = visible_or_404(Area.objects.filter(is_active=True), area_id, "找不到该区域。")
    page = paginate(selectors.public_pledges(area.path), query)
    page["items"] = [pledge_out(p) for p in page["items"]]
    return page
