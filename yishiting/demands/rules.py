"""Who may submit, see, screen and export demands (scope kinds in common/rules.py)."""
# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, register

S, OWN = ScopeKind.SUBTREE, ScopeKind.OWN

# Residents and volunteers submit within their own community; workers anywhere in their subtree.
# A self-registered person whose household is not yet verified (Role.REGISTRANT, held at the district) reports
# from anywhere in it and picks the place on the form; once verified they are a resident like any other.
DEMANDS_SUBMIT = register("demands.submit", "提交诉求", {**MEMBERS, **STAFF, Role.REGISTRANT: S})  # zh-only
DEMANDS_ENTER_ON_BEHALF = register("demands.enter_on_behalf", "代居民录入诉求", {**STAFF})  # zh-only
DEMANDS_VIEW = register("demands.view", "查看诉求", {**{role: OWN for role in MEMBERS}, **STAFF,  # zh-only
                                                       Role.REGISTRANT: OWN})
DEMANDS_SCREEN = register("demands.screen", "筛选诉求", {**OFFICE})  # zh-only
DEMANDS_EXPORT = register("demands.export", "导出三张清单", {**OFFICE, Role.GRID_LEADER: S})  # zh-only
DEMANDS_IMPORT = register("demands.import", "导入问卷和意见卡", {**OFFICE})  # zh-only
# The category catalogue and the 协商目录 are shared by the whole district: admins (and superusers) edit them.
DEMANDS_CATALOGUE = register("demands.catalogue", "维护诉求类别与协商目录", {})  # zh-only
