"""Writes of the 幸福食堂: placing, cancelling and handling meal orders, and eligibility registrations. Each
service is one transaction; status changes go through common.transitions (transitions.py) and append an event.
A confirmed delivery appends `canteens.delivery_confirmed` (the contract in docs/canteens.md) for the ledgers."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Person, RoleAssignment
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify, notify_many

from .choices import REGISTERED, Fulfilment, OrderStatus, RegistrationStatus
from .models import Canteen, DiscountRule, EligibilityRegistration, MealOrder, MenuItem
from .pricing import price_for
from .rules import is_canteen_staff, is_courier, is_diner_side, may_confirm, person_of
from .transitions import COUNTED, ORDER_TRANSITIONS, REGISTRATION_TRANSITIONS

OS, RS = OrderStatus, RegistrationStatus
DELIVERY_CONFIRMED = "canteens.delivery_confirmed"


def _link(order: MealOrder) -> str:
    return f"/canteens/orders/{order.pk}/"


def _names(order: MealOrder) -> dict[str, str]:
    return {"canteen": order.canteen.name, "dish": order.item.name, "number": order.number}


def _actor_person(actor) -> Person | None:
    return person_of(actor) if actor is not None else None


# ---- placing an order ----------------------------------------------------------------------------------------

def _check_orderer(actor, canteen: Canteen, diner: Person) -> None:
    """A resident orders for themselves at their community's canteen; staff order for a person of their area."""
    if actor is None:
        return
    own = _actor_person(actor)
    if own is not None and own.pk == diner.pk:
        if not has_perm(actor, "canteens.order", canteen):
            raise PermissionDeniedError(gettext("只能在本社区的幸福食堂点餐。"))
    elif not has_perm(actor, "canteens.order_for", diner):
        raise PermissionDeniedError(gettext("只能为本辖区的居民代点餐。"))


def _check_open(canteen: Canteen, item: MenuItem, now: datetime) -> None:
    local = timezone.localtime(now)
    if not canteen.is_active:
        raise DomainError("canteen_closed", gettext("该食堂暂停营业。"))
    if item.day < local.date() or (item.day == local.date() and local.time() > canteen.cutoff(item.meal)):
        raise DomainError("ordering_closed", gettext("这一餐已过点餐截止时间。"), details={"field": "item"})


def _check_fulfilment(canteen: Canteen, fulfilment: str, address: str) -> str:
    if fulfilment not in Fulfilment.values:
        raise DomainError("invalid_choice", gettext("请选择用餐方式。"), details={"field": "fulfilment"})
    if fulfilment != Fulfilment.DELIVERY:
        return ""
    if not canteen.delivers:
        raise DomainError("no_delivery", gettext("该食堂不提供送餐。"), details={"field": "fulfilment"})
    address = (address or "").strip()
    if not address:
        raise DomainError("address_required", gettext("送餐上门请填写地址。"), details={"field": "address"})
    return address[:200]


def _take_portion(canteen: Canteen, item: MenuItem, diner: Person) -> None:
    """Lock the canteen (orders of one canteen queue here: the per-meal capacity is a count), then take one
    portion with a conditional update: of two orders for the last portion, exactly one gets it."""
    Canteen.objects.select_for_update().filter(pk=canteen.pk).first()
    same_meal = MealOrder.objects.filter(canteen=canteen, day=item.day, meal=item.meal, status__in=COUNTED)
    if same_meal.filter(diner=diner).exists():
        raise DomainError("already_ordered", gettext("这一餐已经为该用餐人点过了。"), details={"field": "item"})
    if canteen.meal_capacity is not None and same_meal.count() >= canteen.meal_capacity:
        raise DomainError("meal_full", gettext("这一餐的接单数已满。"), details={"field": "item"})
    taken = MenuItem.objects.filter(pk=item.pk, ordered__lt=F("portions")).update(ordered=F("ordered") + 1)
    if not taken:
        raise DomainError("sold_out", gettext("该菜品已订完。"), details={"field": "item"})


