"""Who may read and change places, people, organizations and roles (see common/rules.py for scope kinds)."""
# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.

from yishiting.common.rules import ScopeKind, register

from .choices import Role

S, C, OWN, ORG = ScopeKind.SUBTREE, ScopeKind.COMMUNITY, ScopeKind.OWN, ScopeKind.ORGANIZATION

# Roles that work for an area and see its whole subtree.
STAFF = {
    Role.GRID_WORKER: S, Role.GRID_LEADER: S, Role.BUILDING_HEAD: S, Role.UNIT_HEAD: S,
    Role.SECTOR_HEAD: S, Role.ZONE_HEAD: S,
    Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S, Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S,
}
# Roles of residents and volunteers: they see the public side of their own community.
MEMBERS = {
    Role.RESIDENT: C, Role.OWNER: C, Role.PARTY_MEMBER: C, Role.INSERVICE_PARTY_MEMBER: C,
    Role.CENTRAL_HOUSEHOLD: C, Role.DEPUTY: C, Role.ORG_REPRESENTATIVE: C, Role.EXPERT: C, Role.LAWYER: C,
    Role.VOLUNTEER: C, Role.CANTEEN_STAFF: C,
    Role.ESTATE_BRANCH_SECRETARY: C, Role.GRID_PARTY_GROUP_LEADER: C, Role.BUILDING_PARTY_GROUP_LEADER: C,
    Role.RED_BUILDING_HEAD: C,
}
OFFICE = {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S, Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}
OWN_RECORDS = {role: OWN for role in MEMBERS} | {Role.HANDLER: OWN}

AREAS_VIEW = register("areas.view", "查看区域", {**MEMBERS, **STAFF, Role.HANDLER: S})  # zh-only
# The area browser and API tokens are work tools: shown to those who work for an area, not to residents.
AREAS_BROWSE = register("areas.browse", "浏览区域（工作人员）", {**STAFF, Role.HANDLER: S})  # zh-only
AREAS_MANAGE = register("areas.manage", "维护区域与住户", {})  # zh-only
HOUSEHOLDS_VIEW = register("households.view", "查看住户", {**OWN_RECORDS, **STAFF})  # zh-only
PEOPLE_VIEW = register("people.view", "查看人员", {**OWN_RECORDS, **STAFF})  # zh-only
PEOPLE_UNMASK = register("people.unmask", "查看完整个人信息（留痕）", {**OFFICE})  # zh-only
PEOPLE_MANAGE = register("people.manage", "登记和修改人员", {Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S})  # zh-only
ORGANIZATIONS_VIEW = register("organizations.view", "查看组织", {**MEMBERS, **STAFF, Role.HANDLER: ORG})  # zh-only
ORGANIZATIONS_MANAGE = register("organizations.manage", "维护组织", {})  # zh-only
ROLES_VIEW = register("roles.view", "查看角色分配", {**OFFICE, Role.GRID_LEADER: S, Role.HANDLER: OWN,  # zh-only
                                                  **OWN_RECORDS})
ROLES_MANAGE = register("roles.manage", "分配角色", {})  # zh-only
AUDIT_VIEW = register("audit.view", "查看审计日志", {})  # zh-only
# The working-day calendar is shared by every area: only admins (and superusers) edit it.
CALENDAR_MANAGE = register("calendar.manage", "维护工作日日历", {})  # zh-only


def _not_own_claim(user, claim) -> bool:
    """Nobody verifies their own claim, whatever roles they hold."""
    return getattr(claim, "person", None) is None or claim.person.user_id != user.pk


# The community's staff and the grid worker of the area verify who lives where (住户申报); an owner-list match
# verifies itself (areas.claims). Street and district officials do not do this work.
CLAIMS_VERIFY = register("households.verify_claim", "审核住户申报", {  # zh-only
    Role.GRID_WORKER: S, Role.GRID_LEADER: S, Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S,
}, check=_not_own_claim)
