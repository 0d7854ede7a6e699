"""/areas and /households."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, require_everywhere, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.areas import (
    AreaCreateIn,
    AreaOut,
    AreaQuery,
    AreaRenameIn,
    HouseholdCreateIn,
    HouseholdOut,
    HouseholdQuery,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.areas import selectors, services
from yishiting.common.errors import DomainError

router = Router(tags=["区域"])
households_router = Router(tags=["住户"])


@router.get("", response={200: page_of(AreaOut), **COMMON_ERRORS}, summary="区域列表")
def list_areas(request: HttpRequest, query: Query[AreaQuery]):
    """按树的顺序列出您可查看的区域（areas.view）；可按子树、层级、名称或拼音筛选。"""
    areas = selectors.areas_filter(selectors.areas_visible_to(actor(request)),
                                   under=query.under, level=query.level, q=query.q)
    return paginate(areas, query)


@router.get("/{int:area_id}", response={200: AreaOut, **COMMON_ERRORS}, summary="区域详情")
def get_area(request: HttpRequest, area_id: int):
    return visible_or_404(selectors.areas_visible_to(actor(request)), area_id)


@router.post("", response={201: AreaOut, **WRITE_ERRORS}, summary="新建区域")
def create_area(request: HttpRequest, payload: AreaCreateIn):
    """需要上级区域的 areas.manage 权限；层级必须是上级的下一级。"""
    user = actor(request)
    parent = None
    if payload.parent_id is None:
        require_everywhere(user, "areas.manage", "只有超级管理员可以新建最高一级区域。")
    else:
        parent = visible_or_404(selectors.areas_visible_to(user), payload.parent_id, "找不到上级区域，或您无权查看。")
        require(user, "areas.manage", parent, "您无权在该区域下新建区域。")
    level = selectors.level_by_code(payload.level)
    if level is None:
        raise DomainError("invalid_choice", f"层级代码“{payload.level}”不存在。", details={"field": "level"})
    return Status(201, services.area_create(actor=user, name=payload.name, level=level, code=payload.code,
                                            parent=parent))


@router.patch("/{int:area_id}", response={200: AreaOut, **WRITE_ERRORS}, summary="重命名区域")
def rename_area(request: HttpRequest, area_id: int, payload: AreaRenameIn):
    user = actor(request)
    area = visible_or_404(selectors.areas_visible_to(user), area_id)
    require(user, "areas.manage", area, "您无权修改该区域。")
    return services.area_rename(actor=user, area=area, name=payload.name)


@households_router.get("", response={200: page_of(HouseholdOut), **COMMON_ERRORS}, summary="住户列表")
def list_households(request: HttpRequest, query: Query[HouseholdQuery]):
    households = selectors.households_filter(selectors.households_visible_to(actor(request)),
                                             under=query.under, number=query.number)
    return paginate(households, query)


@households_router.get("/{int:household_id}", response={200: HouseholdOut, **COMMON_ERRORS}, summary="住户详情")
def get_household(request: HttpRequest, household_id: int):
    return visible_or_404(selectors.households_visible_to(actor(request)), household_id)


@households_router.post("", response={201: HouseholdOut, **WRITE_ERRORS}, summary="登记住户")
def create_household(request: HttpRequest, payload: HouseholdCreateIn):
    """需要该单元的 areas.manage 权限；只有下设住户的层级（默认为单元）可以登记住户。"""
    user = actor(request)
    unit = visible_or_404(selectors.areas_visible_to(user), payload.unit_id, "找不到该单元，或您无权查看。")
    require(user, "areas.manage", unit, "您无权在该单元登记住户。")
    return Status(201, services.household_create(actor=user, unit=unit, number=payload.number,
                                                 exclusive_area=payload.exclusive_area))
