"""Who may see hot spots and set plans (scope kinds in common/rules.py).

- `oversight.hotspots`  those who work for an area (grid workers up to district officials) see the demands of
                        their subtree on a plan; residents never see a plan with demands on it (their own demand
                        form shows the bare plan only).
- `oversight.plans`     community staff and secretaries upload an area's plan and set its reference points;
                        admins (and superusers) everywhere.
"""
# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.

from __future__ import annotations

from yishiting.areas.choices import Role
from yishiting.areas.rules import STAFF
from yishiting.common.rules import ScopeKind, has_perm, register, scope_for

S = ScopeKind.SUBTREE

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
