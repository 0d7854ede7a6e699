"""What each part of an index counts: a measure reads existing records of one period with a stated rule and
returns the records it considered and those it counted (the numerator of a rate).

堡垒指数 measures read everything in the organisation's area (its subtree); 先锋指数 measures read the member's
own records. Oversight writes none of these tables (it sits above them and only reads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishiting.deliberation.choices import MeetingStatus
from yishiting.deliberation.models import Meeting, Participant
from yishiting.demands.models import Demand
from yishiting.handling.choices import Satisfaction, TaskStatus
from yishiting.handling.models import Rating, Task

from ..models import IndexKind

COUNT, RATE, SATISFACTION = "count", "rate", "satisfaction"
Found = tuple[list[int], list[int]]  # (records considered, records counted), by primary key in ascending order


@dataclass(frozen=True)
class Measure:
    key: str
    index: str
    label: str
    kind: str          # COUNT: records ÷ target; RATE: counted ÷ considered; SATISFACTION: weighted ratings
    model: str         # the records' model label, for the derivation list
    rule: str
    read: Callable[[str | int, datetime, datetime], Found]


def _pks(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _both(ids: list[int]) -> Found:
    """A count: every record considered is counted."""
    return ids, ids


def _on_time(rows) -> Found:
    """Rows of (pk, when, deadline): counted when the day of `when` is on or before the deadline."""
    rows = sorted(rows)
    return [pk for pk, _w, _d in rows], [pk for pk, when, deadline in rows
                                         if when is not None and timezone.localdate(when) <= deadline]


def _closed_tasks(q: Q, lo: datetime, hi: datetime):
    return Task.objects.filter(q, status=TaskStatus.CLOSED, closed_at__gte=lo, closed_at__lt=hi)


def _demands(q: Q, lo: datetime, hi: datetime):
    return Demand.objects.filter(q, created_at__gte=lo, created_at__lt=hi)


def _ratings(q: Q, lo: datetime, hi: datetime) -> Found:
    rows = list(Rating.objects.filter(q, created_at__gte=lo, created_at__lt=hi).order_by("pk").values_list("pk", "value"))
    return [pk for pk, _v in rows], [pk for pk, value in rows if value != Satisfaction.DISSATISFIED]


def _held_meetings(q: Q, lo: datetime, hi: datetime):
    return Meeting.objects.filter(q, status=MeetingStatus.CLOSED, starts_at__gte=lo, starts_at__lt=hi)


def _sub(path: str) -> Q:
    return Q(path__startswith=path)


F, P = IndexKind.FORTRESS, IndexKind.PIONEER
DEMAND, TASK, MEETING, RATING = "demands.demand", "handling.task", "deliberation.meeting", "handling.rating"

MEASURES: dict[str, Measure] = {m.key: m for m in [
    Measure("demands_received", F, _("收集诉求"), COUNT, DEMAND, _("期间在本组织所在区域（含下级）提交的诉求件数"),
            lambda path, lo, hi: _both(_pks(_demands(_sub(path), lo, hi)))),
    Measure("response_rate", F, _("响应率"), RATE, DEMAND,
            _("期间提交的诉求中，在筛选期限当天或之前作出筛选决定的件数 ÷ 期间提交的诉求件数"),
            lambda path, lo, hi: _on_time(_demands(_sub(path), lo, hi).values_list("pk", "screened_at", "screening_deadline"))),
    Measure("tasks_closed", F, _("办结事项"), COUNT, TASK, _("期间在本组织所在区域（含下级）销号的办理任务件数"),
            lambda path, lo, hi: _both(_pks(_closed_tasks(_sub(path), lo, hi)))),
    Measure("on_time_rate", F, _("按期办结率"), RATE, TASK,
            _("期间销号的任务中，在办理期限（含经批准的延期）当天或之前销号的件数 ÷ 期间销号的任务件数"),
            lambda path, lo, hi: _on_time(_closed_tasks(_sub(path), lo, hi).values_list("pk", "closed_at", "deadline"))),
    Measure("meetings_held", F, _("协商会议"), COUNT, MEETING, _("期间在本组织所在区域（含下级）召开并已结束的协商会议场数"),
            lambda path, lo, hi: _both(_pks(_held_meetings(_sub(path), lo, hi)))),
    Measure("satisfaction_rate", F, _("满意率"), SATISFACTION, RATING,
            _("期间群众对本区域议题和任务的评价：（满意 + 基本满意 × 权重）÷ 有效评价数"),
            lambda path, lo, hi: _ratings(Q(task__path__startswith=path) | Q(round__topic__path__startswith=path), lo, hi)),
    Measure("tasks_led", P, _("领办任务"), COUNT, TASK, _("期间由本人经办并已销号的办理任务件数"),
            lambda pid, lo, hi: _both(_pks(_closed_tasks(Q(handler_id=pid), lo, hi)))),
    Measure("tasks_on_time", P, _("领办按期率"), RATE, TASK,
            _("本人期间销号的任务中，在办理期限当天或之前销号的件数 ÷ 本人期间销号的任务件数"),
            lambda pid, lo, hi: _on_time(_closed_tasks(Q(handler_id=pid), lo, hi).values_list("pk", "closed_at", "deadline"))),
    Measure("meetings_chaired", P, _("主持会议"), COUNT, MEETING, _("期间由本人主持并已结束的协商会议场数"),
            lambda pid, lo, hi: _both(_pks(_held_meetings(Q(chair_id=pid), lo, hi)))),
    Measure("meetings_attended", P, _("参加议事"), COUNT, MEETING, _("期间本人签到参加并已结束的协商会议场数"),
            lambda pid, lo, hi: _both(sorted(set(Participant.objects.filter(
                person_id=pid, signed_in_at__isnull=False, meeting__status=MeetingStatus.CLOSED,
                meeting__starts_at__gte=lo, meeting__starts_at__lt=hi).values_list("meeting_id", flat=True))))),
    Measure("demands_reported", P, _("反映民情"), COUNT, DEMAND, _("期间由本人提出的诉求件数"),
            lambda pid, lo, hi: _both(_pks(_demands(Q(reporter_id=pid), lo, hi)))),
    Measure("ratings_received", P, _("群众评价"), SATISFACTION, RATING,
            _("期间群众对本人经办任务的评价：（满意 + 基本满意 × 权重）÷ 有效评价数"),
            lambda pid, lo, hi: _ratings(Q(task__handler_id=pid), lo, hi)),
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
