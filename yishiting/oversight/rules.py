"""Who sees which figures of oversight, and who may act on them (scope kinds in common/rules.py).

Hot spots and plans:
- `oversight.hotspots`  those who work for an area (grid workers up to district officials) see the demands of
                        their subtree on a plan; residents never see a plan with demands on it (their own demand
                        form shows the bare plan only).
- `oversight.plans`     community staff and secretaries upload an area's plan and set its reference points;
                        admins (and superusers) everywhere.

堡垒指数 / 先锋指数: street and district officials see every index in their subtree and its rankings; a community
secretary sees the community's own party organisations and members (their rank among the street's communities
included, the other communities not); a party member sees only their own 先锋指数. Residents see none.
"""
# Permission labels are read by the API's /me only: the API answers in Chinese.

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import STAFF
from yishiting.common.rules import ScopeKind, has_perm, register, scope_for

S, OWN = ScopeKind.SUBTREE, ScopeKind.OWN

OVERSIGHT_HOTSPOTS = register("oversight.hotspots", "查看热点分布图", {**STAFF})  # zh-only
OVERSIGHT_PLANS = register("oversight.plans", "上传和设置平面图", {  # zh-only
    Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S})


def may_manage_plan(user, area) -> bool:
    return has_perm(user, OVERSIGHT_PLANS.name, area)


def may_view_plan_hotspots(user, plan) -> bool:
    """The plan covers part of the viewer's scope: its area is in their subtree, or above it (a grid worker sees
    the community's plan with only their grid's demands on it)."""
    scope = scope_for(user, OVERSIGHT_HOTSPOTS.name)
    return scope.covers_path(plan.path) or any(path.startswith(plan.path) for path in scope.paths)


INDEX_OFFICE = {Role.COMMUNITY_SECRETARY: S, Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}
INDEX_MEMBERS = {Role.PARTY_MEMBER: OWN, Role.INSERVICE_PARTY_MEMBER: OWN, Role.CENTRAL_HOUSEHOLD: OWN}

INDICES_VIEW = register("oversight.indices", gettext_noop("查看堡垒指数、先锋指数（党员只见本人）"),
                        {**INDEX_MEMBERS, **INDEX_OFFICE})
INDICES_RANK = register("oversight.indices_rank", gettext_noop("查看堡垒指数、先锋指数排名"), {**INDEX_OFFICE})
INDICES_COMPUTE = register("oversight.indices_compute", gettext_noop("重新计算堡垒指数、先锋指数"),
                           {Role.DISTRICT_OFFICIAL: S})

INDICES_CONFIGURE = register("oversight.indices_configure", gettext_noop("设置堡垒指数、先锋指数的分项和权重"),
                             {Role.DISTRICT_OFFICIAL: S})


def may_view_index(user, snapshot) -> bool:
    """oversight.indices on one snapshot: an official whose subtree holds it, or the member it is about."""
    return has_perm(user, INDICES_VIEW.name, snapshot)


def may_rank(user) -> bool:
    return not scope_for(user, INDICES_RANK.name).empty
