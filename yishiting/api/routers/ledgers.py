"""/ledgers: my points and hours with their statements, the 积分超市 of my community, redemptions, the staff's
pickup confirmation and the communities' totals — the same services, selectors and rules as the pages
(/points/…)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.ledgers import (
    BalanceOut,
    ItemOut,
    LineOut,
    PickupCodeIn,
    RedemptionOut,
    TotalOut,
    TransferIn,
)
from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import Conflict, NotFound
from yishiting.ledgers import selectors
from yishiting.ledgers import services as ledgers

router = Router(tags=["积分与时间银行"])


def _person(user):
    person = person_for_user(user)
    if person is None:
        raise NotFound("您的账号没有对应的人员档案。")
    return person


def line_out(entry, amount) -> dict:
    event = entry.event
    return {"id": entry.pk, "kind": entry.kind, "kind_label": str(entry.get_kind_display()), "amount": amount,
            "note": entry.note, "event_id": event.pk, "event_kind": event.kind, "subject_type": event.subject_type,
            "subject_id": event.subject_id, "created_at": entry.created_at}


def redemption_out(r) -> dict:
    return {"id": r.pk, "item_id": r.item_id, "item": r.item.name, "points": r.points, "code": r.code,
            "status": r.status, "status_label": str(r.get_status_display()), "expires_at": r.expires_at,
            "created_at": r.created_at}


@router.get("/me", response={200: BalanceOut, **COMMON_ERRORS}, summary="我的积分和时长")
def balance(request: HttpRequest):
    user = actor(request)
    require(user, "ledgers.view")
    found = selectors.balance_of(_person(user))
    return {"points": found.points, "hours": found.hours}


@router.get("/me/points", response={200: page_of(LineOut), **COMMON_ERRORS}, summary="积分明细")
def points(request: HttpRequest, query: Query[PageQuery]):
    user = actor(request)
    require(user, "ledgers.view")
    page = paginate(selectors.point_statement(_person(user)), query)
    page["items"] = [line_out(e, e.points) for e in page["items"]]
    return page


@router.get("/me/hours", response={200: page_of(LineOut), **COMMON_ERRORS}, summary="时间银行明细")
def hours(request: HttpRequest, query: Query[PageQuery]):
    user = actor(request)
    require(user, "ledgers.view")
    page = paginate(selectors.hour_statement(_person(user)), query)
    page["items"] = [line_out(e, e.hours) for e in page["items"]]
    return page


@router.post("/me/hours/transfers", response={201: BalanceOut, **WRITE_ERRORS}, summary="时长转给家人")
def transfer(request: HttpRequest, payload: TransferIn):
    user = actor(request)
    require(user, "ledgers.view")
    person = _person(user)
    to = next((p for p in ledgers.family_of(person) if p.pk == payload.to), None)
    if to is None:
        raise Conflict("not_family", "只能转给同一住户的家人。")
    ledgers.hours_transfer(actor=user, person=person, to=to, hours=payload.hours, note=payload.note)
    found = selectors.balance_of(person)
    return Status(201, {"points": found.points, "hours": found.hours})


@router.get("/market", response={200: list[ItemOut], **COMMON_ERRORS}, summary="本社区积分超市")
def market(request: HttpRequest):
    user = actor(request)
    require(user, "ledgers.view")
    return list(selectors.market_of(_person(user))[:200])


@router.post("/market/{int:item_id}/redeem", response={201: RedemptionOut, **WRITE_ERRORS}, summary="兑换")
def redeem(request: HttpRequest, item_id: int):
    """扣积分、减库存在同一事务中完成；库存不足或积分不足时 409。"""
    user = actor(request)
    person = _person(user)
    item = visible_or_404(selectors.market_of(person), item_id, "找不到该商品。")
    return Status(201, redemption_out(ledgers.redemption_create(actor=user, person=person, item=item)))


@router.get("/redemptions", response={200: page_of(RedemptionOut), **COMMON_ERRORS}, summary="我的兑换和领取码")
def redemptions(request: HttpRequest, query: Query[PageQuery]):
    user = actor(request)
    page = paginate(selectors.redemptions_of(_person(user)), query)
    page["items"] = [redemption_out(r) for r in page["items"]]
    return page


@router.post("/redemptions/{int:redemption_id}/cancel", response={200: RedemptionOut, **WRITE_ERRORS},
             summary="取消兑换（积分和库存退回）")
def cancel(request: HttpRequest, redemption_id: int):
    user = actor(request)
    redemption = visible_or_404(selectors.redemptions_of(_person(user)), redemption_id, "找不到该兑换。")
    return redemption_out(ledgers.redemption_cancel(actor=user, redemption=redemption))


@router.post("/pickups", response={200: RedemptionOut, **WRITE_ERRORS}, summary="核销领取码（工作人员）")
def pickup(request: HttpRequest, payload: PickupCodeIn):
    user = actor(request)
    require(user, "ledgers.market_manage")
    return redemption_out(ledgers.redemption_hand_over(actor=user, code=payload.code))


@router.get("/totals", response={200: list[TotalOut], **COMMON_ERRORS}, summary="各社区时长和积分合计")
def totals(request: HttpRequest):
    user = actor(request)
    require(user, "ledgers.timebank_manage")
    return [{"community_id": r["community"].pk, "community": r["community"].full_name, "hours_given": r["given"],
             "hours_withdrawn": r["withdrawn"], "points_earned": r["earned"], "points_redeemed": r["redeemed"]}
            for r in selectors.community_totals(user)]