@transaction.atomic
def order_place(*, actor, item: MenuItem, fulfilment: str, diner: Person | None = None, address: str = "",
                note: str = "", now: datetime | None = None) -> MealOrder:
    """居民点单 (placed → 待接单): the price is computed now by the rules in force on the meal's day and frozen."""
    canteen = item.canteen
    diner = diner or _actor_person(actor)
    if diner is None:
        raise DomainError("no_person", gettext("您的账号尚未关联居民信息。"))
    _check_orderer(actor, canteen, diner)
    _check_open(canteen, item, now or timezone.now())
    address = _check_fulfilment(canteen, fulfilment, address)
    _take_portion(canteen, item, diner)
    price = price_for(diner, canteen, item.price, item.day)
    placed_by = _actor_person(actor) or diner
    order = MealOrder.objects.create(
        number=f"SC{item.day:%y%m%d}{uuid.uuid4().hex[:6].upper()}", canteen=canteen, path=canteen.path, item=item,
        day=item.day, meal=item.meal, diner=diner, placed_by=placed_by, fulfilment=fulfilment, address=address,
        note=(note or "").strip()[:200], listed_price=price.listed, paid_price=price.paid, rule=price.rule,
        rule_name=price.rule.name if price.rule else "")
    event_append(subject=order, kind="canteens.order_placed", actor=actor, new_subject=True, payload={
        "canteen": canteen.pk, "item": item.pk, "fulfilment": fulfilment, "listed": price.listed,
        "paid": price.paid, "rule": price.rule.pk if price.rule else None})
    return order


def _release(order: MealOrder) -> None:
    MenuItem.objects.filter(pk=order.item_id, ordered__gt=0).update(ordered=F("ordered") - 1)


@transaction.atomic
def order_cancel(*, actor, order: MealOrder) -> MealOrder:
    """待接单 → 已取消, by the diner's side, only before the canteen accepts; the portion goes back."""
    if actor is not None and not is_diner_side(actor, order):
        raise PermissionDeniedError()
    order = transition(order, to=OS.CANCELLED, actor=actor, table=ORDER_TRANSITIONS)
    _release(order)
    return order


# ---- the canteen's side ------------------------------------------------------------------------------------

def _staff_only(actor, order: MealOrder) -> None:
    if actor is not None and not is_canteen_staff(actor, order.canteen):
        raise PermissionDeniedError()


@transaction.atomic
def order_accept(*, actor, order: MealOrder) -> MealOrder:
    """食堂接单: 待接单 → 已接单."""
    _staff_only(actor, order)
    order = transition(order, to=OS.ACCEPTED, actor=actor, table=ORDER_TRANSITIONS, expected=OS.PLACED,
                       changes={"accepted_at": timezone.now()})
    notify(person=order.diner, text=gettext("您在%(canteen)s点的%(dish)s已接单。") % _names(order), link=_link(order),
           subject=order, sms=False)
    return order


@transaction.atomic
def order_reject(*, actor, order: MealOrder) -> MealOrder:
    """待接单 → 未接单 (the kitchen cannot make it); the portion goes back."""
    _staff_only(actor, order)
    order = transition(order, to=OS.REJECTED, actor=actor, table=ORDER_TRANSITIONS, expected=OS.PLACED)
    _release(order)
    notify(person=order.diner, text=gettext("很抱歉，%(canteen)s未能接下您点的%(dish)s。") % _names(order),
           link=_link(order), subject=order, sms=False)
    return order


def couriers_for(canteen: Canteen):
    """People who may deliver for this canteen: 志愿者 of its community (a volunteers team can narrow this later)."""
    prefix = canteen.path[:community_depth() * PATH_STEP]
    ids = RoleAssignment.objects.filter(role=Role.VOLUNTEER, is_active=True, path__startswith=prefix).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")


@transaction.atomic
def order_assign(*, actor, order: MealOrder, courier: Person, team_id: int | None = None) -> MealOrder:
    """志愿送餐: 已接单 → 配送中 with a volunteer of the canteen's community (配送中 → 配送中 replaces the courier).
    `team_id` records the volunteers team the courier went for (the seam for the volunteers app)."""
    _staff_only(actor, order)
    if order.fulfilment != Fulfilment.DELIVERY:
        raise DomainError("not_delivery", gettext("这一单不需要送餐。"))
    if not couriers_for(order.canteen).filter(pk=courier.pk).exists():
        raise DomainError("not_a_volunteer", gettext("请选择本社区的志愿者送餐。"), details={"field": "courier"})
    order = transition(order, to=OS.ASSIGNED, actor=actor, table=ORDER_TRANSITIONS,
                       changes={"courier": courier, "courier_team_id": team_id}, payload={"courier": courier.pk})
    notify(person=courier, text=gettext("请为%(canteen)s送餐：%(dish)s（%(number)s）。") % _names(order),
           link=_link(order), subject=order, sms=True)
    return order


