"""Reads of the ledgers: a person's statements, the 积分超市 of their community, pickup codes, the staff's
goods and the communities' totals. Each returns what the page shows with its joins done."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import community_depth
from yishiting.common.rules import scope_for

from .choices import HourKind, PointKind, RedemptionStatus
from .models import Balance, HourEntry, Item, PointEntry, Redemption


def balance_of(person: Person | None) -> Balance:
    found = Balance.objects.filter(person=person).first() if person else None
    return found or Balance(person=person)


def point_statement(person: Person) -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(person=person).select_related("event", "rule", "area").order_by("-created_at", "-id")


def hour_statement(person: Person) -> QuerySet[HourEntry]:
    return HourEntry.objects.filter(person=person).select_related("event", "area").order_by("-created_at", "-id")


def community_path(person: Person | None) -> str | None:
    if person is None or not person.path:
        return None
    depth = community_depth() * 4
    return person.path[:depth] if len(person.path) >= depth else None


def market_of(person: Person | None) -> QuerySet[Item]:
    path = community_path(person)
    if path is None:
        return Item.objects.none()
    return Item.objects.filter(path__startswith=path, is_active=True).order_by("price", "pk")


def redemptions_of(person: Person) -> QuerySet[Redemption]:
    return Redemption.objects.filter(person=person).select_related("item").order_by("-created_at", "-id")


def _scoped(queryset: QuerySet, user, permission: str) -> QuerySet:
    scope = scope_for(user, permission)
    if scope.everything:
        return queryset
    if not scope.paths:
        return queryset.none()
    q = Q()
    for path in scope.paths:
        q |= Q(path__startswith=path)
    return queryset.filter(q)


def items_managed_by(user) -> QuerySet[Item]:
    return _scoped(Item.objects.select_related("community"), user, "ledgers.market_manage").annotate(
        waiting=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.PENDING))).order_by("path", "pk")


def redemptions_managed_by(user) -> QuerySet[Redemption]:
    return _scoped(Redemption.objects.select_related("item", "person"), user, "ledgers.market_manage")


def people_managed_by(user, permission: str) -> QuerySet[Person]:
    return _scoped(Person.objects.all(), user, permission)


def community_totals(user) -> list[dict]:
    """Per community in the user's scope: hours given (deposited) and withdrawn, points earned and redeemed
    (net of returns). Three queries whatever the number of communities (grouped by the path's community part)."""
    width = community_depth() * 4
    communities = list(_scoped(Area.objects.filter(level__depth=community_depth()), user,
                               "ledgers.timebank_manage").order_by("path")[:500])
    paths = [c.path for c in communities]
    hours = {row["c"]: row for row in HourEntry.objects.annotate(c=Substr("path", 1, width)).filter(c__in=paths)
             .values("c").annotate(given=Sum("hours", filter=Q(kind=HourKind.DEPOSITED)),
                                   used=Sum("hours", filter=Q(kind=HourKind.WITHDRAWN)))}
    points = {row["c"]: row for row in PointEntry.objects.annotate(c=Substr("path", 1, width)).filter(c__in=paths)
              .values("c").annotate(earned=Sum("points", filter=Q(kind__in=[PointKind.EARNED, PointKind.AWARDED])),
                                    spent=Sum("points", filter=Q(kind__in=[PointKind.REDEEMED, PointKind.RETURNED])))}
    rows = []
    for community in communities:
        h, p = hours.get(community.path, {}), points.get(community.path, {})
        rows.append({"community": community, "given": h.get("given") or Decimal(0),
                     "withdrawn": -(h.get("used") or Decimal(0)), "earned": p.get("earned") or 0,
                     "redeemed": -(p.get("spent") or 0)})
    return rows


def people_for_staff(user):
    """Whom the staff's award, correction and withdrawal forms may pick: people where they hold any of those
    permissions (the service checks the one the action needs)."""
    where = Q(pk__in=[])
    for permission in ("ledgers.award", "ledgers.correct", "ledgers.timebank_manage"):
        where |= scope_for(user, permission).q("path")
    return Person.objects.filter(where).select_related("household", "area")
