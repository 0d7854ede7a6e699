"""Who sees which figures of oversight, and who may act on them (scope kinds in common/rules.py).

Hot spots and plans:
- `oversight.hotspots`  those who work for an area (grid workers up to district officials) see the demands of
                        their subtree on a plan; residents never see a plan with demands on it (their own demand
                        form shows the bare plan only).
- `oversight.plans`     community staff and secretaries upload an area's plan and set its reference points;
                        admins (and superusers) everywhere.

堡垒指数 / 先锋指数: street and district officials see every index in their subtree and its rankings; a community
secretary sees the community's own party organisations and members (their rank among the street's communities
included, the other communities not); a party member sees only their own 先锋指数. Residents see none.

Who sees unit ratings, who evaluates which units, and who issues, works on and decides 整改清单 items.

- Ratings are for the officials who commission the units: street and district officials (their subtree, and
  the district departments above them that serve it), the community's secretary and staff (the co-building
  units serving the community); a unit's own handler sees their unit's rating.
- 年度评议: a street evaluates the district departments above it (镇街评议区直部门); a community's secretary
  evaluates the co-building units serving the community (社区评议共驻共建单位, 考核建议权).
- 整改清单: street and district officials issue to a community or unit in their subtree; a community secretary
  to a unit serving the community. The unit's handlers (or, for a community, its office staff) work on the
  items; officials at the issuing level or above accept or return them — never someone working on the item.

Who may read the overview (统计总览) and the monthly reports (see common/rules.py for scope kinds).

- `oversight.view_overview`: street and district officials for their subtree, and a community secretary for
  their community — those who answer for the figures. Residents, grid workers, community staff and handlers
  do not see it (no link, and a 403 when the address is typed).

Who may read and act on the oversight figures (scope kinds in common/rules.py).

- `oversight.clusters`     street and district officials, for their subtree: the cluster list and detail (举一反三)
                           and raising a cluster as one 类案 topic at their level.
- `oversight.settings`     admins: N, the similarity threshold and M per process template (举一反三设置).
- `oversight.recurrences`  the office staff (社区两委 and above) for their subtree: recurrences (复发) of archived
                           matters — community staff see those of their own community.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_noop

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import PATH_STEP, Area, Organization
from yishiting.areas.rules import OFFICE, STAFF
from yishiting.common.rules import ScopeKind, active_roles, has_perm, register, scope_for

# Permission labels are read by the API's /me only: the API answers in Chinese.
S, OWN = ScopeKind.SUBTREE, ScopeKind.OWN

OVERSIGHT_HOTSPOTS = register("oversight.hotspots", "查看热点分布图", {**STAFF})  # zh-only
OVERSIGHT_PLANS = register("oversight.plans", "上传和设置平面图", {  # zh-only
    Role.COMMUNITY_STAFF: S, Role.COMMUNITY_SECRETARY: S})


def may_manage_plan(user, area) -> bool:
    return has_perm(user, OVERSIGHT_PLANS.name, area)


def may_see_plan(user, plan) -> bool:
    """The bare plan is no one's personal data: whoever may see the area (a resident, their community) or works
    below it (a grid worker, the community's plan) may load it — and tap it to give a demand's place."""
    scope = scope_for(user, "areas.view")
    return scope.covers_path(plan.path) or any(p.startswith(plan.path) for p in scope.paths)


def may_view_plan_hotspots(user, plan) -> bool:
    """The plan covers part of the viewer's scope: its area is in their subtree, or above it (a grid worker sees
    the community's plan with only their grid's demands on it)."""
    scope = scope_for(user, OVERSIGHT_HOTSPOTS.name)
    return scope.covers_path(plan.path) or any(path.startswith(plan.path) for path in scope.paths)


INDEX_OFFICE = {Role.COMMUNITY_SECRETARY: S, Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}
INDEX_MEMBERS = {Role.PARTY_MEMBER: OWN, Role.INSERVICE_PARTY_MEMBER: OWN, Role.CENTRAL_HOUSEHOLD: OWN}

INDICES_VIEW = register("oversight.indices", gettext_noop("查看堡垒指数、先锋指数（党员只见本人）"),
                        {**INDEX_MEMBERS, **INDEX_OFFICE})
INDICES_RANK = register("oversight.indices_rank", gettext_noop("查看堡垒指数、先锋指数排名"), {**INDEX_OFFICE})
INDICES_COMPUTE = register("oversight.indices_compute", gettext_noop("重新计算堡垒指数、先锋指数"),
                           {Role.DISTRICT_OFFICIAL: S})

INDICES_CONFIGURE = register("oversight.indices_configure", gettext_noop("设置堡垒指数、先锋指数的分项和权重"),
                             {Role.DISTRICT_OFFICIAL: S})
RATES_CONFIGURE = register("oversight.rates_configure", gettext_noop("设置本区显示的考评指标（响应率、解决率等）"),
                           {Role.DISTRICT_OFFICIAL: S})


def may_view_index(user, snapshot) -> bool:
    """oversight.indices on one snapshot: an official whose subtree holds it, or the member it is about."""
    return has_perm(user, INDICES_VIEW.name, snapshot)


def may_rank(user) -> bool:
    return not scope_for(user, INDICES_RANK.name).empty


S, ORG = ScopeKind.SUBTREE, ScopeKind.ORGANIZATION
K = OrganizationKind
OFFICIALS = {Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}
DEPARTMENT_KINDS = {K.GOVERNMENT_AGENCY, K.STREET_OFFICE}
CO_BUILDING_KINDS = {K.RESIDENT_UNIT, K.DUAL_REGISTRATION_UNIT, K.PROPERTY_COMPANY, K.SOCIAL_ORGANIZATION,
                     K.COMMUNITY_POLICE}
UNIT_ROLES = {Role.HANDLER, Role.ORG_REPRESENTATIVE}

RATINGS_VIEW = register("oversight.ratings_view", gettext_noop("查看单位年度评级"), {**OFFICE, Role.HANDLER: ORG})
EVALUATE = register("oversight.evaluate", gettext_noop("年度评议区直部门、共驻共建单位"),
                    {Role.STREET_OFFICIAL: S, Role.COMMUNITY_SECRETARY: S})
RECTIFY = register("oversight.rectify", gettext_noop("下发、验收整改清单"), {**OFFICIALS, Role.COMMUNITY_SECRETARY: S})
RECTIFICATIONS_VIEW = register("oversight.rectifications_view", gettext_noop("查看整改清单"),
                               {**OFFICE, Role.HANDLER: ORG, Role.ORG_REPRESENTATIVE: ORG})
WEIGHTS_MANAGE = register("oversight.weights", gettext_noop("设置单位评级权重、关闭评级年度"), {Role.DISTRICT_OFFICIAL: S})


def _prefixes(path: str) -> list[str]:
    return [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def rated_units_q(user) -> Q:
    """Organizations whose ratings the user sees (an Organization filter)."""
    scope = scope_for(user, "oversight.ratings_view")
    query = scope.q("path", organization=Q(pk__in=scope.organization_ids))
    for role in active_roles(user):
        if role.role in OFFICIALS:  # the district departments serving their area
            query |= Q(path__in=_prefixes(role.path)[:-1], kind__in=DEPARTMENT_KINDS)
    return query


def evaluator_areas(user) -> list[Area]:
    """The streets and communities the user evaluates for (one per role)."""
    from yishiting.areas.selectors import community_depth

    depths = {Role.STREET_OFFICIAL: 2, Role.COMMUNITY_SECRETARY: community_depth()}
    ids = [r.area_id for r in active_roles(user) if r.role in depths and len(r.path) == depths[r.role] * PATH_STEP]
    return list(Area.objects.filter(pk__in=ids).order_by("path"))


def evaluable_q(area: Area) -> Q:
    """The units an evaluating street or community evaluates (an Organization filter)."""
    from yishiting.areas.selectors import community_depth

    if area.depth == community_depth():
        return Q(path__startswith=area.path, kind__in=CO_BUILDING_KINDS, is_active=True)
    return Q(path__in=_prefixes(area.path), kind__in=DEPARTMENT_KINDS, is_active=True)


def issuer_area_for(user, *, target_area: Area | None = None, target_org: Organization | None = None) -> Area | None:
    """The level the user issues a list from to this target (their role's area), or None when they may not:
    officials to a community or unit in their subtree, a community secretary to a unit in the community."""
    path = target_org.path if target_org is not None else (target_area.path if target_area else None)
    if path is None:
        return None
    if user.is_superuser:
        return Area.objects.filter(path=path[:PATH_STEP]).first()
    for role in sorted(active_roles(user), key=lambda r: len(r.path)):
        if role.role in OFFICIALS and path.startswith(role.path) and (target_org is not None or path != role.path):
            return Area.objects.get(pk=role.area_id)
        if role.role == Role.COMMUNITY_SECRETARY and target_org is not None and path.startswith(role.path):
            return Area.objects.get(pk=role.area_id)
    return None


def may_work(user, item) -> bool:
    """The item's unit's handlers and representatives; for an item the community itself answers, its staff."""
    for role in active_roles(user):
        if item.organization_id is not None:
            if role.role in UNIT_ROLES and role.organization_id == item.organization_id:
                return True
        elif role.role in OFFICE and item.path.startswith(role.path) and len(role.path) >= len(item.list.issuer_path) + PATH_STEP:
            return True
    return False


def may_decide(user, item) -> bool:
    """Accept or return (and withdraw): officials with oversight.rectify at the issuing level or above, never
    someone who works on the item."""
    if may_work(user, item):
        return False
    scope = scope_for(user, "oversight.rectify")
    return scope.covers_path(item.list.issuer_path)


def sees_rectification(user, rectification_list) -> bool:
    from .selectors import lists_visible_to

    return lists_visible_to(user).filter(pk=rectification_list.pk).exists()


def may_evaluate(user) -> bool:
    return has_perm(user, "oversight.evaluate") and bool(evaluator_areas(user))


# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.
VIEW_OVERVIEW = register("oversight.view_overview", "查看统计总览和月报", {  # zh-only
    Role.COMMUNITY_SECRETARY: ScopeKind.SUBTREE, Role.STREET_OFFICIAL: ScopeKind.SUBTREE,
    Role.DISTRICT_OFFICIAL: ScopeKind.SUBTREE,
})


# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.
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
