"""What every page's header needs: who is signed in (their own name, in full), which roles they hold, and the navigation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Household, Person, RoleAssignment
from yishiting.areas.selectors import roles_of_user
from yishiting.cadres.rules import may_open as cadres_may_open
from yishiting.canteens.rules import CANTEEN_PERMISSIONS
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import ROLES_CACHE_SECONDS, active_roles, has_perm
from yishiting.liaison.rules import may_open as liaison_may_open
from yishiting.web.views.display import large_text


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


@dataclass
class Viewer:
    display_name: str
    person: Person | None = None
    roles: list = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        return [f"{r.get_role_display()} · {r.area.name}" for r in self.roles]


def _load_header(user_id: int) -> tuple[Person | None, tuple[RoleAssignment, ...]]:
    """The person behind a login and their active roles with areas (areas.selectors.person_for_user and
    roles_of_user, by the login's id)."""
    person = Person.objects.filter(user_id=user_id).select_related("household", "area").first()
    return person, tuple(roles_of_user(user_id))


# Every page's header: two queries a page, kept per process like the roles behind every permission check
# (common.rules.active_roles): a change to a person, a role or an area clears it at once in the process that
# made it, and the other server processes show it within ROLES_CACHE_SECONDS. Shared between requests: read only.
_headers = LocalCache("page_headers", _load_header, watch=(Person, RoleAssignment, Area, Household),
                      ttl=ROLES_CACHE_SECONDS)


def viewer_for(request: HttpRequest) -> Viewer | None:
    """The signed-in user as the header shows them; computed once per request."""
    user = request.user
    if not user.is_authenticated:
        return None
    cached = getattr(request, "_yishiting_viewer", None)
    if cached is None:
        person, roles = _headers.get(user.pk)
        name = person.name if person else user.get_username()  # one's own name: in full (docs/masking.md)
        cached = Viewer(display_name=name, person=person, roles=list(roles))
        request._yishiting_viewer = cached
    return cached


def _url(name: str, namespace: str = "web", args: tuple = ()) -> str:
    """A menu address. The same on every page of a process, so each is reversed once (a page's menu held some
    twenty reverse() calls, each walking the URL conf); keyed by what reverse() reads besides the name."""
    return _reversed(f"{namespace}:{name}", args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=256)
def _reversed(view: str, args: tuple, _prefix: str, urlconf: str) -> str:
    return reverse(view, args=args, urlconf=urlconf)


def _nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    current = getattr(request.resolver_match, "url_name", "") or ""
    items = [NavItem(_("首页"), _url("home"), current == "home")]
    items += _demand_items(request, current)
    if has_perm(user, "deliberation.view"):
        items.append(NavItem(_("议题协商"), _url("topic_list"), current.startswith(("topic", "meeting", "vote"))))
    if has_perm(user, "handling.notices"):
        items.append(NavItem(_("公示"), _url("notice_list"), current.startswith(("notice", "objection"))))
    if has_perm(user, "handling.legal_review"):
        items.append(NavItem(_("合法性审核"), _url("legal_reviews"), current.startswith("legal_review")))
    if has_perm(user, "handling.tasks") or has_perm(user, "handling.supervise"):
        items.append(NavItem(_("办理任务"), _url("task_list"), current == "task_list"))
    elif has_perm(user, "handling.work"):
        items.append(NavItem(_("我的任务"), _url("task_mine"), current == "task_mine"))
    if _lists_mediation(request):
        items.append(NavItem(_("调解"), _url("mediation_list"), current.startswith("mediation")))
    if has_perm(user, "handling.supervise"):
        items.append(NavItem(_("评价"), _url("evaluation_list"), current.startswith(("evaluation", "kpis"))))
    stats = stats_items(request, current)
    if any(item.url in STATS_HUBS for item in stats):  # officials: the figures they answer for, one menu entry
        items.append(NavItem(_("统计考评"), stats[0].url, current in STATS_PAGES))
    if has_perm(user, "oversight.rectifications_view"):  # 整改清单: issuers, the units' handlers, officials
        items.append(NavItem(_("整改清单"), _url("rectification_list"), current.startswith("rectification")))
    if has_perm(user, "oversight.ratings_view"):
        items.append(NavItem(_("单位评级"), _url("unit_rating_list"), current.startswith("unit_")))
    if has_perm(user, "oversight.clusters"):  # 举一反三 for street and district officials
        items.append(NavItem(_("举一反三"), _url("cluster_list"), current.startswith(("cluster", "recurrence"))))
    if has_perm(user, "legal.view"):  # 云律团: residents ask, lawyers answer, staff manage the pool
        items.append(NavItem(_("法律咨询"), _url("legal_home"), current.startswith(LEGAL_PAGES)))
    services = service_items(request, current)
    if services:  # 社区服务 (issue 19): one menu entry; its pages list each other in a row below the header
        items.append(NavItem(_("社区服务"), services[0].url, any(item.active for item in services)))
    if any(r.role in (Role.LAWYER, Role.EXPERT) for r in active_roles(user)):  # the pool's own people
        items.insert(1, NavItem(_("待我解答"), _url("legal_inbox"), current == "legal_inbox"))
    governance = governance_items(request, current)
    if len(governance) > 1:  # 基层治理 (issue 20): one menu entry; its pages list each other in a row below
        items.append(NavItem(_("基层治理"), governance[0].url, any(item.active for item in governance)))
    else:
        items += governance
    items += _resident_grid_item(request, current)  # 我的网格: who serves the resident's building
    if has_perm(user, "areas.browse"):  # work tools; residents reach their community through its notices
        items.append(NavItem(_("区域"), _url("area_index"), current.startswith("area")))
    if has_perm(user, "households.verify_claim"):
        items.append(NavItem(_("住户申报"), _url("claim_inbox"), current == "claim_inbox"))
    if user.is_staff or has_perm(user, "areas.browse"):
        items.append(NavItem(_("接口令牌"), _url("tokens"), current.startswith("token")))
    if user.is_staff:
        items.append(NavItem(_("后台管理"), _url("index", "admin")))
    return items


STATS = [  # (label, url name, permission, the url names that count as this page)
    (_("统计总览"), "overview", "oversight.view_overview", ("overview", "overview_records")),
    (_("月报"), "report_list", "oversight.view_overview", ("report_list", "report_generate")),
    (_("热点分布"), "hotspots", "oversight.hotspots", ("hotspots", "plan_edit")),
    (_("堡垒指数"), "index_ranking", "oversight.indices_rank", ("index_ranking", "index_detail")),
    (_("整改清单"), "rectification_list", "oversight.rectifications_view", ("rectification_list", "rectification_detail",
                                                                          "rectification_new")),
    (_("单位评级"), "unit_rating_list", "oversight.ratings_view", ("unit_rating_list", "unit_rating_detail",
                                                                 "unit_evaluate")),
    (_("举一反三"), "cluster_list", "oversight.clusters", ("cluster_list", "cluster_detail", "recurrence_list")),
]
STATS_PAGES = {name for *_rest, names in STATS for name in names}
STATS_HUBS = {"/overview/", "/oversight/hotspots/", "/oversight/indices/"}  # pages the menu had no entry for


def stats_items(request: HttpRequest, current: str) -> list[NavItem]:
    """The 统计考评 pages this person may open (the menu entry opens the first; the pages list them all)."""
    cached = getattr(request, "_yishiting_stats_items", None)
    if cached is None:
        cached = request._yishiting_stats_items = [
            NavItem(label, _url(name), current in names) for label, name, permission, names in STATS
            if has_perm(request.user, permission)]
    return cached


def _may_canteens(user) -> bool:
    return any(has_perm(user, name) for name in CANTEEN_PERMISSIONS)


def _may_appointments(user) -> bool:
    return has_perm(user, "appointments.book") or has_perm(user, "appointments.desk")


SERVICES = [  # 社区服务 (issue 19): (label, url name, who may open it, the url-name prefixes that count as it)
    (_("为民服务"), "participation_home", lambda user: has_perm(user, "participation.view"), ("participation",)),
    (_("志愿服务"), "volunteer_home", lambda user: has_perm(user, "volunteers.view"), ("volunteer",)),
    (_("微心愿"), "wishes_home", lambda user: has_perm(user, "wishes.view"), ("wish",)),
    (_("事务预约"), "appointments_home", _may_appointments, ("appointment", "service_detail", "my_bookings")),
    (_("幸福食堂"), "canteen_home", _may_canteens, ("canteen",)),
    (_("积分"), "points_home", lambda user: has_perm(user, "ledgers.view"), ("points_",)),
    (_("信托物业"), "trust_home", lambda user: has_perm(user, "trusts.view"), ("trust_",)),  # issue 21
]


def service_items(request: HttpRequest, current: str) -> list[NavItem]:
    """The 社区服务 pages this person may open (the menu entry opens the first; each page lists them all)."""
    cached = getattr(request, "_yishiting_service_items", None)
    if cached is None:
        cached = request._yishiting_service_items = [
            NavItem(label, _url(name), current.startswith(prefixes))
            for label, name, may, prefixes in SERVICES if may(request.user)]
    return cached


LEGAL_PAGES = ("legal_home", "legal_inbox", "legal_coverage", "consultation", "expert")


def _lists_mediation(request: HttpRequest) -> bool:
    """Mediators and supervising staff; asked once per request (the home page asks too)."""
    cached = getattr(request, "_yishiting_mediation_list", None)
    if cached is None:
        from yishiting.mediation.page_selectors import may_list_cases

        cached = request._yishiting_mediation_list = may_list_cases(request.user)
    return cached


def _demand_items(request: HttpRequest, current: str) -> list[NavItem]:
    """Residents: report and follow their demands; workers: fast entry; staff: screening and the lists."""
    user = request.user
    worker = has_perm(user, "demands.enter_on_behalf")
    items = []
    if has_perm(user, "demands.submit") and not worker:
        items.append(NavItem(_("反映问题"), _url("demand_new"), current == "demand_new"))
        items.append(NavItem(_("我的诉求"), _url("demand_mine"), current in {"demand_mine", "demand_detail"}))
    if worker:
        items.append(NavItem(_("快速录入"), _url("demand_entry"), current == "demand_entry"))
    if has_perm(user, "demands.screen"):
        items.append(NavItem(_("诉求筛选"), _url("demand_inbox"),
                             current in {"demand_inbox", "demand_screen", "demand_merge"}))
    if worker or has_perm(user, "demands.screen"):
        items.append(NavItem(_("三张清单"), _url("three_list", args=("problem",)), current == "three_list"))
    viewer = viewer_for(request)
    if viewer and viewer.person:  # the unread count is on the home page: no extra query on every page
        items.append(NavItem(_("我的消息"), _url("my_messages"), current == "my_messages"))
    return items


def _whistle_page(user) -> str:
    """A unit's people open what they must answer; those who blow open the list."""
    answer = has_perm(user, "whistles.respond") and not has_perm(user, "whistles.blow")
    return "whistle_answer" if answer else "whistle_list"


GOVERNANCE = [  # 基层治理 (issue 20): (label, url name or a function of the user giving it, who may, url-name prefixes)
    (_("网格工作"), "grid_home", lambda user: has_perm(user, "grid.record"), ("grid_home", "grid_assign", "grid_record",
                                                                              "grid_coverage", "grid_finding")),
    (_("吹哨应哨"), _whistle_page, lambda user: has_perm(user, "whistles.view"), ("whistle",)),
    (_("议事组织"), "body_list", lambda user: has_perm(user, "bodies.view"), ("body_",)),
    (_("联系点"), "liaison_home", liaison_may_open, ("liaison",)),
    (_("党建联盟"), "alliance_list", lambda user: has_perm(user, "alliances.view") or has_perm(user, "alliances.manage"),
     ("alliance_",)),  # issue 21
    (_("成长档案"), "cadres_home", cadres_may_open, ("cadres_",)),  # 干部成长档案与践诺清单 (issue 21)
]


def governance_items(request: HttpRequest, current: str) -> list[NavItem]:
    """The 基层治理 pages this person may open: the grid's field work, whistles, standing bodies, contact points."""
    cached = getattr(request, "_yishiting_governance_items", None)
    if cached is None:
        user = request.user
        cached = request._yishiting_governance_items = [
            NavItem(label, _url(name(user) if callable(name) else name), current.startswith(prefixes))
            for label, name, may, prefixes in GOVERNANCE if may(user)]
    return cached


def _resident_grid_item(request: HttpRequest, current: str) -> list[NavItem]:
    """Residents with a household (not field workers): 我的网格, who serves their building (亮身份)."""
    if has_perm(request.user, "grid.record"):
        return []
    viewer = viewer_for(request)
    if viewer and viewer.person and viewer.person.household_id:
        return [NavItem(_("我的网格"), _url("grid_mine"), current == "grid_mine")]
    return []


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    # The admin has its own header; skip the queries there.
    if user is None or not user.is_authenticated or (match and match.namespace == "admin"):
        return {"viewer": None, "nav_items": []}
    items = _nav_items(request)
    current = getattr(match, "url_name", "") or ""
    stats = stats_items(request, current) if current in STATS_PAGES else []
    sub_nav, sub_label = stats, _("统计考评")
    for hub, label in ((service_items, _("社区服务")), (governance_items, _("基层治理"))):
        pages = hub(request, current)
        if len(sub_nav) <= 1 and any(item.active for item in pages):
            sub_nav, sub_label = pages, label
    return {"viewer": viewer_for(request), "nav_items": items,
            "sub_nav": sub_nav if len(sub_nav) > 1 else [], "sub_nav_label": sub_label}


def display(request: HttpRequest) -> dict:
    """Whether this person switched large text on (a cookie, so it holds before signing in too)."""
    return {"large_text": large_text(request)}
