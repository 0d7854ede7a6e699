"""/people: masked by default; POST /people/{id}/reveal is the one audited way to the full values."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.people import (
    PersonCreateIn,
    PersonOut,
    PersonQuery,
    PersonUpdateIn,
    RevealIn,
    RevealOut,
)
from yishiting.areas import selectors, services

router = Router(tags=["人员"])

NO_PLACE = "找不到该住户或区域，或您无权查看。"


@router.get("", response={200: page_of(PersonOut), **COMMON_ERRORS}, summary="人员列表（脱敏）")
def list_people(request: HttpRequest, query: Query[PersonQuery]):
    people = selectors.people_filter(selectors.people_visible_to(actor(request)), under=query.under, q=query.q)
    return paginate(people, query)


@router.get("/{int:person_id}", response={200: PersonOut, **COMMON_ERRORS}, summary="人员详情（脱敏）")
def get_person(request: HttpRequest, person_id: int):
    return visible_or_404(selectors.people_visible_to(actor(request)), person_id)


@router.post("/{int:person_id}/reveal", response={200: RevealOut, **WRITE_ERRORS}, summary="查看完整个人信息（留痕）")
def reveal_person(request: HttpRequest, person_id: int, payload: RevealIn | None = None):
    """需要 people.unmask 权限；每次查看（无论是否获准）都记入审计日志。"""
    user = actor(request)
    person = visible_or_404(selectors.people_visible_to(user), person_id)
    return services.person_reveal(actor=user, person=person, request=request,
                                  reason=payload.reason if payload else "")


def _place(user, household_id: int | None, area_id: int | None) -> dict[str, Any]:
    """The household or area a person is being put in: visible to the caller and within people.manage."""
    if household_id is not None:
        target = visible_or_404(selectors.households_visible_to(user), household_id, NO_PLACE)
    else:
        target = visible_or_404(selectors.areas_visible_to(user), area_id, NO_PLACE)
    require(user, "people.manage", target, "您无权在该住户或区域登记人员。")
    return {"household": target, "area": None} if household_id is not None else {"household": None, "area": target}


@router.post("", response={201: PersonOut, **WRITE_ERRORS}, summary="登记人员")
def create_person(request: HttpRequest, payload: PersonCreateIn):
    """需要登记位置（住户或区域）的 people.manage 权限；household_id 与 area_id 二选一。"""
    user = actor(request)
    place = _place(user, payload.household_id, payload.area_id)
    person = services.person_create(actor=user, name=payload.name, mobile=payload.mobile,
                                    id_number=payload.id_number, **place)
    return Status(201, person)


@router.patch("/{int:person_id}", response={200: PersonOut, **WRITE_ERRORS}, summary="修改人员信息")
def update_person(request: HttpRequest, person_id: int, payload: PersonUpdateIn):
    """只修改请求中给出的字段；迁移到别处时，原处和新处都需要 people.manage 权限。"""
    user = actor(request)
    person = visible_or_404(selectors.people_visible_to(user), person_id)
    require(user, "people.manage", person, "您无权修改此人的信息。")
    changes = payload.model_dump(exclude_unset=True)
    household_id, area_id = changes.pop("household_id", None), changes.pop("area_id", None)
    if household_id is not None or area_id is not None:
        changes.update(_place(user, household_id, area_id))
    elif "household_id" in payload.model_fields_set and "area_id" not in payload.model_fields_set:
        changes["household"] = None  # leaves the household, stays registered at its unit
    if "mobile" in changes and changes["mobile"] is None:
        changes["mobile"] = ""
    return services.person_update(actor=user, person=person, **changes)