@transaction.atomic
def order_serve(*, actor, order: MealOrder) -> MealOrder:
    """堂食 or 自取 handed over: 已接单 → 已取餐."""
    _staff_only(actor, order)
    if order.fulfilment == Fulfilment.DELIVERY:
        raise DomainError("is_delivery", gettext("送餐的订单由志愿者送达。"))
    return transition(order, to=OS.SERVED, actor=actor, table=ORDER_TRANSITIONS, expected=OS.ACCEPTED,
                      changes={"delivered_at": timezone.now()})


@transaction.atomic
def order_deliver(*, actor, order: MealOrder) -> MealOrder:
    """The courier (or the canteen's staff) marks it delivered: 配送中 → 已送达."""
    if actor is not None and not (is_courier(actor, order) or is_canteen_staff(actor, order.canteen)):
        raise PermissionDeniedError()
    order = transition(order, to=OS.DELIVERED, actor=actor, table=ORDER_TRANSITIONS, expected=OS.ASSIGNED,
                       changes={"delivered_at": timezone.now()})
    notify(person=order.diner, text=gettext("您的%(dish)s已送达，请确认收餐并评价送餐志愿者。") % _names(order), link=_link(order),
           subject=order, sms=False)
    return order


@transaction.atomic
def order_confirm(*, actor, order: MealOrder, rating: int | None = None, comment: str = "") -> MealOrder:
    """The diner (or staff for them) confirms receipt, optionally rating the courier: 已送达 → 已确认收餐, and one
    `canteens.delivery_confirmed` event whose earner is the courier (the ledgers turn it into points)."""
    if actor is not None and not may_confirm(actor, order):
        raise PermissionDeniedError()
    if rating is not None and rating not in range(1, 6):
        raise DomainError("invalid_rating", gettext("评分应为 1 到 5 星。"), details={"field": "rating"})
    order = transition(order, to=OS.CONFIRMED, actor=actor, table=ORDER_TRANSITIONS, expected=OS.DELIVERED,
                       changes={"confirmed_at": timezone.now(), "rating": rating,
                                "rating_comment": (comment or "").strip()[:200]})
    earner = {"person": order.courier_id, **({"rating": rating} if rating is not None else {})}
    event_append(subject=order, kind=DELIVERY_CONFIRMED, actor=actor,
                 payload={"area": order.canteen.area_id, "earners": [earner]})
    return order


@transaction.atomic
def order_complain(*, actor, order: MealOrder, text: str) -> MealOrder:
    """The diner (or staff for them) says something is wrong with a delivered meal (not received, cold, wrong
    dish): the order stays 已送达 and is no longer confirmed automatically; the canteen's staff are told."""
    if not may_confirm(actor, order):
        raise PermissionDeniedError()
    text = (text or "").strip()
    if not text:
        raise DomainError("complaint_required", gettext("请写下遇到的问题。"), details={"field": "text"})
    locked = MealOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status != OS.DELIVERED:
        raise Conflict("stale_state", gettext("只有已送达、未确认的订单可以反映问题。"))
    locked.complaint = text[:200]
    locked.save(update_fields=["complaint"])
    event_append(subject=locked, kind="canteens.delivery_complained", actor=actor, payload={"text": locked.complaint})
    staff = RoleAssignment.objects.filter(role=Role.CANTEEN_STAFF, is_active=True,
                                          path__in=_paths_up(locked.canteen.path)).select_related("person")
    notify_many(people=list({r.person for r in staff}), link=_link(locked), subject=locked, sms=False,
                text=gettext("订单 %(number)s 的用餐人反映：%(text)s") % {"number": locked.number, "text": locked.complaint})
    order.complaint = locked.complaint
    return locked


