"""Who may read and act on the oversight figures (scope kinds in common/rules.py).

- `oversight.clusters`     street and district officials, for their subtree: the cluster list and detail (举一反三)
                           and raising a cluster as one 类案 topic at their level.
- `oversight.settings`     admins: N, the similarity threshold and M per process template (举一反三设置).
- `oversight.recurrences`  the office staff (社区两委 and above) for their subtree: recurrences (复发) of archived
                           matters — community staff see those of their own community.
"""
# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.

from __future__ import annotations

from yishiting.areas.choices import Role
from yishiting.areas.rules import OFFICE
from yishiting.common.rules import ScopeKind, has_perm, register

S = ScopeKind.SUBTREE

OVERSIGHT_CLUSTERS = register("oversight.clusters", "查看类案并发起类案议题（举一反三）",  # zh-only
                              {Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S})
OVERSIGHT_RECURRENCES = register("oversight.recurrences", "查看复发事项", {**OFFICE})  # zh-only
# N, the threshold and M are set per process template by admins (and superusers), like the templates themselves.
OVERSIGHT_SETTINGS = register("oversight.settings", "维护举一反三设置", {})  # zh-only


def may_view_clusters(user, area=None) -> bool:
    """A street or district official, at `area` or above (anywhere in their scope without `area`)."""
    return has_perm(user, OVERSIGHT_CLUSTERS.name, area)


def may_raise_cluster(user, level_area) -> bool:
    """Raising a 类案 opens a topic at `level_area`: the official must cover that level."""
    return has_perm(user, OVERSIGHT_CLUSTERS.name, level_area) and has_perm(user, "deliberation.manage", level_area)


def may_view_recurrences(user, area=None) -> bool:
    return has_perm(user, OVERSIGHT_RECURRENCES.name, area)
