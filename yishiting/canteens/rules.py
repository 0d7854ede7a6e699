"""Who may do what at a 幸福食堂 (scope kinds in common/rules.py).

Residents (any member role) order at the canteens of their own community; community staff and grid workers order
for an elderly person of their area. 食堂工作人员 run the canteens of the area they hold the role at (and below):
the day's board, accepting, assigning couriers, handing over, the daily counts. A 志愿者 of the community may be
assigned a delivery and sees only their own. Community staff verify eligibility (留守儿童, 低保, 残疾) and, with
street and district officials, read the subsidy ledger of their subtree."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE
from yishiting.common.rules import ScopeKind, active_roles, has_perm, register

S, C = ScopeKind.SUBTREE, ScopeKind.COMMUNITY

ORDER = register("canteens.order", gettext_noop("在本社区幸福食堂点餐"), {**MEMBERS})
ORDER_FOR = register("canteens.order_for", gettext_noop("代老人、儿童点餐"),
                     {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S, Role.GRID_WORKER: S})
WORK = register("canteens.work", gettext_noop("幸福食堂接单、派送、出餐"), {Role.CANTEEN_STAFF: S})
DELIVER = register("canteens.deliver", gettext_noop("志愿送餐"), {Role.VOLUNTEER: C})
ELIGIBILITY = register("canteens.eligibility", gettext_noop("登记和核实助餐优惠身份"),
                       {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S})
LEDGER = register("canteens.ledger", gettext_noop("查看助餐让利台账"), {**OFFICE, Role.CANTEEN_STAFF: S})


def person_of(user):
    """The user's person, kept on the user for the request."""
    from yishiting.areas.selectors import person_for_user

    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_yishiting_person", False)
    if cached is False:
        cached = user._yishiting_person = person_for_user(user)
    return cached


def is_canteen_staff(user, canteen) -> bool:
    """canteens.work on this canteen: 食堂工作人员 at its area or above it (superusers too)."""
    return has_perm(user, "canteens.work", canteen)


def is_diner_side(user, order) -> bool:
    """The diner, or whoever placed the order for them."""
    person = person_of(user)
    return person is not None and person.pk in (order.diner_id, order.placed_by_id)


def is_courier(user, order) -> bool:
    person = person_of(user)
    return person is not None and order.courier_id == person.pk


def may_confirm(user, order) -> bool:
    """The diner (or who ordered for them), or the canteen's staff who saw the diner receive it."""
    return is_diner_side(user, order) or is_canteen_staff(user, order.canteen)


def sees_address(user, order) -> bool:
    """The delivery address is masked except to the canteen's staff, the assigned courier and the diner's side."""
    return is_diner_side(user, order) or is_courier(user, order) or is_canteen_staff(user, order.canteen)


def may_see_order(user, order) -> bool:
    return (is_diner_side(user, order) or is_courier(user, order) or is_canteen_staff(user, order.canteen)
            or has_perm(user, "canteens.ledger", order))


def volunteer_paths(person) -> list[str]:
    """The areas where a person holds 志愿者 (their deliveries may come from canteens in those communities)."""
    from yishiting.areas.models import RoleAssignment

    return list(RoleAssignment.objects.filter(person=person, role=Role.VOLUNTEER, is_active=True)
                .values_list("path", flat=True))


def works_anywhere(user) -> bool:
    return user.is_superuser or any(r.role == Role.CANTEEN_STAFF for r in active_roles(user))


# The back office (canteens, menus, discount rules): admins of the area (and superusers) through the admin site.
MANAGE = register("canteens.manage", gettext_noop("维护幸福食堂、菜单和优惠规则"), {})

# Whoever holds one of these sees the 幸福食堂 in the menu.
CANTEEN_PERMISSIONS = ("canteens.order", "canteens.order_for", "canteens.work", "canteens.deliver", "canteens.eligibility",
                       "canteens.ledger")
