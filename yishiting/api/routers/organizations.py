"""/organizations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.organizations import OrganizationCreateIn, OrganizationOut, OrganizationQuery
from yishiting.areas import selectors, services

router = Router(tags=["组织"])


@router.get("", response={200: page_of(OrganizationOut), **COMMON_ERRORS}, summary="组织列表")
def list_organizations(request: HttpRequest, query: Query[OrganizationQuery]):
    organizations = selectors.organizations_filter(selectors.organizations_visible_to(actor(request)),
                                                   under=query.under, kind=query.kind, q=query.q)
    return paginate(organizations, query)


@router.get("/{int:organization_id}", response={200: OrganizationOut, **COMMON_ERRORS}, summary="组织详情")
def get_organization(request: HttpRequest, organization_id: int):
    return visible_or_404(selectors.organizations_visible_to(actor(request)), organization_id)


@router.post("", response={201: OrganizationOut, **WRITE_ERRORS}, summary="新建组织")
def create_organization(request: HttpRequest, payload: OrganizationCreateIn):
    """需要所服务区域的 organizations.manage 权限。"""
    user = actor(request)
    area = visible_or_404(selectors.areas_visible_to(user), payload.area_id, "找不到该区域，或您无权查看。")
    require(user, "organizations.manage", area, "您无权在该区域新建组织。")
    parent = None
    if payload.parent_id is not None:
        parent = visible_or_404(selectors.organizations_visible_to(user), payload.parent_id,
                                "找不到上级组织，或您无权查看。")
    organization = services.organization_create(actor=user, kind=payload.kind, name=payload.name, area=area,
                                                 parent=parent, credit_code=payload.credit_code)
    return Status(201, organization)
