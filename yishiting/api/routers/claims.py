"""/register and /claims: a resident registers with an SMS code, claims a household, and the community's staff
or the area's grid worker verify it — the same services and rules as the pages (/register/, /claims/)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.accounts.services import account_register, sms_code_send, token_create
from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.claims import (
    BuildingOut,
    ClaimHouseholdOut,
    ClaimIn,
    ClaimOut,
    RegisterCodeIn,
    RegisteredOut,
    RegisterIn,
    RejectIn,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS, ErrorOut
from yishiting.areas import claims, selectors
from yishiting.areas.models import Area, Household, HouseholdClaim

register_router = Router(tags=["注册"])
router = Router(tags=["住户申报"])
NO_AUTH = {"security": [{}]}


@register_router.post("/code", auth=None, openapi_extra=NO_AUTH,
                      response={202: None, 400: ErrorOut, 409: ErrorOut, 429: ErrorOut}, summary="发送注册验证码")
def send_code(request: HttpRequest, payload: RegisterCodeIn):
    """与短信登录共用发送频率限制；已注册的号码返回 409 already_registered（请改用短信登录）。"""
    sms_code_send(mobile=payload.mobile, request=request, purpose="register")
    return Status(202, None)


@register_router.post("", auth=None, openapi_extra=NO_AUTH,
                      response={201: RegisteredOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
                      summary="注册（手机号 + 验证码）")
def register(request: HttpRequest, payload: RegisterIn):
    """创建账号和人员（姓名对他人脱敏），并返回一个接口令牌。申报住户并经认证前，只能反映诉求。"""
    user = account_register(mobile=payload.mobile, code=payload.code, name=payload.name, request=request)
    _, secret = token_create(actor=user, name=payload.token_name, request=request)
    return Status(201, {"user_id": user.pk, "username": user.get_username(), "secret": secret})


@router.get("", response={200: page_of(ClaimOut), **COMMON_ERRORS}, summary="我的住户申报")
def my_claims(request: HttpRequest, query: Query[PageQuery]):
    return paginate(selectors.claims_of_user(actor(request)).select_related("person"), query)


@router.post("", response={201: ClaimOut, **WRITE_ERRORS}, summary="申报住户")
def submit_claim(request: HttpRequest, payload: ClaimIn):
    """与业主名册（姓名、手机号）一致的业主即时认证（status 为 approved），否则待审核（pending）。
    重复提交同一申报返回原申报。"""
    household = visible_or_404(Household.objects.select_related("unit"), payload.household_id, "找不到该户。")
    claim = claims.household_claim_submit(actor=actor(request), household=household, relation=payload.relation)
    return Status(201, _claim(claim.pk))


@router.get("/buildings", response={200: list[BuildingOut], **COMMON_ERRORS}, summary="查找楼栋")
def find_buildings(request: HttpRequest, q: str = ""):
    """按小区、楼栋名称或拼音首字母查找（如 xfy3），最多 20 个。"""
    actor(request)
    return selectors.claim_buildings(q)


@router.get("/buildings/{int:building_id}/households", response={200: list[ClaimHouseholdOut], **COMMON_ERRORS},
            summary="楼栋内的住户")
def building_households(request: HttpRequest, building_id: int):
    actor(request)
    depth = selectors.building_depth()
    building = visible_or_404(Area.objects.filter(level__depth=depth), building_id, "找不到该楼栋。")
    return list(selectors.building_households(building))


@router.get("/inbox", response={200: page_of(ClaimOut), **COMMON_ERRORS}, summary="待认证的住户申报")
def inbox(request: HttpRequest, query: Query[PageQuery]):
    """您可审核范围内（社区工作人员、网格员等：households.verify_claim）待认证的申报。"""
    return paginate(selectors.claims_to_verify(actor(request)), query)


@router.post("/{int:claim_id}/approve", response={200: ClaimOut, **WRITE_ERRORS}, summary="认证住户申报")
def approve(request: HttpRequest, claim_id: int):
    user = actor(request)
    claims.household_claim_approve(actor=user, claim=claims.claim_for_verifier(user, claim_id))
    return _claim(claim_id)


@router.post("/{int:claim_id}/reject", response={200: ClaimOut, **WRITE_ERRORS}, summary="退回住户申报")
def reject(request: HttpRequest, claim_id: int, payload: RejectIn):
    user = actor(request)
    claims.household_claim_reject(actor=user, claim=claims.claim_for_verifier(user, claim_id), reason=payload.reason)
    return _claim(claim_id)


@router.post("/{int:claim_id}/withdraw", response={200: ClaimOut, **WRITE_ERRORS}, summary="撤回住户申报")
def withdraw(request: HttpRequest, claim_id: int):
    user = actor(request)
    claim = visible_or_404(selectors.claims_of_user(user), claim_id, "找不到该住户申报。")
    claims.household_claim_withdraw(actor=user, claim=claim)
    return _claim(claim_id)


def _claim(claim_id: int) -> HouseholdClaim:
    return HouseholdClaim.objects.select_related("person", "household__unit__parent").get(pk=claim_id)
