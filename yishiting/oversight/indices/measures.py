"""What each part of an index counts: a measure reads existing records of one period with a stated rule and
returns, per subject, the records it considered and those it counted (the numerator of a rate).

堡垒指数 measures read everything in the organisation's area (its subtree); 先锋指数 measures read the member's
own records. Each measure is ONE query over every subject of the district at once (a record is then given to
each organisation whose area contains it, or to its member), so computing a district's indices costs the same
number of queries for 10 organisations as for 10,000. Oversight writes none of these tables (it only reads).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import PATH_STEP
from yishiting.deliberation.choices import MeetingStatus
from yishiting.deliberation.models import Meeting, Participant
from yishiting.demands.models import Demand
from yishiting.handling.choices import Satisfaction, TaskStatus
from yishiting.handling.models import Rating, Task
from yishiting.participation.choices import OrderStatus
from yishiting.participation.models import ServiceOrder

from ..models import IndexKind

COUNT, RATE, SATISFACTION = "count", "rate", "satisfaction"


@dataclass
class Found:
    """One subject's records of one measure: considered and counted (by primary key, ascending), and how many
    counted ratings were 基本满意 (a satisfaction part weighs them)."""

    ids: list[int] = field(default_factory=list)
    hits: list[int] = field(default_factory=list)
    basic: int = 0


@dataclass(frozen=True)
class Scope:
    """Whom a computation reads for: the district's path (organisations) and its members (a person-id query)."""

    path: str
    people: QuerySet | None = None


# A record as a measure reads it: (pk, owners, counted, basic). Owners are area paths (堡垒指数: the record
# belongs to every organisation whose area path is a prefix) or person ids (先锋指数).
Row = tuple[int, tuple, bool, bool]


@dataclass(frozen=True)
class Measure:
    key: str
    index: str
    label: str
    kind: str          # COUNT: records ÷ target; RATE: counted ÷ considered; SATISFACTION: weighted ratings
    model: str         # the records' model label, for the derivation list
    rule: str
    rows: Callable[[Scope, datetime, datetime], Iterable[Row]]

    def read_all(self, scope: Scope, wanted: set, lo: datetime, hi: datetime) -> dict[object, Found]:
        """Every wanted subject's records in one query: {area path or person id: Found}."""
        found: dict[object, Found] = defaultdict(Found)
        by_area = self.index == IndexKind.FORTRESS
        for pk, owners, counted, basic in self.rows(scope, lo, hi):
            for owner in _prefixes(owners, wanted) if by_area else [o for o in owners if o in wanted]:
                entry = found[owner]
                entry.ids.append(pk)
                if counted:
                    entry.hits.append(pk)
                    entry.basic += basic
        for entry in found.values():
            entry.ids.sort()
            entry.hits.sort()
        return found


def _prefixes(paths: tuple, wanted: set) -> set[str]:
    """The wanted area paths containing any of `paths` (each organisation once even if two paths match)."""
    return {p[:i] for p in paths if p for i in range(PATH_STEP, len(p) + 1, PATH_STEP) if p[:i] in wanted}


def _on_time(when, deadline) -> bool:
    return when is not None and timezone.localdate(when) <= deadline


def _closed_tasks(q: Q, lo: datetime, hi: datetime):
    return Task.objects.filter(q, status=TaskStatus.CLOSED, closed_at__gte=lo, closed_at__lt=hi).order_by()


def _demands(q: Q, lo: datetime, hi: datetime):
    return Demand.objects.filter(q, created_at__gte=lo, created_at__lt=hi).order_by()


def _held_meetings(q: Q, lo: datetime, hi: datetime):
    return Meeting.objects.filter(q, status=MeetingStatus.CLOSED, starts_at__gte=lo, starts_at__lt=hi).order_by()


def _ratings(q: Q, owners: tuple[str, ...], lo: datetime, hi: datetime) -> Iterable[Row]:
    rows = Rating.objects.filter(q, created_at__gte=lo, created_at__lt=hi).order_by().values_list("pk", "value", *owners)
    return ((pk, tuple(who), value != Satisfaction.DISSATISFIED, value == Satisfaction.BASIC)
            for pk, value, *who in rows)


def _services(scope: Scope, lo: datetime, hi: datetime) -> Iterable[Row]:
    """Menu orders the member served, confirmed and rated by the resident in the period (participation): a 1–5
    rating of 4–5 is 满意, 3 基本满意, 1–2 不满意, as the satisfaction parts read them."""
    rows = (ServiceOrder.objects.filter(served_by_id__in=scope.people, status=OrderStatus.RATED, rated_at__gte=lo,
                                        rated_at__lt=hi).order_by().values_list("pk", "served_by_id", "rating"))
    return ((pk, (who,), (rating or 0) >= 3, rating == 3) for pk, who, rating in rows)


def _sub(scope: Scope) -> Q:
    return Q(path__startswith=scope.path)


def _count(queryset, owner: str) -> Iterable[Row]:
    """A count: every record considered is counted."""
    return ((pk, (who,), True, False) for pk, who in queryset.values_list("pk", owner))


def _timely(queryset, owner: str, when: str, deadline: str) -> Iterable[Row]:
    return ((pk, (who,), _on_time(at, until), False) for pk, who, at, until in
            queryset.values_list("pk", owner, when, deadline))


