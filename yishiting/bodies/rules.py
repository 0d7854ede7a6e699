"""Who may see and keep the standing bodies (scope kinds in common/rules.py).

Community staff and the community secretary keep the bodies of their subtree (create them, seat and unseat
members); street and district officials and everyone who works for an area (grid workers, building heads …)
read the bodies of their subtree; residents and other members of a community see its bodies and their public
membership (names masked as docs/masking.md says)."""

from __future__ import annotations

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, STAFF
from yishiting.common.rules import ScopeKind, has_perm, register

S, C = ScopeKind.SUBTREE, ScopeKind.COMMUNITY
# The grid and building roles work inside a community and often sit in its bodies: they see all of its bodies.
NEIGHBOURHOOD = {role: C for role in (Role.GRID_WORKER, Role.GRID_LEADER, Role.SECTOR_HEAD, Role.ZONE_HEAD,
                                      Role.BUILDING_HEAD, Role.UNIT_HEAD)}

BODIES_VIEW = register("bodies.view", "查看议事组织及其成员",  # zh-only: API /me label
                       {**MEMBERS, **STAFF, **NEIGHBOURHOOD, Role.REGISTRANT: C})
BODIES_MANAGE = register("bodies.manage", "设立议事组织、调整成员",  # zh-only: API /me label
                         {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S})


def may_view(user, obj=None) -> bool:
    return has_perm(user, "bodies.view", obj)


def may_manage(user, obj=None) -> bool:
    """Create a body at an area, or change a body's members: community staff and secretary of its subtree."""
    return has_perm(user, "bodies.manage", obj)
