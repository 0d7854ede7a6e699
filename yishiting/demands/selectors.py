"""Reads of demands: what a user may see, the screening inbox, the three lists, a resident's own demands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.common.events import events_of
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import scope_for

from .choices import URGENCY_RANK, Status
from .models import Category, ConsultationRule, Demand

OPEN = [Status.PENDING, Status.ESCALATED]
RESPONSIBLE = [Status.TOPIC, Status.HANDLING, Status.MEDIATION]


def demands_visible_to(user, permission: str = "demands.view") -> QuerySet[Demand]:
    scope = scope_for(user, permission)
    own = Q(reporter_id=scope.own_person_id) | Q(entered_by=user) if scope.own_person_id else None
    return (Demand.objects.filter(scope.q("path", own=own))
            .select_related("category", "area", "screening_area", "level_area", "reporter"))


def _urgency_rank():
    return Case(*[When(urgency=k, then=Value(v)) for k, v in URGENCY_RANK.items()], output_field=IntegerField())


def screening_inbox(user, *, today: date | None = None, below: bool = False) -> QuerySet[Demand]:
    """Open demands waiting for this user's screening: most urgent first, then earliest deadline; `overdue`
    annotated.

    "Waiting for this user" means at the level of one of their screening roles (a community's own demands
    for its staff; what communities escalated, for the street). `below=True` adds everything pending under
    those levels — the supervising view, in which a street official sees which community is late."""
    today = today or timezone.localdate()
    scope = scope_for(user, "demands.screen")
    mine = scope.q("screening_path") if below or scope.everything else Q(screening_path__in=sorted(scope.paths))
    return (Demand.objects.filter(mine, status__in=OPEN)
            .select_related("category", "area", "screening_area", "level_area", "reporter")
            .annotate(urgency_rank=_urgency_rank(),
                      overdue=Case(When(screening_deadline__lt=today, then=Value(True)), default=Value(False)))
            .order_by("urgency_rank", "screening_deadline", "created_at"))


@dataclass
class ListFilter:
    status: str = ""
    category: int | None = None
    channel: str = ""
    start: date | None = None
    end: date | None = None
    level: str = ""  # an AreaLevel code: the level the matter is handled at


def _filtered(qs: QuerySet[Demand], f: ListFilter) -> QuerySet[Demand]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.start:
        qs = qs.filter(created_at__date__gte=f.start)
    if f.end:
        qs = qs.filter(created_at__date__lte=f.end)
    if f.level:
        qs = qs.filter(level_area__level__code=f.level)
    return qs


# The ids of each list's categories, kept per process (common.localcache): a query less on every list page.
_kind_categories = LocalCache("list_kind_categories", lambda kind: list(
    Category.objects.filter(list_kind=kind).order_by().values_list("pk", flat=True)), watch=(Category,))


def _of_kind(kind: str):
    """Demands whose category is on the `kind` list, by the categories' ids: joined on category.list_kind
    instead, PostgreSQL guesses one category and plans a sort of every matching demand."""
    return lambda qs: qs.filter(category_id__in=_kind_categories.get(kind))


LISTS = {
    "problem": (gettext_lazy("问题清单"), _of_kind(Category.ListKind.PROBLEM)),
    "need": (gettext_lazy("需求清单"), _of_kind(Category.ListKind.NEED)),
    "responsibility": (gettext_lazy("责任清单"), lambda qs: qs.filter(status__in=RESPONSIBLE)
                       .select_related("task", "task__handler", "task__organization", "topic", "mediation")),
}


def three_list(user, kind: str, area=None, f: ListFilter | None = None) -> QuerySet[Demand]:
    """Altay's 三张清单 for the user's scope (optionally under one area), filtered; newest first."""
    qs = demands_visible_to(user)
    if area is not None:
        qs = qs.filter(path__startswith=area.path)
    return _filtered(LISTS[kind][1](qs), f or ListFilter()).order_by("-created_at", "-pk")


def my_demands(user) -> QuerySet[Demand]:
    return (Demand.objects.filter(Q(reporter__user=user) | Q(entered_by=user))
            .select_related("category", "area").order_by("-created_at"))


def demand_timeline(demand: Demand):
    return events_of(demand)


def demands_filter(qs: QuerySet[Demand], f: ListFilter, *, under: int | None = None) -> QuerySet[Demand]:
    """The list filters (status, category, channel, period, level) plus `under` an area; narrows only."""
    from yishiting.areas.selectors import under_area

    return _filtered(under_area(qs, under), f)


def with_outcome_records(qs: QuerySet[Demand]) -> QuerySet[Demand]:
    """Fetch what screening created (topic, task, mediation case) with the rows, so lists show them without a
    query per row. Prefetched, not joined: a join of all of them makes a 13-table query whose planning alone
    took ~7 ms (18 ms under load) on PostgreSQL for one demand; a prefetch costs nothing for a relation that is
    empty on every row (a pending demand) and one small query per relation otherwise."""
    return qs.prefetch_related("task__handler", "task__organization", "topic", "mediation", "merged_into",
                               "rejection_rule")


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def consultation_rules_active(kind: str | None = None) -> QuerySet[ConsultationRule]:
    qs = ConsultationRule.objects.filter(is_active=True)
    return qs.filter(kind=kind) if kind else qs
