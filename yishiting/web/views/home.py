"""The home page: what the signed-in person holds (roles at areas) and the scope that gives them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Organization
from yishiting.areas.selectors import area_counts, areas_visible_to, community_of
from yishiting.common.masking import mask_address, mask_mobile
from yishiting.common.rules import REGISTRY, ScopeKind, has_perm
from yishiting.common.selectors import system_status
from yishiting.demands.selectors import screening_inbox
from yishiting.handling.selectors.tasks import unit_task_queue, warning_level
from yishiting.notifications.services import unread_count
from yishiting.oversight import selectors as rollups
from yishiting.oversight.overview import open_stages

from ..context import viewer_for
from .claims import claim_home_context
from .screening import bounded_count


@dataclass
class AreaCard:
    area: Area
    roles: list[str]
    counts: dict[str, int]


def _works_for_subtree(role: str) -> bool:
    """Roles that look after everything under their area (grid worker up to district official, admin)."""
    return role == Role.ADMIN or REGISTRY["households.view"].grants.get(role) is ScopeKind.SUBTREE


def _is_member(role: str) -> bool:
    """Residents, owners, party members…: they see the public side of their own community."""
    return REGISTRY["areas.view"].grants.get(role) is ScopeKind.COMMUNITY


def _area_cards(roles: list) -> list[AreaCard]:
    cards: dict[int, AreaCard] = {}
    for assignment in roles:
        if not _works_for_subtree(assignment.role):
            continue
        card = cards.get(assignment.area_id)
        if card is None:
            card = cards[assignment.area_id] = AreaCard(assignment.area, [], area_counts(assignment.area))
        card.roles.append(assignment.get_role_display())
    return list(cards.values())


def _organizations(roles: list) -> list[Organization]:
    seen: dict[int, Organization] = {}
    for assignment in roles:
        if assignment.organization_id:
            seen.setdefault(assignment.organization_id, assignment.organization)
    return list(seen.values())


def _resident_context(person) -> dict:
    """A resident's own household and community: their own name in full, mobile and address masked (the screen
    may be seen over a shoulder)."""
    if person is None:
        return {}
    household = person.household
    place = household.unit if household else person.area
    return {
        "me": {"name": person.name, "mobile": mask_mobile(person.mobile)},
        "household_label": mask_address(household_address(household)) if household else "",
        "community": community_of(place) if place else None,
    }


def household_address(household) -> str:
    """'幸福苑3栋1单元101': building, unit and door — what the masker keeps the start of."""
    unit = household.unit
    building = unit.parent.name if unit.parent_id else ""
    return f"{building}{unit.name}{household.number}"


def _demand_context(user) -> dict:
    """What the demand section offers: report (residents), fast entry (workers), the inbox count (staff)."""
    can_enter = has_perm(user, "demands.enter_on_behalf")
    inbox = screening_inbox(user) if has_perm(user, "demands.screen") else None
    return {
        "can_submit": has_perm(user, "demands.submit") and not can_enter,
        "can_enter": can_enter,
        # counted up to COUNT_CAP ("1000+" past it): a district's queue may hold hundreds of thousands (issue 18)
        "inbox": {"total": bounded_count(inbox), "overdue": bounded_count(inbox.filter(overdue=True)).removeprefix("0")}
        if inbox is not None else None,
    }


QUEUE_SIZE = 20
KPI_DEPTH = 4  # down to communities, as the 三率 page offers


def _task_queue(user, viewer_roles: list) -> dict:
    """A handler's waiting tasks (their own and their unit's), most pressing first."""
    if not has_perm(user, "handling.work"):
        return {}
    queue = unit_task_queue(user)
    rows = list(queue[:QUEUE_SIZE])
    if not rows and not any(r.role == Role.HANDLER for r in viewer_roles):
        return {}  # an official with nothing to handle: no empty section
    for task in rows:
        task.warning = warning_level(task)
    return {"tasks": rows, "total": queue.count() if len(rows) == QUEUE_SIZE else len(rows),
            "waiting": sum(1 for t in rows if t.status == "assigned")}


def _kpi_context(user) -> dict:
    """This month's three rates of the widest area the official supervises, linked to the 三率 page."""
    if not has_perm(user, "handling.supervise"):
        return {}
    area = areas_visible_to(user, "handling.supervise").filter(level__depth__lte=KPI_DEPTH).order_by("path").first()
    if area is None:
        return {}
    today = timezone.localdate()
    start = today.replace(day=1)
    return {"area": area, "start": start, "end": today, "figures": rollups.rates(area, start, today, samples=False).figures}


def _overview_context(user) -> dict:
    """Street and district officials (and community secretaries): the widest area they answer for, with its open
    items, linked to the overview."""
    if not has_perm(user, "oversight.view_overview"):
        return {}
    area = areas_visible_to(user, "oversight.view_overview").filter(level__depth__lte=KPI_DEPTH).order_by("path").first()
    if area is None:
        return {}
    stages = open_stages(area, timezone.localdate())
    return {"area": area, "open": sum(s.open for s in stages), "overdue": sum(s.overdue for s in stages),
            "red": sum(s.red for s in stages)}


def _mediation_context(request: HttpRequest, person) -> dict:
    """Mediators and staff: the cases waiting in their list; a party: its own cases; a resident: 申请调解."""
    from yishiting.mediation.choices import CaseStatus
    from yishiting.mediation.page_selectors import cases_as_party
    from yishiting.mediation.selectors import cases_visible_to

    from ..context import _lists_mediation

    user = request.user
    lists = _lists_mediation(request)
    counts = cases_visible_to(user).filter(status__in=[CaseStatus.OPEN, CaseStatus.MEDIATING, CaseStatus.AGREED]) \
        .aggregate(open=Count("pk"), unaccepted=Count("pk", filter=Q(status=CaseStatus.OPEN))) if lists else {}
    mine = list(cases_as_party(person)[:10]) if person is not None else []
    may_apply = person is not None and (person.household_id or person.area_id) and has_perm(user, "demands.submit") \
        and not has_perm(user, "demands.enter_on_behalf")
    if not (lists or mine or may_apply):
        return {}
    return {"lists": lists, "open": counts.get("open", 0), "unaccepted": counts.get("unaccepted", 0), "mine": mine,
            "may_apply": may_apply}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    viewer = viewer_for(request)
    roles, person = viewer.roles, viewer.person
    is_admin = user.is_superuser or any(r.role == Role.ADMIN for r in roles)
    context = {
        "roles": roles,
        "area_cards": _area_cards(roles),
        "organizations": _organizations(roles),
        "resident": _resident_context(person) if any(_is_member(r.role) for r in roles) else {},
        "is_admin": is_admin,
        "status": system_status() if is_admin else None,
        "can_view_areas": has_perm(user, "areas.browse"),
        "may_use_tokens": user.is_staff or has_perm(user, "areas.browse"),
        "can_view_people": has_perm(user, "people.view"),
        **_demand_context(user),
        "queue": _task_queue(user, roles),
        "kpi": _kpi_context(user),
        "overview": _overview_context(user),
        "unread": unread_count(person) if person else 0,
        **claim_home_context(user, person),
        "mediation": _mediation_context(request, person),
        # 堡垒指数 / 先锋指数: the ranking for officials, their own index for party members
        "may_index_rank": has_perm(user, "oversight.indices_rank"),
        "may_index_mine": has_perm(user, "oversight.indices"),
    }
    return render(request, "web/pages/home/home.html", context)