def _attended(scope: Scope, lo: datetime, hi: datetime) -> Iterable[Row]:
    pairs = (Participant.objects.filter(person_id__in=scope.people, signed_in_at__isnull=False,
                                        meeting__status=MeetingStatus.CLOSED, meeting__starts_at__gte=lo,
                                        meeting__starts_at__lt=hi)
             .order_by().values_list("meeting_id", "person_id").distinct())
    return ((meeting, (person,), True, False) for meeting, person in pairs)


F, P = IndexKind.FORTRESS, IndexKind.PIONEER
DEMAND, TASK, MEETING, RATING = "demands.demand", "handling.task", "deliberation.meeting", "handling.rating"
SERVICE = "participation.serviceorder"

MEASURES: dict[str, Measure] = {m.key: m for m in [
    Measure("demands_received", F, _("收集诉求"), COUNT, DEMAND, _("期间在本组织所在区域（含下级）提交的诉求件数"),
            lambda s, lo, hi: _count(_demands(_sub(s), lo, hi), "path")),
    Measure("response_rate", F, _("响应率"), RATE, DEMAND,
            _("期间提交的诉求中，在筛选期限当天或之前作出筛选决定的件数 ÷ 期间提交的诉求件数"),
            lambda s, lo, hi: _timely(_demands(_sub(s), lo, hi), "path", "screened_at", "screening_deadline")),
    Measure("tasks_closed", F, _("办结事项"), COUNT, TASK, _("期间在本组织所在区域（含下级）销号的办理任务件数"),
            lambda s, lo, hi: _count(_closed_tasks(_sub(s), lo, hi), "path")),
    Measure("on_time_rate", F, _("按期办结率"), RATE, TASK,
            _("期间销号的任务中，在办理期限（含经批准的延期）当天或之前销号的件数 ÷ 期间销号的任务件数"),
            lambda s, lo, hi: _timely(_closed_tasks(_sub(s), lo, hi), "path", "closed_at", "deadline")),
    Measure("meetings_held", F, _("协商会议"), COUNT, MEETING, _("期间在本组织所在区域（含下级）召开并已结束的协商会议场数"),
            lambda s, lo, hi: _count(_held_meetings(_sub(s), lo, hi), "path")),
    Measure("satisfaction_rate", F, _("满意率"), SATISFACTION, RATING,
            _("期间群众对本区域议题和任务的评价：（满意 + 基本满意 × 权重）÷ 有效评价数"),
            lambda s, lo, hi: _ratings(Q(task__path__startswith=s.path) | Q(round__topic__path__startswith=s.path),
                                       ("task__path", "round__topic__path"), lo, hi)),
    Measure("tasks_led", P, _("领办任务"), COUNT, TASK, _("期间由本人经办并已销号的办理任务件数"),
            lambda s, lo, hi: _count(_closed_tasks(Q(handler_id__in=s.people), lo, hi), "handler_id")),
    Measure("tasks_on_time", P, _("领办按期率"), RATE, TASK,
            _("本人期间销号的任务中，在办理期限当天或之前销号的件数 ÷ 本人期间销号的任务件数"),
            lambda s, lo, hi: _timely(_closed_tasks(Q(handler_id__in=s.people), lo, hi), "handler_id", "closed_at",
                                      "deadline")),
    Measure("meetings_chaired", P, _("主持会议"), COUNT, MEETING, _("期间由本人主持并已结束的协商会议场数"),
            lambda s, lo, hi: _count(_held_meetings(Q(chair_id__in=s.people), lo, hi), "chair_id")),
    Measure("meetings_attended", P, _("参加议事"), COUNT, MEETING, _("期间本人签到参加并已结束的协商会议场数"),
            _attended),
    Measure("demands_reported", P, _("反映民情"), COUNT, DEMAND, _("期间由本人提出的诉求件数"),
            lambda s, lo, hi: _count(_demands(Q(reporter_id__in=s.people), lo, hi), "reporter_id")),
    Measure("ratings_received", P, _("群众评价"), SATISFACTION, RATING,
            _("期间群众对本人经办任务的评价：（满意 + 基本满意 × 权重）÷ 有效评价数"),
            lambda s, lo, hi: _ratings(Q(task__handler_id__in=s.people), ("task__handler_id",), lo, hi)),
    # 为民服务 (participation): a district weighs these in the admin; they are not among the built-in parts.
    Measure("services_given", P, _("为民服务"), COUNT, SERVICE, _("期间由本人接单服务、经居民确认评价的服务订单件数"),
            lambda s, lo, hi: ((pk, who, True, False) for pk, who, _c, _b in _services(s, lo, hi))),
    Measure("service_ratings", P, _("服务评价"), SATISFACTION, SERVICE,
            _("期间居民对本人服务的评价：4–5 星为满意，3 星为基本满意；（满意 + 基本满意 × 权重）÷ 评价数"),
            _services),
]}

# The built-in parts (measure, weight, monthly target) of a district that has not set its own in the admin.
DEFAULT_PARTS: dict[str, list[tuple[str, int, int]]] = {
    F: [("demands_received", 10, 20), ("response_rate", 20, 1), ("tasks_closed", 15, 10), ("on_time_rate", 20, 1),
        ("meetings_held", 15, 2), ("satisfaction_rate", 20, 1)],
    P: [("tasks_led", 25, 2), ("tasks_on_time", 20, 1), ("meetings_chaired", 15, 1), ("meetings_attended", 15, 2),
        ("demands_reported", 10, 2), ("ratings_received", 15, 1)],
}


def choices_for(index: str | None = None) -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in MEASURES.values() if index in (None, m.index)]
