"""Who may read the overview (统计总览) and the monthly reports (see common/rules.py for scope kinds).

- `oversight.view_overview`: street and district officials for their subtree, and a community secretary for
  their community — those who answer for the figures. Residents, grid workers, community staff and handlers
  do not see it (no link, and a 403 when the address is typed).
"""
# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.

from yishiting.areas.choices import Role
from yishiting.common.rules import ScopeKind, register

VIEW_OVERVIEW = register("oversight.view_overview", "查看统计总览和月报", {  # zh-only
    Role.COMMUNITY_SECRETARY: ScopeKind.SUBTREE, Role.STREET_OFFICIAL: ScopeKind.SUBTREE,
    Role.DISTRICT_OFFICIAL: ScopeKind.SUBTREE,
})
