"""Who keeps and reads cadres' 成长档案 (issue 21).

The street's and the district's officials (the organisation offices that run training) keep the archives of
their area: register cadres, run programmes, record attendance and credits, name 优秀学员, record 约谈, assign
mentors, select 破题报告 as examples. A cadre reads only their own archive and writes their own reports and
pledges; a mentor reads the archives of the cadres they mentor now and writes notes there; a mentor in the pool
reviews the reports of their area. Those are relations, not roles (selectors.archives_visible_to), so no role was
added. Anyone, signed in or not, reads the published pledges of an area (the public page).
"""

from __future__ import annotations

from yishiting.areas.choices import Role
from yishiting.common.rules import ScopeKind, has_perm, register

S = ScopeKind.SUBTREE
TRAINING_OFFICE = {Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}

# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.
MANAGE = register("cadres.manage", "管理干部成长档案与培训", {**TRAINING_OFFICE})  # zh-only
VIEW = register("cadres.view", "查看辖区干部成长档案", {**TRAINING_OFFICE})  # zh-only


def may_open(user) -> bool:
    """成长档案 in the menu: the training office, cadres with an archive, mentors in the pool."""
    from .selectors import has_archive_or_mentors

    return has_perm(user, "cadres.view") or has_archive_or_mentors(user)
