"""/canteens: the 幸福食堂 — the same services, selectors and rules as the pages (/canteens/…)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.canteens import (
    ActionIn,
    CountsOut,
    CountsQuery,
    LedgerQuery,
    LedgerTotalOut,
    MealItemOut,
    MealOrderIn,
    MealOrderOut,
    MealOrderQuery,
    MenuQuery,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.areas.models import Person
from yishiting.areas.validation import clean_id_number
from yishiting.canteens import selectors
from yishiting.canteens import services as canteens
from yishiting.canteens.choices import Fulfilment, OrderStatus
from yishiting.canteens.models import MealOrder, MenuItem
from yishiting.canteens.pricing import prices_for
from yishiting.canteens.rules import (
    is_canteen_staff,
    is_courier,
    is_diner_side,
    may_confirm,
    person_of,
    sees_address,
)
from yishiting.common.errors import DomainError, NotFound
from yishiting.common.masking import mask_address
from yishiting.common.rules import has_perm

router = Router(tags=["幸福食堂"])
OS = OrderStatus


def _actions(user, o: MealOrder) -> list[str]:
    staff, delivery = is_canteen_staff(user, o.canteen), o.fulfilment == Fulfilment.DELIVERY
    return [name for name, allowed in [
        ("cancel", is_diner_side(user, o) and o.status == OS.PLACED), ("accept", staff and o.status == OS.PLACED),
        ("reject", staff and o.status == OS.PLACED),
        ("assign", staff and delivery and o.status in (OS.ACCEPTED, OS.ASSIGNED)),
        ("serve", staff and not delivery and o.status == OS.ACCEPTED),
        ("deliver", (is_courier(user, o) or staff) and o.status == OS.ASSIGNED),
        ("confirm", may_confirm(user, o) and o.status == OS.DELIVERED)] if allowed]


def order_out(user, o: MealOrder) -> dict:
    return {"id": o.pk, "number": o.number, "canteen": o.canteen.name, "item": o.item.name, "day": o.day, "meal": o.meal,
            "fulfilment": o.fulfilment, "status": o.status, "status_label": str(o.get_status_display()),
            "diner": str(o.diner), "address": o.address if sees_address(user, o) else mask_address(o.address),
            "listed_price": o.listed_price, "paid_price": o.paid_price, "given_up": o.given_up, "rule": o.rule_name,
            "courier": str(o.courier) if o.courier_id else None, "rating": o.rating, "placed_at": o.placed_at,
            "actions": _actions(user, o)}


@router.get("/menu", response={200: list[MealItemOut], **COMMON_ERRORS}, summary="可点的菜单")
def menu(request: HttpRequest, query: Query[MenuQuery]):
    """调用者可点餐的食堂当天的菜单，附按优惠规则计算的本人价格。"""
    user = actor(request)
    places = list(selectors.canteens_to_order_at(user)[:50])
    items = [i for group in selectors.menus_for(places, query.day or timezone.localdate()).values() for i in group]
    names = {c.pk: c.name for c in places}
    prices = prices_for(person_of(user), items)
    return [{"id": i.pk, "canteen_id": i.canteen_id, "canteen": names[i.canteen_id], "day": i.day, "meal": i.meal,
             "name": i.name, "price": i.price, "my_price": prices[i.pk].paid, "left": i.left,
             "rule": prices[i.pk].rule.name if prices[i.pk].rule else None} for i in items]


@router.post("/orders", response={201: MealOrderOut, **WRITE_ERRORS}, summary="点餐")
def order_place(request: HttpRequest, payload: MealOrderIn):
    """价格按下单时的优惠规则计算并固定在订单上；工作人员可凭身份证号为本辖区老人、儿童代点。"""
    user = actor(request)
    item = visible_or_404(MenuItem.objects.select_related("canteen")
                          .filter(canteen__in=selectors.canteens_to_order_at(user)), payload.item, "找不到该菜品。")
    diner = None
    if payload.diner_id_number:
        number = clean_id_number(payload.diner_id_number)
        diner = Person.objects.filter(id_number=number).first()
        if diner is None or not has_perm(user, "canteens.order_for", diner):
            raise DomainError("diner_not_found", "本辖区没有登记这个身份证号的居民。", details={"field": "diner_id_number"})
    order = canteens.order_place(actor=user, item=item, diner=diner, fulfilment=payload.fulfilment,
                                 address=payload.address, note=payload.note)
    return Status(201, order_out(user, selectors.orders_visible_to(user).get(pk=order.pk)))


@router.get("/orders", response={200: page_of(MealOrderOut), **COMMON_ERRORS}, summary="助餐订单")
def orders(request: HttpRequest, query: Query[MealOrderQuery]):
    user = actor(request)
    rows = selectors.orders_of(person_of(user)) if query.mine else selectors.orders_visible_to(user)
    if query.status:
        rows = rows.filter(status=query.status)
    page = paginate(rows.order_by("-placed_at", "-pk"), query)
    page["items"] = [order_out(user, o) for o in page["items"]]
    return page


@router.get("/orders/{int:order_id}", response={200: MealOrderOut, **COMMON_ERRORS}, summary="一张订单")
def order_detail(request: HttpRequest, order_id: int):
    user = actor(request)
    return order_out(user, visible_or_404(selectors.orders_visible_to(user), order_id, "找不到该订单。"))


@router.post("/orders/{int:order_id}/{action}", response={200: MealOrderOut, **WRITE_ERRORS}, summary="处理订单")
def order_action(request: HttpRequest, order_id: int, action: str, payload: ActionIn):
    """cancel 取消（接单前）、accept 接单、reject 无法接单、assign 派给志愿者（courier）、serve 出餐、deliver 送达、
    confirm 确认收餐（rating 可选）。确认送餐时记一条 canteens.delivery_confirmed 事件。"""
    user = actor(request)
    o = visible_or_404(selectors.orders_visible_to(user), order_id, "找不到该订单。")
    simple = {"cancel": canteens.order_cancel, "accept": canteens.order_accept, "reject": canteens.order_reject,
              "serve": canteens.order_serve, "deliver": canteens.order_deliver}
    if action in simple:
        simple[action](actor=user, order=o)
    elif action == "assign":
        courier = visible_or_404(canteens.couriers_for(o.canteen), payload.courier, "找不到该志愿者。")
        canteens.order_assign(actor=user, order=o, courier=courier)
    elif action == "confirm":
        canteens.order_confirm(actor=user, order=o, rating=payload.rating, comment=payload.comment)
    else:
        raise NotFound("没有这个操作。")
    return order_out(user, selectors.orders_visible_to(user).get(pk=o.pk))


@router.get("/{int:canteen_id}/counts", response={200: CountsOut, **COMMON_ERRORS}, summary="食堂当日统计")
def counts(request: HttpRequest, canteen_id: int, query: Query[CountsQuery]):
    user = actor(request)
    require(user, "canteens.work")
    canteen = visible_or_404(selectors.canteens_worked_by(user), canteen_id, "找不到该食堂。")
    day = query.day or timezone.localdate()
    c = selectors.daily_counts(canteen, day)
    return {"day": day, "orders": c.orders, "by_meal": c.by_meal, "by_fulfilment": c.by_fulfilment,
            "deliveries": c.deliveries, "delivered": c.delivered, "listed": c.listed, "paid": c.paid,
            "given_up": c.given_up}


@router.get("/ledger", response={200: list[LedgerTotalOut], **COMMON_ERRORS}, summary="助餐让利台账（月）")
def ledger(request: HttpRequest, query: Query[LedgerQuery]):
    """辖区内每个食堂本月（或 month）已接单订单的标价合计、个人支付、食堂让利。"""
    user = actor(request)
    require(user, "canteens.ledger")
    try:
        month = date.fromisoformat(f"{query.month}-01") if query.month else timezone.localdate().replace(day=1)
    except ValueError:
        raise DomainError("invalid_month", "月份应为 YYYY-MM。", details={"field": "month"}) from None
    return [{"canteen_id": t.canteen.pk, "canteen": t.canteen.name, "orders": t.orders, "discounted": t.discounted,
             "listed": t.listed, "paid": t.paid, "given_up": t.given_up} for t in selectors.ledger_totals(user, month)]
