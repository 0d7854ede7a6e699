"""Who may see and run a 党建联盟 (scope kinds in common/rules.py).

The liaison office (联络办) is the community staff and secretary of the alliance's area (a street official for a
business district at street level): they found the alliance, review applications, open the assembly's votes, sort
and assign tasks, record meetings and propose ratings. Everyone of the area (residents, staff) sees the public side:
the members, the adopted 盟约, committees and tasks. The internals — applications, clause comments, votes,
minutes, ratings and letters — are for the office and the member units' liaison party members; people of another
area see none of it."""

from __future__ import annotations

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, STAFF
from yishiting.common.rules import ScopeKind, has_perm, register

S, C = ScopeKind.SUBTREE, ScopeKind.COMMUNITY
# The grid and building roles work inside a community (below the alliance's area): they see its public side.
NEIGHBOURHOOD = {role: C for role in (Role.GRID_WORKER, Role.GRID_LEADER, Role.SECTOR_HEAD, Role.ZONE_HEAD,
                                      Role.BUILDING_HEAD, Role.UNIT_HEAD)}
OFFICE = {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S, Role.STREET_OFFICIAL: S}

ALLIANCES_VIEW = register("alliances.view", "查看党建联盟", {**MEMBERS, **STAFF, **NEIGHBOURHOOD})  # zh-only: API /me label
ALLIANCES_MANAGE = register("alliances.manage", "党建联盟联络办", OFFICE)  # zh-only: API /me label


def may_view(user, obj=None) -> bool:
    return has_perm(user, "alliances.view", obj)


def may_manage(user, obj=None) -> bool:
    return has_perm(user, "alliances.manage", obj)


def liaison_member(user, alliance):
    """The admitted member unit whose liaison party member `user` is (or None)."""
    from yishiting.areas.selectors import person_of_user

    from .choices import MemberStatus

    person = person_of_user(user) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return None
    return alliance.members.filter(liaison=person, status=MemberStatus.ADMITTED).select_related("organization").first()


def may_see_internals(user, alliance) -> bool:
    """Applications, comments, votes, minutes and ratings: the office, or a member unit's liaison party member."""
    return may_manage(user, alliance) or liaison_member(user, alliance) is not None


def may_open(user, alliance) -> bool:
    """The alliance's pages: people of its area, or a member unit's liaison (who may live elsewhere)."""
    return may_view(user, alliance) or liaison_member(user, alliance) is not None
