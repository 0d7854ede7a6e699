"""Who may order, dispatch, serve, register and assess (scope kinds in common/rules.py).

Residents order from their own community's menu and rate what they ordered. The community's office staff dispatch
orders, register 双报到 units with their agreements and write the quarterly 考核建议 (street and district officials
see it all and may dispatch too). Serving is not a role grant: a provider person (a party member, a volunteer)
accepts and reports the orders offered to them, and an organisation's orders are the business of its liaison
(单位代表 of that unit). A unit's liaison also sees the unit's agreement and downloads its quarterly report.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, active_roles, has_perm, register

S, C = ScopeKind.SUBTREE, ScopeKind.COMMUNITY
COMMUNITY_OFFICE = {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S}

VIEW = register("participation.view", gettext_noop("查看为民服务菜单和晒单"), {**MEMBERS, **STAFF})
ORDER = register("participation.order", gettext_noop("点单并评价服务"), {**MEMBERS})
ORDER_FOR = register("participation.order_for", gettext_noop("代居民点单（没有手机的老人）"), {**STAFF})
DISPATCH = register("participation.dispatch", gettext_noop("派单、跟踪超时订单"), {**OFFICE})
UNITS = register("participation.units", gettext_noop("登记双报到单位和共建协议、查看报到党员"), {**OFFICE})
ASSESS = register("participation.assess", gettext_noop("填写双报到季度考核建议"), {**COMMUNITY_OFFICE})
REGISTER = register("participation.register", gettext_noop("在职党员到社区报到"),
                    {Role.INSERVICE_PARTY_MEMBER: C, Role.PARTY_MEMBER: C})


def person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def liaison_org_ids(user) -> set[int]:
    """Organisations whose liaison (单位代表) the user is: they act for its provider record and see its report."""
    return {r.organization_id for r in active_roles(user)
            if r.role == Role.ORG_REPRESENTATIVE and r.organization_id is not None}


def provider_ids(user) -> set[int]:
    """The provider records the user acts for: their own, and their organisations' (cached on the user)."""
    from .models import ServiceProvider

    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_yishiting_providers", None)
    if cached is None:
        person, orgs = person_of(user), liaison_org_ids(user)
        q = ServiceProvider.objects.filter(is_active=True)
        own = q.filter(person=person, organization__isnull=True) if person else q.none()
        cached = set(own.values_list("pk", flat=True)) | set(
            q.filter(organization_id__in=orgs, person__isnull=True).values_list("pk", flat=True))
        user._yishiting_providers = cached
    return cached


def is_resident(user, order) -> bool:
    person = person_of(user)
    return person is not None and order.resident_id == person.pk


def may_accept(user, order) -> bool:
    """participation.accept: a provider the order was dispatched to, while nobody has accepted it."""
    from .choices import OrderStatus

    if order.status != OrderStatus.DISPATCHED:
        return False
    mine = provider_ids(user)
    return bool(mine) and order.offered_to.filter(pk__in=mine).exists()


def may_report(user, order) -> bool:
    """participation.report: whoever accepted it, or the liaison of the organisation that did."""
    from .choices import OrderStatus

    if order.status != OrderStatus.ACCEPTED:
        return False
    person = person_of(user)
    return (person is not None and order.served_by_id == person.pk) or order.provider_id in provider_ids(user)


def may_dispatch(user, order) -> bool:
    from .choices import OrderStatus

    return (OrderStatus.DISPATCHED in _next(order)
            and has_perm(user, "participation.dispatch", order))


def may_cancel(user, order) -> bool:
    from .choices import OrderStatus

    return (OrderStatus.CANCELLED in _next(order)
            and (is_resident(user, order) or has_perm(user, "participation.dispatch", order)))


def may_rate(user, order) -> bool:
    from .choices import OrderStatus

    return order.status == OrderStatus.REPORTED and is_resident(user, order)


def may_see_unit(user, registration) -> bool:
    """A unit's agreement, members and reports: the community's office (and above), and the unit's liaison."""
    return has_perm(user, "participation.units", registration) or registration.organization_id in liaison_org_ids(user)


def _next(order) -> set[str]:
    from .transitions import ORDER_TRANSITIONS

    return ORDER_TRANSITIONS[order.status]
