"""/wishes: the 微心愿 — the public wall (no login), the wishes the caller may see, and each step of a wish,
through the same services, selectors and rules as the pages (/wishes/…). The fulfilment photo is sent through
the page (/wishes/<id>/) — JSON carries no images here."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS, ErrorOut
from yishiting.api.schemas.wishes import (
    ApproveIn,
    PostIn,
    ThanksIn,
    WallOut,
    WallQuery,
    WishClaimIn,
    WishOut,
    WishQuery,
    WishReasonIn,
)
from yishiting.areas.models import Area
from yishiting.common.errors import NotFound
from yishiting.common.rules import has_perm
from yishiting.wishes import selectors
from yishiting.wishes import services as wishes
from yishiting.wishes.choices import WishStatus
from yishiting.wishes.models import Wish
from yishiting.wishes.rules import is_claimant, is_wisher, may_claim, represented_organizations

router = Router(tags=["微心愿"])
NO_AUTH = {"security": [{}]}


def wall_out(w: Wish) -> dict:
    return {"id": w.pk, "number": w.number, "community": w.community.name, "category": w.category,
            "text": w.public_text, "status": w.status, "donor_kind": w.donor_kind, "created_at": w.created_at}


def _actions(user, w: Wish) -> list[str]:
    manage, claimed = has_perm(user, "wishes.manage", w), w.status == WishStatus.CLAIMED
    return [name for name, allowed in [
        ("approve", w.status == WishStatus.PENDING and has_perm(user, "wishes.review", w)),
        ("reject", w.status == WishStatus.PENDING and has_perm(user, "wishes.review", w)),
        ("claim", may_claim(user, w)), ("release", claimed and (is_claimant(user, w) or manage)),
        ("fulfil", claimed and (is_claimant(user, w) or manage)),
        ("thank", w.status == WishStatus.FULFILLED and not w.thanks and is_wisher(user, w))] if allowed]


def wish_out(user, w: Wish) -> dict:
    insider = is_wisher(user, w) or is_claimant(user, w) or has_perm(user, "wishes.manage", w)
    return {**wall_out(w), "status_label": str(w.get_status_display()),
            "original_text": w.original_text if insider else None, "reject_reason": w.reject_reason,
            "claim_due_on": w.claim_due_on, "thanks": w.thanks, "actions": _actions(user, w)}


def _wish(user, pk: int) -> Wish:
    return visible_or_404(selectors.wishes_visible_to(user), pk, "找不到该心愿。")


@router.get("/wall", auth=None, openapi_extra=NO_AUTH, response={200: page_of(WallOut), 400: ErrorOut, 404: ErrorOut,
                                                                  422: ErrorOut}, summary="心愿墙（公开，无需登录）")
def wall(request: HttpRequest, query: Query[WallQuery]):
    community = None
    if query.community is not None:
        community = Area.objects.filter(pk=query.community).first()
        if community is None:
            raise NotFound("找不到该社区。")
    page = paginate(selectors.wall(community), query)
    page["items"] = [wall_out(w) for w in page["items"]]
    return page


@router.get("", response={200: page_of(WishOut), **COMMON_ERRORS}, summary="我可看到的心愿")
def wish_list(request: HttpRequest, query: Query[WishQuery]):
    user = actor(request)
    rows = selectors.wishes_visible_to(user)
    if query.mine:
        rows = selectors.wishes_of(getattr(user, "person", None))
    if query.status:
        rows = rows.filter(status=query.status)
    page = paginate(rows, query)
    page["items"] = [wish_out(user, w) for w in page["items"]]
    return page


@router.post("", response={201: WishOut, **WRITE_ERRORS}, summary="发布心愿（工作人员可代发）")
def wish_post(request: HttpRequest, payload: PostIn):
    user = actor(request)
    community = None
    if payload.community is not None:
        community = visible_or_404(Area.objects.all(), payload.community, "找不到该社区。")
    wisher = None
    if payload.wisher is not None:  # staff posting for a resident: someone in their post-for pool, else 404
        require(user, "wishes.post_for")
        wisher = visible_or_404(selectors.wisher_pool(user), payload.wisher, "找不到该居民。")
    w = wishes.wish_post(actor=user, category=payload.category, text=payload.text, community=community,
                         beneficiary_note=payload.beneficiary_note, beneficiary=wisher)
    return Status(201, wish_out(user, _wish(user, w.pk)))


@router.get("/{int:wish_id}", response={200: WishOut, **COMMON_ERRORS}, summary="心愿详情")
def wish_detail(request: HttpRequest, wish_id: int):
    user = actor(request)
    return wish_out(user, _wish(user, wish_id))


@router.post("/{int:wish_id}/approve", response={200: WishOut, **WRITE_ERRORS}, summary="审核通过（含核对清单）")
def approve(request: HttpRequest, wish_id: int, payload: ApproveIn):
    user = actor(request)
    w = wishes.wish_approve(actor=user, wish=_wish(user, wish_id), public_text=payload.public_text,
                            no_money=payload.no_money, no_personal_data=payload.no_personal_data)
    return wish_out(user, _wish(user, w.pk))


@router.post("/{int:wish_id}/reject", response={200: WishOut, **WRITE_ERRORS}, summary="不予通过")
def reject(request: HttpRequest, wish_id: int, payload: WishReasonIn):
    user = actor(request)
    w = wishes.wish_reject(actor=user, wish=_wish(user, wish_id), reason=payload.reason)
    return wish_out(user, _wish(user, w.pk))


@router.post("/{int:wish_id}/claim", response={200: WishOut, **WRITE_ERRORS}, summary="认领心愿")
def claim(request: HttpRequest, wish_id: int, payload: WishClaimIn):
    user = actor(request)
    org = None
    if payload.organization is not None:
        org = next((o for o in represented_organizations(user) if o.pk == payload.organization), None)
        if org is None:
            raise NotFound("找不到您代表的该单位。")
    w = wishes.wish_claim(actor=user, wish=_wish(user, wish_id), organization=org)
    return wish_out(user, _wish(user, w.pk))


@router.post("/{int:wish_id}/release", response={200: WishOut, **WRITE_ERRORS}, summary="取消认领")
def release(request: HttpRequest, wish_id: int):
    user = actor(request)
    w = wishes.wish_release(actor=user, wish=_wish(user, wish_id))
    return wish_out(user, _wish(user, w.pk))


@router.post("/{int:wish_id}/thank", response={200: WishOut, **WRITE_ERRORS}, summary="心愿人致谢")
def thank(request: HttpRequest, wish_id: int, payload: ThanksIn):
    user = actor(request)
    w = wishes.wish_thank(actor=user, wish=_wish(user, wish_id), text=payload.text)
    return wish_out(user, _wish(user, w.pk))
