"""/bodies: the standing bodies a caller may see, a body with its current members (names as the pages show them),
and the community office's membership changes — the same selectors, rules and services as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.bodies import (
    BodyDetailOut,
    BodyMemberOut,
    BodyOut,
    BodyQuery,
    EndIn,
    MemberAddIn,
    RoleIn,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.bodies import selectors
from yishiting.bodies import services as bodies
from yishiting.bodies.models import Body, Membership

router = Router(tags=["议事组织"])
NOT_FOUND = "找不到该议事组织。"  # zh-only: the API answers in Chinese


def body_out(body: Body, seats: int | None = None) -> dict:
    return {"id": body.pk, "name": body.name, "kind": body.kind.code, "kind_name": body.kind.name,
            "area_id": body.area_id, "area": body.area.full_name, "seats": getattr(body, "seats", seats or 0)}


def members_out(user, body: Body, request: HttpRequest) -> list[dict]:
    rows = selectors.member_rows(user, list(selectors.current_members(body)), request=request, reason="api:bodies")
    return [{"id": r.membership.pk, "role": r.membership.role, "role_label": r.membership.get_role_display(),
             "name": r.name, "office": r.office, "organization": r.organization, "term_start": r.membership.term_start,
             "term_end": r.membership.term_end} for r in rows]


@router.get("", response={200: page_of(BodyOut), **COMMON_ERRORS}, summary="议事组织列表")
def list_bodies(request: HttpRequest, query: Query[BodyQuery]):
    user = actor(request)
    require(user, "bodies.view")
    page = paginate(selectors.bodies_visible_to(user, query.q or "", query.kind or ""), query)
    return {**page, "items": [body_out(b) for b in page["items"]]}


def _body(user, body_id: int) -> Body:
    return visible_or_404(selectors.bodies_visible_to(user), body_id, NOT_FOUND)


@router.get("/{int:body_id}", response={200: BodyDetailOut, **COMMON_ERRORS}, summary="议事组织详情")
def get_body(request: HttpRequest, body_id: int):
    user = actor(request)
    body = _body(user, body_id)
    return {**body_out(body), "members": members_out(user, body, request)}


@router.get("/{int:body_id}/members", response={200: list[BodyMemberOut], **COMMON_ERRORS}, summary="现任成员")
def members(request: HttpRequest, body_id: int):
    user = actor(request)
    return members_out(user, _body(user, body_id), request)


@router.post("/{int:body_id}/members", response={201: BodyMemberOut, **WRITE_ERRORS}, summary="添加成员")
def add_member(request: HttpRequest, body_id: int, payload: MemberAddIn):
    """个人或单位二选一；单位可指定代表。只有本社区（或上级）的社区工作人员和社区书记可以调整。"""
    user = actor(request)
    body = _body(user, body_id)
    person = visible_or_404(selectors.member_pool(body), payload.person_id) if payload.person_id else None
    rep = visible_or_404(selectors.member_pool(body), payload.representative_id) if payload.representative_id else None
    org = (visible_or_404(selectors.organization_pool(body), payload.organization_id)
           if payload.organization_id else None)
    seat = bodies.membership_add(actor=user, body=body, person=person, organization=org, representative=rep,
                                 role=payload.role, term_start=payload.term_start, term_end=payload.term_end)
    return Status(201, next(m for m in members_out(user, body, request) if m["id"] == seat.pk)
                  if seat.is_current else _future(seat))


def _future(seat: Membership) -> dict:
    """A seat whose term starts later: not among the current members yet."""
    return {"id": seat.pk, "role": seat.role, "role_label": seat.get_role_display(), "name": "", "office": "",
            "organization": seat.organization.name if seat.organization_id else "", "term_start": seat.term_start,
            "term_end": seat.term_end}


def _seat(user, membership_id: int) -> Membership:
    return visible_or_404(Membership.objects.select_related("body").filter(
        body__in=selectors.bodies_visible_to(user)), membership_id, "找不到该成员。")


@router.post("/members/{int:membership_id}/role", response={200: BodyMemberOut, **WRITE_ERRORS}, summary="调整职务")
def change_role(request: HttpRequest, membership_id: int, payload: RoleIn):
    user = actor(request)
    seat = bodies.membership_change_role(actor=user, membership=_seat(user, membership_id), role=payload.role)
    return next((m for m in members_out(user, seat.body, request) if m["id"] == seat.pk), _future(seat))


@router.post("/members/{int:membership_id}/end", response={200: BodyMemberOut, **WRITE_ERRORS}, summary="登记离任")
def end(request: HttpRequest, membership_id: int, payload: EndIn):
    user = actor(request)
    seat = bodies.membership_end(actor=user, membership=_seat(user, membership_id), on=payload.on,
                                 reason=payload.reason)
    return _future(seat)
