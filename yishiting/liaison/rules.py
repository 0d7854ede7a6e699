"""Who links leaders to communities, who records deputies' contacts, who reads them — and the 挂点 read grant.

A district or street official (or an admin) links a leader to a community of their subtree; office staff see the
links of their area. A deputy (两代表一委员) records contacts in their community (a district deputy in the whole
district); office staff of the area read the records, a deputy their own. A leader linked to a community reads its
matters while the link is in force (`linked_paths`, registered with common.rules.register_grant): a district
department's leader, whose roles reach no community, sees the one they are linked to, and stops seeing it when
the link's period ends or it is revoked.
"""

from __future__ import annotations

from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.rules import OFFICE
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import ScopeKind, active_roles, has_perm, register, register_grant

S, C, OWN = ScopeKind.SUBTREE, ScopeKind.COMMUNITY, ScopeKind.OWN

# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.
LINKS_MANAGE = register("liaison.links_manage", "设立和撤销挂点联系",  # zh-only
                        {Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S})
LINKS_VIEW = register("liaison.links_view", "查看挂点联系", {**OFFICE})  # zh-only
RECORD = register("liaison.record", "记录代表联系群众", {Role.DEPUTY: C})  # zh-only
RECORDS_VIEW = register("liaison.records_view", "查看代表联系群众记录", {**OFFICE, Role.DEPUTY: OWN})  # zh-only

LEADER_ROLES = {Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL}
# What a link lets the leader read in the linked community: its matters, from demand to evaluation, and the overview.
GRANTED = ["areas.view", "demands.view", "deliberation.view", "handling.view", "mediation.supervise",
           "oversight.view_overview", "liaison.records_view"]


def _load_paths(key: tuple[int, object]) -> frozenset[str]:
    from .models import LiaisonLink, in_force_q

    user_id, day = key
    return frozenset(LiaisonLink.objects.filter(in_force_q(day), leader__user_id=user_id).values_list("path", flat=True))


_links: LocalCache | None = None


def _cache() -> LocalCache:
    global _links
    if _links is None:
        from .models import LiaisonLink

        # Keyed by the day too: a link whose period ended yesterday grants nothing today, whatever was cached.
        _links = LocalCache("liaison_paths", _load_paths, watch=(LiaisonLink,), ttl=10.0)
    return _links


def linked_paths(user) -> frozenset[str]:
    """The communities `user` is linked to today (kept on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_yishiting_links", None)
    if cached is None:
        cached = user._yishiting_links = _cache().get((user.pk, timezone.localdate()))
    return cached


register_grant(GRANTED, linked_paths)


def may_open(user) -> bool:
    """联系点 in the menu: linked leaders (the grant gives them records_view), link managers, deputies, office staff."""
    return any(has_perm(user, name) for name in ("liaison.records_view", "liaison.links_view", "liaison.record"))


def is_leader(user) -> bool:
    return any(r.role in LEADER_ROLES for r in active_roles(user))


def is_deputy(user) -> bool:
    return any(r.role == Role.DEPUTY for r in active_roles(user))
