"""Who may publicise, handle, supervise, evaluate and archive (scope kinds in common/rules.py).

Residents see the public side of their community's matters (notices, bulletins, archives) and object and rate as
residents — whether a person may object or rate is decided by the notice's or round's scope in the services, not
by a role. Office roles draft notices, assign tasks, approve extensions, verify 销号 and archive; street and
district officials do legality reviews and organisation scores; handlers work the tasks assigned to them.
"""

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, register

S, OWN = ScopeKind.SUBTREE, ScopeKind.OWN
LEADERS = {Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}

HANDLING_VIEW = register("handling.view", "查看公示、办理、督办和评价", {**MEMBERS, **STAFF, Role.HANDLER: OWN})
NOTICES_MANAGE = register("handling.notices", "拟写和发布公示、答复异议", {**OFFICE})
LEGAL_REVIEW = register("handling.legal_review", "合法性审核", {**LEADERS})
TASKS_MANAGE = register("handling.tasks", "交办任务、审批延期、核验销号", {**OFFICE})
TASKS_WORK = register("handling.work", "办理任务：报告进展、退回、申请延期、提交销号",
                      {**STAFF, Role.HANDLER: OWN})
SUPERVISE = register("handling.supervise", "记录督办、发布进度通报", {**OFFICE, Role.GRID_LEADER: S})
EVALUATE_ORG = register("handling.assess", "组织考评", {**LEADERS})
ARCHIVE_MANAGE = register("handling.archive", "归档（一事一档）", {**OFFICE})
