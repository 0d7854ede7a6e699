"""Reads of 吹哨·应哨: what each persona sees, a unit's whistles to answer, the late ones, and the overview's
figures for an area."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from yishiting.areas.models import Area, Organization
from yishiting.common.rules import scope_for

from .choices import UNIT_KINDS, ResponseStatus
from .models import Whistle, WhistleResponse
from .rules import person_of, responder_org_ids
from .transitions import OPEN_WHISTLE, WAITING

PAGE_LIMIT = 10


def _rows(rows: QuerySet[Whistle]) -> QuerySet[Whistle]:
    return rows.select_related("area", "blown_by", "demand", "topic", "task").annotate(
        unit_count=Count("responses", filter=~Q(responses__status=ResponseStatus.CANCELLED), distinct=True),
        answered_count=Count("responses", filter=Q(responses__status=ResponseStatus.RESPONDED), distinct=True),
        late_count=Count("responses", filter=Q(responses__late=True), distinct=True)).order_by("-blown_at", "-pk")


def whistles_visible_to(user) -> QuerySet[Whistle]:
    """Staff: every whistle of their subtree; party members: those they blew; a unit's responders: those naming
    their unit."""
    if not getattr(user, "is_authenticated", False):
        return Whistle.objects.none()
    scope = scope_for(user, "whistles.view")
    person = person_of(user)
    named = WhistleResponse.objects.filter(whistle=OuterRef("pk"), organization_id__in=scope.organization_ids)
    query = scope.q("path", own=Q(blown_by_id=getattr(person, "pk", None)),
                    organization=Q(Exists(named)) if scope.organization_ids else None)
    return _rows(Whistle.objects.filter(query))


def whistle_list(user, *, status: str = "", late: bool = False, term: str = "", mine: bool = False
                 ) -> QuerySet[Whistle]:
    """The staff list's filters: status, only those with a late unit, a word of the number or the text, mine."""
    rows = whistles_visible_to(user)
    if status:
        rows = rows.filter(status=status)
    if late:
        rows = rows.filter(Exists(WhistleResponse.objects.filter(whistle=OuterRef("pk"), late=True)))
    if term:
        rows = rows.filter(Q(number__icontains=term) | Q(title__icontains=term) | Q(text__icontains=term))
    if mine:
        rows = rows.filter(blown_by=person_of(user))
    return rows


def responses_of(whistle: Whistle) -> list[WhistleResponse]:
    return list(whistle.responses.select_related("organization", "arrived_by", "responded_by")
                .prefetch_related("photos").order_by("pk"))


def to_answer(user) -> QuerySet[WhistleResponse]:
    """The responses of the user's units: waiting ones first (earliest deadline first), then the answered."""
    orgs = responder_org_ids(user)
    return (WhistleResponse.objects.filter(organization_id__in=orgs)
            .exclude(status=ResponseStatus.CANCELLED)
            .select_related("whistle__area", "organization")
            .annotate(done=Case(When(status__in=WAITING, then=Value(0)), default=Value(1)))
            .order_by("done", "deadline", "-pk"))


def waiting_for(user) -> QuerySet[WhistleResponse]:
    return to_answer(user).filter(status__in=WAITING, whistle__status__in=OPEN_WHISTLE)


def unit_pool(paths: list[str]) -> QuerySet[Organization]:
    """The units a whistle may name: active organizations of a calling kind in the blower's districts."""
    query = Q(pk__in=[])
    for path in {p[:4] for p in paths if p}:
        query |= Q(path__startswith=path)
    return Organization.objects.filter(query, is_active=True, kind__in=UNIT_KINDS)


def waiting_responses() -> QuerySet[WhistleResponse]:
    """Responses still waiting on open whistles (the tick decides which are warned)."""
    return WhistleResponse.objects.filter(status__in=WAITING, whistle__status__in=OPEN_WHISTLE)


@dataclass
class AreaWhistles:
    """The overview's whistle figures for an area: open whistles, late responses, the most pressing open ones."""

    open_count: int = 0
    late_count: int = 0
    overdue_open: int = 0
    rows: list[Whistle] = field(default_factory=list)


def area_whistles(area: Area, today: date, limit: int = PAGE_LIMIT) -> AreaWhistles:
    """Open whistles of the area's subtree (overdue first) and the late responses of all its whistles."""
    in_area = Whistle.objects.filter(path__startswith=area.path)
    open_rows = in_area.filter(status__in=OPEN_WHISTLE)
    late = WhistleResponse.objects.filter(whistle__path__startswith=area.path).filter(
        Q(late=True) | Q(status__in=WAITING, whistle__status__in=OPEN_WHISTLE, deadline__lt=today))
    return AreaWhistles(open_count=open_rows.count(), late_count=late.count(),
                        overdue_open=open_rows.filter(deadline__lt=today).count(),
                        rows=list(_rows(open_rows).order_by("deadline", "pk")[:limit]))


def whistles_of_matter(*, demand_ids: list[int], topic_id: int | None, task_ids: list[int]) -> QuerySet[Whistle]:
    """The whistles blown on a matter (its demands, its topic, its tasks) — the dossier lists them."""
    query = Q(demand_id__in=demand_ids) | Q(task_id__in=task_ids)
    if topic_id:
        query |= Q(topic_id=topic_id)
    return Whistle.objects.filter(query)

