"""幸福食堂 pages for residents and couriers: today's and tomorrow's menus with the price each person pays, placing
an order (staff for an elderly person by ID number), one order with the buttons each side may press, and a
volunteer's deliveries. The canteen's own pages (board, counts, eligibility, ledger) are in canteen_staff.py."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Person
from yishiting.canteens import selectors
from yishiting.canteens import services as canteens
from yishiting.canteens.choices import Fulfilment, OrderStatus
from yishiting.canteens.models import MenuItem
from yishiting.canteens.pricing import price_for, prices_for
from yishiting.canteens.rules import (
    CANTEEN_PERMISSIONS,
    is_canteen_staff,
    is_courier,
    is_diner_side,
    may_confirm,
    person_of,
    sees_address,
)
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_address
from yishiting.common.rules import has_perm

from ..forms.canteens import AssignForm, ComplainForm, ConfirmForm, OrderForForm, OrderForm
from ..guard import idempotent

PAGES = "web/pages/canteens/"
OS = OrderStatus


def _any_canteen_perm(user) -> bool:
    return any(has_perm(user, name) for name in CANTEEN_PERMISSIONS)


@login_required
def canteen_home(request: HttpRequest) -> HttpResponse:
    """Today's (and tomorrow's) menus at the canteens one may order at, with one's own price; one's orders."""
    user = request.user
    if not _any_canteen_perm(user):
        raise PermissionDenied("canteens.order")
    person, today = person_of(user), timezone.localdate()
    places = list(selectors.canteens_to_order_at(user)[:20])
    menus = {day: selectors.menus_for(places, day) for day in (today, today + timedelta(days=1))}
    prices = prices_for(person, [i for by_day in menus.values() for items in by_day.values() for i in items])
    days = [{"day": day, "canteens": [{"canteen": c, "items": [(i, prices[i.pk]) for i in by_day[c.pk]]} for c in places]}
            for day, by_day in menus.items()]
    return render(request, PAGES + "home.html", {
        "days": days, "today": today, "mine": selectors.orders_of(person)[:20],
        "worked": list(selectors.canteens_worked_by(user)[:10]), "may_deliver": has_perm(user, "canteens.deliver"),
        "may_verify": has_perm(user, "canteens.eligibility"), "may_ledger": has_perm(user, "canteens.ledger")})


def _orderable(request: HttpRequest, pk: int) -> MenuItem:
    return get_object_or_404(MenuItem.objects.select_related("canteen").filter(
        canteen__in=selectors.canteens_to_order_at(request.user)), pk=pk)


def _diner(request: HttpRequest, form, item: MenuItem) -> Person | None:
    """The person the meal is for: picked (the picker's pool is the staff's area), by ID number within it, or
    oneself."""
    picked, number = form.cleaned_data.get("diner"), form.cleaned_data.get("diner_id_number")
    if picked is not None:
        return picked
    if not number:
        if not has_perm(request.user, "canteens.order", item.canteen):
            raise DomainError("diner_required", _("请查找并选择用餐人，或填写其身份证号。"), details={"field": "diner"})
        return person_of(request.user)
    diner = Person.objects.filter(id_number=number).first()
    if diner is None or not has_perm(request.user, "canteens.order_for", diner):
        raise DomainError("diner_not_found", _("本辖区没有登记这个身份证号的居民。"),
                          details={"field": "diner_id_number"})
    return diner


@login_required
@idempotent
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _orderable(request, pk)
    for_others = has_perm(request.user, "canteens.order_for")
    form_class = OrderForForm if for_others else OrderForm
    form = form_class(request.POST or None)
    if for_others:
        form.fields["diner"].configure(selectors.diner_pool(request.user))
        form.fields["diner"].answer_posted_search(request.POST or None, "diner", request.user, request=request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = canteens.order_place(actor=request.user, item=item, diner=_diner(request, form, item),
                                         fulfilment=d["fulfilment"], address=d["address"], note=d["note"])
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.code) from None
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已下单，个人支付 %(paid)s 元，等待食堂接单。") % {"paid": order.paid_price})
            return redirect("web:canteen_order", pk=order.pk)
    mine = price_for(person_of(request.user), item.canteen, item.price, item.day) if person_of(request.user) else None
    return render(request, PAGES + "order_new.html", {"item": item, "form": form, "price": mine, "for_others": for_others},
                  status=400 if form.errors else 200)


def _order(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.orders_visible_to(request.user), pk=pk)


@login_required
def order_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    order, user, forms = _order(request, pk), request.user, forms or {}
    staff = is_canteen_staff(user, order.canteen)
    delivery = order.fulfilment == Fulfilment.DELIVERY
    return render(request, PAGES + "order.html", {
        "o": order, "address": order.address if sees_address(user, order) else mask_address(order.address),
        "may_cancel": is_diner_side(user, order) and order.status == OS.PLACED,
        "may_accept": staff and order.status == OS.PLACED,
        "may_assign": staff and delivery and order.status in (OS.ACCEPTED, OS.ASSIGNED),
        "may_serve": staff and not delivery and order.status == OS.ACCEPTED,
        "may_deliver": (is_courier(user, order) or staff) and order.status == OS.ASSIGNED,
        "may_confirm": may_confirm(user, order) and order.status == OS.DELIVERED,
        "assign_form": forms.get("assign") or AssignForm(couriers=canteens.couriers_for(order.canteen)),
        "confirm_form": forms.get("confirm") or ConfirmForm(),
        "may_complain": may_confirm(user, order) and order.status == OS.DELIVERED and not order.complaint,
        "complain_form": forms.get("complain") or ComplainForm()}, status=status)


ACTIONS = {"cancel", "accept", "reject", "assign", "serve", "deliver", "confirm", "complain"}


@require_POST
@login_required
@idempotent
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    order = _order(request, pk)
    form = None
    if action == "assign":
        form = AssignForm(request.POST, couriers=canteens.couriers_for(order.canteen))
    elif action == "confirm":
        form = ConfirmForm(request.POST)
    elif action == "complain":
        form = ComplainForm(request.POST)
    if form is not None and not form.is_valid():
        return order_detail(request, pk, {action: form}, status=400)
    try:
        done = _act(request, order, action, getattr(form, "cleaned_data", {}))
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    return redirect(back) if back.startswith("/canteens/") and "//" not in back else redirect("web:canteen_order", pk=pk)


def _act(request: HttpRequest, order, action: str, d: dict) -> str:
    user = request.user
    if action == "cancel":
        canteens.order_cancel(actor=user, order=order)
        return _("订单已取消。")
    if action == "accept":
        canteens.order_accept(actor=user, order=order)
        return _("已接单。")
    if action == "reject":
        canteens.order_reject(actor=user, order=order)
        return _("已告知用餐人未能接单。")
    if action == "assign":
        courier = get_object_or_404(canteens.couriers_for(order.canteen), pk=d["courier"])
        canteens.order_assign(actor=user, order=order, courier=courier)
        return _("已派给送餐志愿者 %(name)s。") % {"name": courier.name}
    if action == "serve":
        canteens.order_serve(actor=user, order=order)
        return _("已出餐。")
    if action == "deliver":
        canteens.order_deliver(actor=user, order=order)
        return _("已送达，等待用餐人确认。")
    if action == "complain":
        canteens.order_complain(actor=user, order=order, text=d["text"])
        return _("已告知食堂，我们会尽快联系您。")
    canteens.order_confirm(actor=user, order=order, rating=d.get("rating"), comment=d.get("comment", ""))
    return _("已确认收餐，谢谢！")


@login_required
def my_deliveries(request: HttpRequest) -> HttpResponse:
    """志愿送餐: the deliveries given to me, those on the way first (with the full address: I carry the meal)."""
    person = person_of(request.user)
    rows = selectors.deliveries_of(person)
    if not has_perm(request.user, "canteens.deliver") and not rows.exists():
        raise PermissionDenied("canteens.deliver")
    open_rows = [o for o in rows.filter(status=OrderStatus.ASSIGNED)[:50]]
    done = list(rows.exclude(status=OrderStatus.ASSIGNED)[:30])
    return render(request, PAGES + "deliveries.html", {"open": open_rows, "done": done})
