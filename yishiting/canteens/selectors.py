"""Reads of the 幸福食堂 for pages and the API: what a resident may order today, the canteen's board and its
daily counts, a courier's deliveries, eligibility registrations, and the subsidy ledger (per order and per month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Q, QuerySet, Sum, When

from yishiting.common.rules import scope_for

from .choices import Fulfilment, Meal, OrderStatus
from .models import Canteen, EligibilityRegistration, MealOrder, MenuItem
from .rules import person_of

OS = OrderStatus
# What the ledger counts: orders the canteen accepted (a cancelled or declined order gave nothing up).
LEDGER = [OS.ACCEPTED, OS.ASSIGNED, OS.DELIVERED, OS.SERVED, OS.CONFIRMED]
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Sums in yuan with two decimals (SQLite's SUM drops the column's scale)."""
    return Decimal(str(value or 0)).quantize(CENT)


MEAL_ORDER = Case(When(meal=Meal.LUNCH, then=0), default=1)  # lunch before dinner
ORDER_RELATED = ("canteen", "item", "diner", "placed_by", "courier")


def canteens_to_order_at(user) -> QuerySet[Canteen]:
    """Open canteens of the user's community (residents), and of the area they may order for others in."""
    q = scope_for(user, "canteens.order").q() | scope_for(user, "canteens.order_for").q()
    return Canteen.objects.filter(q, is_active=True).select_related("area", "operator")


def canteens_worked_by(user) -> QuerySet[Canteen]:
    return Canteen.objects.filter(scope_for(user, "canteens.work").q()).select_related("area")


def menu_of(canteen: Canteen, day: date) -> QuerySet[MenuItem]:
    return canteen.menu.filter(day=day).order_by(MEAL_ORDER, "pk")


def menus_for(canteens: list[Canteen], day: date) -> dict[int, list[MenuItem]]:
    """Each canteen's dishes of the day, in one query."""
    found: dict[int, list[MenuItem]] = {c.pk: [] for c in canteens}
    for item in MenuItem.objects.filter(canteen__in=canteens, day=day).order_by(MEAL_ORDER, "pk"):
        found[item.canteen_id].append(item)
    return found


def orders_of(person) -> QuerySet[MealOrder]:
    """A person's own orders and those they placed for someone else."""
    if person is None:
        return MealOrder.objects.none()
    return MealOrder.objects.filter(Q(diner=person) | Q(placed_by=person)).select_related(*ORDER_RELATED)


def orders_visible_to(user) -> QuerySet[MealOrder]:
    """The diner's side, the courier, the canteen's staff, and the ledger's readers (who see no address)."""
    person = person_of(user)
    q = scope_for(user, "canteens.work").q() | scope_for(user, "canteens.ledger").q()
    if person is not None:
        q |= Q(diner=person) | Q(placed_by=person) | Q(courier=person)
    return MealOrder.objects.filter(q).select_related(*ORDER_RELATED)


def board(canteen: Canteen, day: date) -> QuerySet[MealOrder]:
    """The day's orders: those waiting for the canteen first, then those under way, then the finished ones."""
    rank = Case(When(status=OS.PLACED, then=0), When(status__in=[OS.ACCEPTED, OS.ASSIGNED, OS.DELIVERED], then=1),
                default=2)
    return (MealOrder.objects.filter(canteen=canteen, day=day).select_related(*ORDER_RELATED)
            .order_by(rank, MEAL_ORDER, "placed_at", "pk"))


def deliveries_of(person) -> QuerySet[MealOrder]:
    if person is None:
        return MealOrder.objects.none()
    return (MealOrder.objects.filter(courier=person).select_related(*ORDER_RELATED)
            .order_by("status", "-day", "-placed_at"))


@dataclass
class DailyCounts:
    orders: int
    by_status: dict[str, int]
    by_meal: dict[str, int]
    by_fulfilment: dict[str, int]
    deliveries: int
    delivered: int
    listed: Decimal
    paid: Decimal

    @property
    def given_up(self) -> Decimal:
        return self.listed - self.paid


def daily_counts(canteen: Canteen, day: date) -> DailyCounts:
    """Orders of the day (not cancelled or declined) by meal and by how they are eaten, the deliveries, and the
    money: two queries."""
    live = MealOrder.objects.filter(canteen=canteen, day=day).exclude(status__in=[OS.CANCELLED, OS.REJECTED])
    by_status = dict(MealOrder.objects.filter(canteen=canteen, day=day).values_list("status")
                     .annotate(n=Count("pk")).values_list("status", "n"))
    rows = list(live.values("meal", "fulfilment").annotate(n=Count("pk"), listed=Sum("listed_price"), paid=Sum("paid_price")))
    by_meal = {m: sum(r["n"] for r in rows if r["meal"] == m) for m in Meal.values}
    by_fulfilment = {f: sum(r["n"] for r in rows if r["fulfilment"] == f) for f in Fulfilment.values}
    zero = Decimal("0.00")
    return DailyCounts(
        orders=sum(r["n"] for r in rows), by_status=by_status, by_meal=by_meal, by_fulfilment=by_fulfilment,
        deliveries=by_fulfilment[Fulfilment.DELIVERY],
        delivered=by_status.get(OS.DELIVERED, 0) + by_status.get(OS.CONFIRMED, 0),
        listed=money(sum((r["listed"] or zero for r in rows), zero)), paid=money(sum((r["paid"] or zero for r in rows), zero)))


def registrations_visible_to(user) -> QuerySet[EligibilityRegistration]:
    return (EligibilityRegistration.objects.filter(scope_for(user, "canteens.eligibility").q())
            .select_related("person", "registered_by", "verified_by"))


# ---- the subsidy ledger ----------------------------------------------------------------------------------------

def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def ledger_orders(user, month: date) -> QuerySet[MealOrder]:
    """The month's accepted orders in the reader's scope, each with what the canteen gave up and the person paid."""
    first, after = month_bounds(month)
    return (MealOrder.objects.filter(scope_for(user, "canteens.ledger").q(), status__in=LEDGER,
                                     day__gte=first, day__lt=after)
            .select_related("canteen", "item", "diner").order_by("day", "canteen_id", "pk"))


@dataclass
class MonthTotal:
    canteen: Canteen
    orders: int
    discounted: int
    listed: Decimal
    paid: Decimal

    @property
    def given_up(self) -> Decimal:
        return self.listed - self.paid


def ledger_totals(user, month: date) -> list[MonthTotal]:
    """Per canteen: orders, discounted orders, listed total, paid by the people, given up by the canteen."""
    rows = (ledger_orders(user, month).order_by().values("canteen")
            .annotate(n=Count("pk"), discounted=Count("pk", filter=Q(paid_price__lt=F("listed_price"))),
                      listed=Sum("listed_price"), paid=Sum("paid_price")))
    canteens = Canteen.objects.select_related("area").in_bulk([r["canteen"] for r in rows])
    return sorted((MonthTotal(canteens[r["canteen"]], r["n"], r["discounted"], money(r["listed"]), money(r["paid"]))
                   for r in rows),
                  key=lambda t: (t.canteen.path, t.canteen.pk))


def diner_pool(user):
    """Whom staff may order a meal for (an elder, a child): people where they hold canteens.order_for — the people
    picker searches it (name, mobile or room)."""
    from yishiting.areas.models import Person
    from yishiting.common.rules import scope_for

    return Person.objects.filter(scope_for(user, "canteens.order_for").q("path")).select_related("household", "area")