def _paths_up(path: str) -> list[str]:
    """The path and each of its ancestors' (canteen staff hold the role at the canteen's area or above)."""
    return [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def orders_auto_confirm(*, now: datetime) -> int:
    """`yishiting tick`: deliveries nobody confirmed nor complained about within the canteen's hours are
    confirmed (no rating: the courier's recognition without stars), each in its own transaction; one confirmed
    meanwhile by the diner is left alone. Returns how many were confirmed."""
    done = 0
    for canteen in Canteen.objects.filter(auto_confirm_hours__isnull=False):
        due = MealOrder.objects.filter(canteen=canteen, status=OS.DELIVERED, complaint="",
                                       delivered_at__lte=now - timedelta(hours=canteen.auto_confirm_hours))
        for order in due.order_by("pk"):
            try:
                _auto_confirm(order, canteen.auto_confirm_hours)
            except Conflict:
                continue
            done += 1
    return done


@transaction.atomic
def _auto_confirm(order: MealOrder, hours: int) -> None:
    order = transition(order, to=OS.CONFIRMED, actor=None, table=ORDER_TRANSITIONS, expected=OS.DELIVERED,
                       payload={"auto": True, "hours": hours}, changes={"confirmed_at": timezone.now()})
    event_append(subject=order, kind=DELIVERY_CONFIRMED, actor=None,
                 payload={"area": order.canteen.area_id, "earners": [{"person": order.courier_id}], "auto": True})


# ---- eligibility registrations ---------------------------------------------------------------------------------

@transaction.atomic
def registration_file(*, actor, person: Person, eligibility: str, note: str = "",
                      valid_until: date | None = None) -> EligibilityRegistration:
    """Community staff register a status the record cannot show (留守儿童, 低保, 残疾): 待核实."""
    if eligibility not in REGISTERED:
        raise DomainError("invalid_choice", gettext("请选择身份类别。"), details={"field": "eligibility"})
    if actor is not None and not has_perm(actor, "canteens.eligibility", person):
        raise PermissionDeniedError(gettext("只能为本辖区的居民登记。"))
    if EligibilityRegistration.objects.filter(person=person, eligibility=eligibility,
                                              status__in=[RS.PENDING, RS.VERIFIED]).exists():
        raise DomainError("already_registered", gettext("此人已有该类别的登记。"), details={"field": "eligibility"})
    registration = EligibilityRegistration.objects.create(
        person=person, eligibility=eligibility, path=person.path, note=(note or "").strip()[:200],
        valid_until=valid_until, registered_by=_actor_person(actor))
    event_append(subject=registration, kind="canteens.eligibility_filed", actor=actor, new_subject=True,
                 payload={"person": person.pk, "eligibility": eligibility, "valid_until": valid_until})
    return registration


def _decide(actor, registration: EligibilityRegistration, to: str, **changes) -> EligibilityRegistration:
    if actor is not None and not has_perm(actor, "canteens.eligibility", registration):
        raise PermissionDeniedError()
    return transition(registration, to=to, actor=actor, table=REGISTRATION_TRANSITIONS, changes=changes or None)


@transaction.atomic
def registration_verify(*, actor, registration: EligibilityRegistration) -> EligibilityRegistration:
    """待核实 → 已核实, recording who verified it and when; from now on the discount applies."""
    return _decide(actor, registration, RS.VERIFIED, verified_by=_actor_person(actor), verified_at=timezone.now())


@transaction.atomic
def registration_reject(*, actor, registration: EligibilityRegistration) -> EligibilityRegistration:
    """待核实 → 未通过."""
    return _decide(actor, registration, RS.REJECTED, verified_by=_actor_person(actor), verified_at=timezone.now())


@transaction.atomic
def registration_revoke(*, actor, registration: EligibilityRegistration) -> EligibilityRegistration:
    """已核实 → 已撤销: orders placed from now on pay the listed price (earlier orders keep their frozen price)."""
    return _decide(actor, registration, RS.REVOKED)


# ---- the back office: canteens, menus, discount rules ------------------------------------------------------------

@transaction.atomic
def setting_save(*, actor, obj: Canteen | MenuItem | DiscountRule) -> Canteen | MenuItem | DiscountRule:
    """Save a canteen, a dish of a day's menu or a discount rule from the back office, with its event (the price
    history a ledger question goes back to). A dish may not offer fewer portions than are already ordered."""
    if isinstance(obj, MenuItem) and obj.pk:
        ordered = MenuItem.objects.select_for_update().values_list("ordered", flat=True).get(pk=obj.pk)
        if obj.portions < ordered:
            raise DomainError("portions_below_ordered", gettext("份数不能少于已订份数（%(n)s 份）。") % {"n": ordered},
                              details={"field": "portions"})
    created = obj.pk is None
    if isinstance(obj, MenuItem) and not created:  # `ordered` moves only by orders (a stale copy must not reset it)
        obj.save(update_fields=[f.name for f in obj._meta.concrete_fields if f.name not in ("id", "ordered")])
        obj.ordered = ordered
    else:
        obj.save()
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname != "id"}
    event_append(subject=obj, kind=f"canteens.{obj._meta.model_name}_saved", actor=actor, new_subject=created,
                 payload=fields)
    return obj
