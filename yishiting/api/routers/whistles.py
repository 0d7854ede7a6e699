"""/whistles: 吹哨·应哨 — the whistles the caller may see, blowing one, a unit's 报到 and answer, closing and
withdrawing, through the same services, selectors and rules as the pages (/whistles/…). Photos of an answer are
sent through the page — JSON carries no images here."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.whistles import (
    AddUnitIn,
    BlowIn,
    RespondIn,
    SummaryIn,
    WhistleCancelIn,
    WhistleOut,
    WhistleQuery,
)
from yishiting.areas.models import Area
from yishiting.common.errors import DomainError, NotFound
from yishiting.whistles import selectors
from yishiting.whistles import services as whistles
from yishiting.whistles.links import linked_matter
from yishiting.whistles.models import Whistle, WhistleResponse
from yishiting.whistles.rules import may_add_unit, may_cancel, may_close, may_respond

router = Router(tags=["吹哨·应哨"])


def _response_out(user, r: WhistleResponse) -> dict:
    actions = (["arrive"] if r.status == "pending" else []) + ["respond"] if may_respond(user, r) else []
    return {"id": r.pk, "organization": r.organization_id, "organization_name": r.organization.name,
            "status": r.status, "arrived_at": r.arrived_at, "responded_at": r.responded_at, "note": r.note,
            "late": r.late, "deadline": r.deadline, "added": r.added, "actions": actions}


def whistle_out(user, w: Whistle) -> dict:
    actions = [name for name, allowed in [("close", may_close(user, w)), ("cancel", may_cancel(user, w)),
                                          ("add_unit", may_add_unit(user, w))] if allowed]
    return {"id": w.pk, "number": w.number, "title": w.title, "text": w.text, "area": w.area_id,
            "area_name": w.area.name, "status": w.status, "status_label": str(w.get_status_display()),
            "blower": w.blower_label, "deadline": w.deadline, "demand": w.demand_id, "topic": w.topic_id,
            "task": w.task_id, "blown_at": w.blown_at, "closed_at": w.closed_at, "summary": w.summary,
            "responses": [_response_out(user, r) for r in selectors.responses_of(w)], "actions": actions}


def _whistle(user, pk: int) -> Whistle:
    return visible_or_404(selectors.whistles_visible_to(user), pk, "找不到该吹哨。")


def _response(user, pk: int) -> WhistleResponse:
    visible = selectors.whistles_visible_to(user).values("pk")
    return visible_or_404(WhistleResponse.objects.select_related("whistle", "organization")
                          .filter(whistle__in=visible), pk, "找不到该应哨记录。")


@router.get("", response={200: page_of(WhistleOut), **COMMON_ERRORS}, summary="我可看到的吹哨")
def whistle_list(request: HttpRequest, query: Query[WhistleQuery]):
    user = actor(request)
    rows = selectors.whistle_list(user, status=query.status or "", late=query.late, term=query.q, mine=query.mine)
    page = paginate(rows, query)
    page["items"] = [whistle_out(user, w) for w in page["items"]]
    return page


@router.post("", response={201: WhistleOut, **WRITE_ERRORS}, summary="吹哨：召集单位在期限内应哨")
def whistle_blow(request: HttpRequest, payload: BlowIn):
    user = actor(request)
    found = linked_matter(user, demand_id=payload.demand, topic_id=payload.topic, task_id=payload.task)
    area = visible_or_404(Area.objects.all(), payload.area, "找不到该区域。") if payload.area is not None else None
    if not found and area is None:
        raise DomainError("area_required", "请关联诉求、议题或任务，或给出发生地。", details={"field": "area"})
    units = list(selectors.unit_pool([getattr(area, "path", "")] + [getattr(v, "path", "") for v in found.values()])
                 .filter(pk__in=payload.units))
    if len(units) != len(set(payload.units)):
        raise NotFound("找不到所选的应哨单位。", details={"field": "units"})
    w = whistles.whistle_blow(actor=user, text=payload.text, units=units, days=payload.days, area=area, **found)
    return Status(201, whistle_out(user, _whistle(user, w.pk)))


@router.get("/{int:whistle_id}", response={200: WhistleOut, **COMMON_ERRORS}, summary="吹哨详情（含各单位应哨）")
def whistle_detail(request: HttpRequest, whistle_id: int):
    user = actor(request)
    return whistle_out(user, _whistle(user, whistle_id))


@router.post("/{int:whistle_id}/close", response={200: WhistleOut, **WRITE_ERRORS}, summary="办结吹哨")
def whistle_close(request: HttpRequest, whistle_id: int, payload: SummaryIn):
    user = actor(request)
    w = whistles.whistle_close(actor=user, whistle=_whistle(user, whistle_id), summary=payload.summary)
    return whistle_out(user, _whistle(user, w.pk))


@router.post("/{int:whistle_id}/cancel", response={200: WhistleOut, **WRITE_ERRORS}, summary="撤回吹哨")
def whistle_cancel(request: HttpRequest, whistle_id: int, payload: WhistleCancelIn):
    user = actor(request)
    w = whistles.whistle_cancel(actor=user, whistle=_whistle(user, whistle_id), reason=payload.reason)
    return whistle_out(user, _whistle(user, w.pk))


@router.post("/{int:whistle_id}/units", response={201: WhistleOut, **WRITE_ERRORS},
             summary="增加应哨单位（有自己的应哨期限）")
def whistle_add_unit(request: HttpRequest, whistle_id: int, payload: AddUnitIn):
    user = actor(request)
    w = _whistle(user, whistle_id)
    unit = selectors.unit_pool([w.path]).filter(pk=payload.unit).first()
    if unit is None:
        raise NotFound("找不到所选的应哨单位。", details={"field": "unit"})
    whistles.whistle_add_unit(actor=user, whistle=w, unit=unit, days=payload.days)
    return Status(201, whistle_out(user, _whistle(user, w.pk)))


@router.post("/responses/{int:response_id}/arrive", response={200: WhistleOut, **WRITE_ERRORS}, summary="单位报到")
def response_arrive(request: HttpRequest, response_id: int):
    user = actor(request)
    r = whistles.response_arrive(actor=user, response=_response(user, response_id))
    return whistle_out(user, _whistle(user, r.whistle_id))


@router.post("/responses/{int:response_id}/respond", response={200: WhistleOut, **WRITE_ERRORS},
             summary="单位应哨：反馈处置情况")
def response_respond(request: HttpRequest, response_id: int, payload: RespondIn):
    user = actor(request)
    r = whistles.response_record(actor=user, response=_response(user, response_id), note=payload.note)
    return whistle_out(user, _whistle(user, r.whistle_id))
