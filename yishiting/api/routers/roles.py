"""/roles: who holds which role where."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.roles import RoleAssignIn, RoleOut, RoleQuery
from yishiting.areas import selectors, services

router = Router(tags=["角色"])


@router.get("", response={200: page_of(RoleOut), **COMMON_ERRORS}, summary="角色分配列表")
def list_roles(request: HttpRequest, query: Query[RoleQuery]):
    roles = selectors.roles_filter(selectors.roles_visible_to(actor(request)), under=query.under,
                                   role=query.role, person=query.person, active=query.active)
    return paginate(roles, query)


@router.get("/{int:role_id}", response={200: RoleOut, **COMMON_ERRORS}, summary="角色分配详情")
def get_role(request: HttpRequest, role_id: int):
    return visible_or_404(selectors.roles_visible_to(actor(request)), role_id)


@router.post("", response={201: RoleOut, **WRITE_ERRORS}, summary="分配角色")
def assign_role(request: HttpRequest, payload: RoleAssignIn):
    """需要该区域的 roles.manage 权限；人员和组织须在您的查看范围内。"""
    user = actor(request)
    area = visible_or_404(selectors.areas_visible_to(user), payload.area_id, "找不到该区域，或您无权查看。")
    person = visible_or_404(selectors.people_visible_to(user), payload.person_id, "找不到该人员，或您无权查看。")
    require(user, "roles.manage", area, "您无权在该区域分配角色。")
    organization = None
    if payload.organization_id is not None:
        organization = visible_or_404(selectors.organizations_visible_to(user), payload.organization_id,
                                      "找不到该组织，或您无权查看。")
    assignment = services.role_assign(actor=user, person=person, role=payload.role, area=area,
                                      organization=organization, expert_level=payload.expert_level,
                                      title=payload.title)
    return Status(201, assignment)


@router.delete("/{int:role_id}", response={204: None, **WRITE_ERRORS}, summary="撤销角色")
def revoke_role(request: HttpRequest, role_id: int):
    """撤销后记录保留（标为无效）；需要该角色所在区域的 roles.manage 权限。"""
    user = actor(request)
    assignment = visible_or_404(selectors.roles_visible_to(user), role_id)
    require(user, "roles.manage", assignment, "您无权撤销该角色。")
    services.role_revoke(actor=user, assignment=assignment)
    return Status(204, None)
