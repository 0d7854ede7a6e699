"""/participation: the service menu of my community, orders (点单、派单、接单、评价) and the 晒单 showcase — the
same services, selectors and rules as the pages (/participation/…)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.participation import (
    DispatchIn,
    MenuItemOut,
    OrderDetailOut,
    OrderIn,
    OrderOut,
    OrderQuery,
    ServiceRateIn,
    ShowcaseOut,
    UnitReportOut,
)
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_name
from yishiting.participation import selectors
from yishiting.participation import services as part
from yishiting.participation.models import MenuItem, UnitRegistration
from yishiting.participation.report import unit_quarter
from yishiting.participation.rules import (
    may_accept,
    may_cancel,
    may_dispatch,
    may_rate,
    may_see_unit,
    person_of,
)

router = Router(tags=["为民服务"])
NOT_FOUND = "找不到该订单。"  # zh-only: the API answers in Chinese


def order_out(o) -> dict:
    return {"id": o.pk, "number": o.number, "title": o.title, "status": o.status,
            "status_label": str(o.get_status_display()), "community": o.community.name, "item": o.item_id,
            "provider": o.provider.public_name if o.provider_id else None, "accept_due": o.accept_due,
            "hours": o.hours, "rating": o.rating, "created_at": o.created_at}


def detail_out(user, pk: int) -> dict:
    o = visible_or_404(selectors.orders_visible_to(user), pk, NOT_FOUND)
    actions = [name for name, allowed in [("dispatch", may_dispatch(user, o)), ("accept", may_accept(user, o)),
                                          ("rate", may_rate(user, o)), ("cancel", may_cancel(user, o))] if allowed]
    return {**order_out(o), "actions": actions}


@router.get("/menu", response={200: list[MenuItemOut], **COMMON_ERRORS}, summary="本社区服务菜单")
def menu(request: HttpRequest):
    user = actor(request)
    return [{"id": i.pk, "title": i.title, "description": i.description, "provider": i.provider.public_name,
             "provider_kind": i.provider.kind, "area": i.area.name, "times": i.times, "capacity": i.capacity}
            for i in selectors.menu_items(part.community_for(person_of(user)))]


@router.get("/orders", response={200: page_of(OrderOut), **COMMON_ERRORS}, summary="服务订单")
def orders(request: HttpRequest, query: Query[OrderQuery]):
    """您可看到的订单：自己点的、派给您（或您单位）的、工作人员辖区内的。"""
    user = actor(request)
    queryset = selectors.orders_visible_to(user)
    if query.mine:
        queryset = queryset.filter(resident__user=user)
    if query.status:
        queryset = queryset.filter(status=query.status)
    page = paginate(queryset, query)
    page["items"] = [order_out(o) for o in page["items"]]
    return page


@router.post("/orders", response={201: OrderDetailOut, **WRITE_ERRORS}, summary="点单")
def place(request: HttpRequest, payload: OrderIn):
    """从本社区菜单点单，或提出菜单外的需求；社区派单后，接单时限内无人接单的退回社区。"""
    user = actor(request)
    item = None
    if payload.item is not None:
        item = MenuItem.objects.filter(pk=payload.item, is_active=True).select_related("menu").first()
        if item is None:
            raise DomainError("item_unavailable", "该服务项目不在本社区的菜单上。", details={"field": "item"})
    resident = None
    if payload.resident is not None:  # staff ordering for a resident: someone in their order-for pool, else 404
        require(user, "participation.order_for")
        resident = visible_or_404(selectors.order_for_pool(user), payload.resident, "找不到该居民。")
    o = part.order_place(actor=user, item=item, title=payload.title, text=payload.text, wanted=payload.wanted,
                         resident=resident)
    return Status(201, detail_out(user, o.pk))


@router.get("/orders/{int:order_id}", response={200: OrderDetailOut, **COMMON_ERRORS}, summary="订单详情")
def order(request: HttpRequest, order_id: int):
    return detail_out(actor(request), order_id)


def _act(request: HttpRequest, order_id: int, run) -> dict:
    user = actor(request)
    o = visible_or_404(selectors.orders_visible_to(user), order_id, NOT_FOUND)
    run(user, o)
    return detail_out(user, order_id)


@router.post("/orders/{int:order_id}/dispatch", response={200: OrderDetailOut, **WRITE_ERRORS}, summary="派单（社区）")
def dispatch(request: HttpRequest, order_id: int, payload: DispatchIn):
    def run(user, o):
        providers = list(selectors.providers_of(o.community).filter(pk__in=payload.providers))
        if len(providers) != len(set(payload.providers)):
            raise DomainError("providers_required", "请选择本社区的服务提供方。", details={"field": "providers"})
        part.order_dispatch(actor=user, order=o, providers=providers)

    return _act(request, order_id, run)


@router.post("/orders/{int:order_id}/accept", response={200: OrderDetailOut, **WRITE_ERRORS}, summary="接单")
def accept(request: HttpRequest, order_id: int):
    """派给的服务方接单；两方同时接单只有一方成功，另一方得到 409 already_accepted。"""
    return _act(request, order_id, lambda u, o: part.order_accept(actor=u, order=o))


@router.post("/orders/{int:order_id}/rate", response={200: OrderDetailOut, **WRITE_ERRORS}, summary="确认并评价（点单居民）")
def rate(request: HttpRequest, order_id: int, payload: ServiceRateIn):
    return _act(request, order_id, lambda u, o: part.order_rate(actor=u, order=o, stars=payload.stars,
                                                                comment=payload.comment))


@router.post("/orders/{int:order_id}/cancel", response={200: OrderDetailOut, **WRITE_ERRORS}, summary="取消订单")
def cancel(request: HttpRequest, order_id: int):
    return _act(request, order_id, lambda u, o: part.order_cancel(actor=u, order=o))


@router.get("/showcase", response={200: page_of(ShowcaseOut), **COMMON_ERRORS}, summary="服务晒单")
def showcase(request: HttpRequest, query: Query[PageQuery]):
    """各服务方经居民确认评价的服务次数和平均评价（个人脱敏）。"""
    actor(request)
    page = paginate(selectors.showcase(), query)
    page["items"] = [{"id": p.pk, "provider": p.public_name, "kind": p.kind, "community": p.community.name,
                      "done": p.done, "stars": round(p.stars, 2) if p.stars is not None else None} for p in page["items"]]
    return page




def _assessment(found) -> dict | None:
    return {"grade": found.grade, "grade_label": str(found.get_grade_display()), "reasons": found.reasons} \
        if found else None


def _member_out(row) -> dict:
    records = [{"served_on": r.served_on, "what": r.what, "hours": r.hours, "rating": r.rating,
                "served_person": mask_name(r.served_person.name) if r.served_person_id else None}
               for r in row.records]
    rated = [r.rating for r in row.records if r.rating]
    return {"name": row.member.person.name, "posts": [str(p) for p in row.member.post_labels()],
            "services": len(row.records), "hours": row.hours, "records": records,
            "stars": round(sum(rated) / len(rated), 2) if rated else None, "assessment": _assessment(row.assessment)}


@router.get("/units/{int:unit_id}/report", response={200: UnitReportOut, **COMMON_ERRORS},
            summary="双报到单位季度报告")
def unit_report(request: HttpRequest, unit_id: int, year: int, quarter: int):
    """单位党员本季度的服务（内容、日期、时长、评价，服务对象脱敏）和社区的考核建议，与页面上的 PDF 报告同一内容。
    社区工作人员及以上、该单位的联络人可查看；尚未开始的季度为 422。"""
    user = actor(request)
    registration = UnitRegistration.objects.select_related("organization", "community").filter(pk=unit_id).first()
    if registration is None or not may_see_unit(user, registration):
        raise DomainError("not_found", "找不到该单位。", status=404)  # zh-only: the API answers in Chinese
    if quarter not in range(1, 5) or year < 2000 or (year, quarter) > part.quarter_of(timezone.localdate()):
        raise DomainError("invalid_quarter", "请选择已开始的季度（1–4）。", status=422,  # zh-only: the API answers in Chinese
                          details={"field": "quarter"})
    data = unit_quarter(registration, year, quarter)
    return {"unit": registration.organization.name, "community": registration.community.name, "year": year,
            "quarter": quarter, "first": data["first"], "last": data["last"],
            "total_services": data["total_services"], "total_hours": data["total_hours"],
            "assessment": _assessment(data["unit_assessment"]), "members": [_member_out(r) for r in data["rows"]],
            "pdf": reverse("web:participation_unit_report", args=[registration.pk, year, quarter])}
