"""Who may blow a whistle, answer it, close it (scope kinds in common/rules.py).

党员群众吹哨、服务中心应哨 (Cenxi); 街乡吹哨、部门报到 (Beijing). Those who work for an area (grid workers and the
grid chain, community staff and secretary, street and district officials) blow the whistle on matters of their
subtree and see every whistle there; party members and the party chain blow in their own community and see the
whistles they blew. A unit's handler or 单位代表 sees and answers the whistles naming the unit (ORGANIZATION
scope). The office staff close and withdraw whistles of their subtree.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import OFFICE, STAFF
from yishiting.common.rules import ScopeKind, active_roles, has_perm, register

C, OWN, ORG = ScopeKind.COMMUNITY, ScopeKind.OWN, ScopeKind.ORGANIZATION
PARTY = [Role.PARTY_MEMBER, Role.INSERVICE_PARTY_MEMBER, Role.CENTRAL_HOUSEHOLD, Role.ESTATE_BRANCH_SECRETARY,
         Role.GRID_PARTY_GROUP_LEADER, Role.BUILDING_PARTY_GROUP_LEADER, Role.RED_BUILDING_HEAD]
RESPONDERS = [Role.HANDLER, Role.ORG_REPRESENTATIVE]

WHISTLE_BLOW = register("whistles.blow", gettext_noop("吹哨：召集单位应哨"), {**STAFF, **{r: C for r in PARTY}})
WHISTLE_VIEW = register("whistles.view", gettext_noop("查看吹哨和应哨"),
                        {**STAFF, **{r: OWN for r in PARTY}, **{r: ORG for r in RESPONDERS}})
WHISTLE_MANAGE = register("whistles.manage", gettext_noop("办结、撤回辖区内的吹哨"), {**OFFICE})
WHISTLE_RESPOND = register("whistles.respond", gettext_noop("以单位名义应哨（报到、反馈处置情况）"),
                           {r: ORG for r in RESPONDERS})


def person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def responder_org_ids(user) -> set[int]:
    """The units the user answers for: where they hold the handler's or the 单位代表's role."""
    return {r.organization_id for r in active_roles(user) if r.role in RESPONDERS and r.organization_id}


def may_respond(user, response) -> bool:
    from .transitions import WAITING

    return (response.status in WAITING and response.whistle.is_open
            and response.organization_id in responder_org_ids(user))


def is_blower(user, whistle) -> bool:
    person = person_of(user)
    return person is not None and person.pk == whistle.blown_by_id


def may_close(user, whistle) -> bool:
    return whistle.is_open and has_perm(user, "whistles.manage", whistle)


def may_cancel(user, whistle) -> bool:
    from .choices import WhistleStatus

    return whistle.status == WhistleStatus.OPEN and (is_blower(user, whistle)
                                                     or has_perm(user, "whistles.manage", whistle))


def may_add_unit(user, whistle) -> bool:
    """增加应哨单位 while the whistle is open (应哨中 or 已全部应哨 and not yet closed): its blower or the office."""
    return whistle.is_open and (is_blower(user, whistle) or has_perm(user, "whistles.manage", whistle))


def blower_role(user) -> str:
    """The title the whistle shows beside the blower's name: the first of their blowing roles."""
    order = [Role.GRID_WORKER, Role.GRID_LEADER, Role.SECTOR_HEAD, Role.ZONE_HEAD, Role.BUILDING_HEAD,
             Role.UNIT_HEAD, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.STREET_OFFICIAL,
             Role.DISTRICT_OFFICIAL, *PARTY]
    held = {r.role for r in active_roles(user)}
    return next((role for role in order if role in held), "")
