"""Reads of participation, each with its joins done: the menu, orders by who may see them, the providers'
inbox, the staff board, the public showcase, 双报到 units and members, and a unit's quarterly service."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, Q, QuerySet, Sum

from yishiting.areas.models import Area, Person
from yishiting.common.rules import active_roles, scope_for

from .choices import OrderStatus
from .models import (
    Assessment,
    MemberRegistration,
    MenuItem,
    ServiceOrder,
    ServiceProvider,
    ServiceRecord,
    UnitRegistration,
)
from .rules import liaison_org_ids, person_of, provider_ids

S = OrderStatus


def _orders() -> QuerySet[ServiceOrder]:
    return ServiceOrder.objects.select_related("community", "resident", "item", "provider__person",
                                               "provider__organization", "served_by", "placed_by")


def menu_items(community: Area | None) -> QuerySet[MenuItem]:
    if community is None:
        return MenuItem.objects.none()
    return (MenuItem.objects.filter(menu__community=community, menu__is_published=True, is_active=True,
                                    provider__is_active=True)
            .select_related("provider__person", "provider__organization", "area").order_by("title", "pk"))


def orders_of(person) -> QuerySet[ServiceOrder]:
    if person is None:
        return ServiceOrder.objects.none()
    return _orders().filter(resident=person)


def orders_visible_to(user) -> QuerySet[ServiceOrder]:
    """An order is seen by its resident, the providers it was offered to (or who took it), the staff member who
    placed it for the resident, and the staff of its community (participation.dispatch scope)."""
    person = person_of(user)
    q = scope_for(user, "participation.dispatch").q()
    if person is not None:
        q |= Q(resident=person) | Q(served_by=person) | Q(placed_by=person)
    mine = provider_ids(user)
    if mine:
        q |= Q(provider_id__in=mine) | Q(offered_to__in=mine)
    if not q:  # everything (a superuser)
        return _orders()
    return _orders().filter(pk__in=ServiceOrder.objects.filter(q).values("pk"))


def inbox(user) -> QuerySet[ServiceOrder]:
    """A provider's orders: offered and waiting, and taken and not yet reported."""
    mine = provider_ids(user)
    if not mine:
        return ServiceOrder.objects.none()
    waiting = Q(status=S.DISPATCHED, offered_to__in=mine)
    taken = Q(status__in=[S.ACCEPTED, S.REPORTED], provider_id__in=mine)
    return _orders().filter(pk__in=ServiceOrder.objects.filter(waiting | taken).values("pk")).order_by("accept_due", "pk")


def board(user, status: str | None = None) -> QuerySet[ServiceOrder]:
    """The staff's dispatch board: open orders of their scope, those waiting for them first."""
    q = scope_for(user, "participation.dispatch").q()
    rows = _orders().filter(q)
    return rows.filter(status=status) if status else rows.filter(status__in=[S.SUBMITTED, S.ESCALATED, S.DISPATCHED,
                                                                             S.ACCEPTED, S.REPORTED])


def board_counts(user) -> dict[str, int]:
    q = scope_for(user, "participation.dispatch").q()
    rows = ServiceOrder.objects.filter(q).values("status").annotate(n=Count("pk")).order_by()
    return {r["status"]: r["n"] for r in rows}


def providers_of(community: Area) -> QuerySet[ServiceProvider]:
    return (ServiceProvider.objects.filter(community=community, is_active=True)
            .select_related("person", "organization").order_by("kind", "pk"))


def showcase(community: Area | None = None) -> QuerySet[ServiceProvider]:
    """晒单: each provider with their rated services, how many and how well rated."""
    rows = ServiceProvider.objects.filter(is_active=True)
    if community is not None:
        rows = rows.filter(path__startswith=community.path)
    return (rows.annotate(done=Count("orders", filter=Q(orders__status=S.RATED)),
                          stars=Avg("orders__rating", filter=Q(orders__status=S.RATED)))
            .filter(done__gt=0).select_related("person", "organization", "community").order_by("-done", "pk"))


