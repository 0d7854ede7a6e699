"""Who keeps in touch, records and oversees the grid's field work (scope kinds in common/rules.py).

The grid chain (网格员 up to 总网格长, 楼长、单元长) and the community's office work for their area's subtree; party
members and the party chain (中心户, 红色楼栋长 …) record the visits of the households they are assigned to, in
their own community. The office and the 网格长 assign 包联; the grid chain and the office read the records and
the coverage of their subtree; everyone reads their own assignments and records.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import OFFICE, STAFF
from yishiting.common.rules import ScopeKind, register

C = ScopeKind.COMMUNITY
PARTY_ROLES = [Role.PARTY_MEMBER, Role.INSERVICE_PARTY_MEMBER, Role.CENTRAL_HOUSEHOLD, Role.ESTATE_BRANCH_SECRETARY,
               Role.GRID_PARTY_GROUP_LEADER, Role.BUILDING_PARTY_GROUP_LEADER, Role.RED_BUILDING_HEAD]
# Who may be given households or buildings to keep in touch with (包联): cadres, the grid chain, party members.
KEEPER_ROLES = [*STAFF, *PARTY_ROLES]

GRID_RECORD = register("grid.record", gettext_noop("记录走访、巡查"), {**STAFF, **{role: C for role in PARTY_ROLES}})
GRID_ESTATE = register("grid.estate_record", gettext_noop("记录联合巡查、三方对话会"), {**STAFF})
GRID_VIEW = register("grid.view", gettext_noop("查看网格的包联、走访巡查和覆盖情况"), {**STAFF})
GRID_ASSIGN = register("grid.assign", gettext_noop("安排包联"), {**OFFICE, Role.GRID_LEADER: ScopeKind.SUBTREE})


def person_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def is_recorder(user, record) -> bool:
    person = person_of(user)
    return person is not None and record.recorder_id == person.pk