def showcase_orders(provider: ServiceProvider) -> QuerySet[ServiceOrder]:
    return (ServiceOrder.objects.filter(provider=provider, status=S.RATED).select_related("community")
            .prefetch_related("photos").order_by("-rated_at", "-pk"))


def units_visible_to(user) -> QuerySet[UnitRegistration]:
    q = scope_for(user, "participation.units").q()
    orgs = liaison_org_ids(user)
    if orgs:
        q |= Q(organization_id__in=orgs)
    return UnitRegistration.objects.filter(q, is_active=True).select_related("organization", "community")


def unit_members(registration: UnitRegistration) -> QuerySet[MemberRegistration]:
    return (MemberRegistration.objects.filter(unit=registration.organization, community=registration.community,
                                              is_active=True).select_related("person").order_by("pk"))


def members_visible_to(user) -> QuerySet[MemberRegistration]:
    q = scope_for(user, "participation.units").q()
    return MemberRegistration.objects.filter(q, is_active=True).select_related("person", "unit", "community")


def registration_of(person) -> MemberRegistration | None:
    if person is None:
        return None
    return MemberRegistration.objects.filter(person=person, is_active=True).select_related("community", "unit").first()


def records_between(members, first: date, last: date) -> QuerySet[ServiceRecord]:
    return (ServiceRecord.objects.filter(member__in=members, served_on__gte=first, served_on__lte=last)
            .select_related("member__person", "served_person").order_by("member_id", "served_on", "pk"))


def member_totals(members, first: date, last: date) -> dict[int, dict]:
    rows = (ServiceRecord.objects.filter(member__in=members, served_on__gte=first, served_on__lte=last)
            .values("member_id").annotate(n=Count("pk"), hours=Sum("hours"), stars=Avg("rating")).order_by())
    return {r["member_id"]: r for r in rows}


def assessments_for(year: int, quarter: int, units=(), members=()) -> dict[tuple[str, int], Assessment]:
    rows = Assessment.objects.filter(Q(unit__in=units) | Q(member__in=members), year=year, quarter=quarter)
    return {("unit", a.unit_id) if a.unit_id else ("member", a.member_id): a for a in rows}


def records_to_rate(person) -> QuerySet[ServiceRecord]:
    if person is None:
        return ServiceRecord.objects.none()
    return (ServiceRecord.objects.filter(served_person=person, rating__isnull=True)
            .select_related("member__person").order_by("-served_on", "-pk"))


def units_visible_to_member(user) -> QuerySet[UnitRegistration]:
    """The registrations of the units the user works for (their 在职党员 role names the unit)."""
    from yishiting.areas.choices import Role

    org_ids = {r.organization_id for r in active_roles(user)
               if r.role == Role.INSERVICE_PARTY_MEMBER and r.organization_id is not None}
    return UnitRegistration.objects.filter(organization_id__in=org_ids, is_active=True).select_related("organization")


def partner_community(unit) -> Area | None:
    registration = UnitRegistration.objects.filter(organization=unit, is_active=True).select_related("community").first()
    return registration.community if registration else None


def order_for_pool(user):
    """Whom staff may order a service for (an elder without a phone): people where they hold
    participation.order_for — the people picker searches it (name, pinyin, building/unit, the mobile's last
    digits)."""
    return Person.objects.filter(scope_for(user, "participation.order_for").q("path")).select_related("household", "area")


def menu_items_for_staff(user) -> QuerySet[MenuItem]:
    """The published menus' items of the communities where the staff member may order for residents: those in
    their area, and the community a grid worker's estate or building lies in."""
    from yishiting.areas.models import PATH_STEP
    from yishiting.areas.selectors import community_depth

    scope = scope_for(user, "participation.order_for")
    if scope.empty:
        return MenuItem.objects.none()
    where = Q() if scope.everything else (scope.q("menu__community__path") | Q(
        menu__community__path__in={p[: community_depth() * PATH_STEP] for p in scope.paths}))
    return (MenuItem.objects.filter(where, menu__is_published=True, is_active=True, provider__is_active=True)
            .select_related("menu__community").order_by("menu__community__path", "title", "pk"))
