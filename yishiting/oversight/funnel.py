"""The funnel and the open items, as rules over the records: each stage is one filter on the demands collected
in the period, so the count, its drill-down list and its XLSX read the same definition.

收集 → 转为议题 → 上会协商 → 形成决议 → 办结 → 归档 follow a demand through the topic it became (a demand merged
into a topic counts with it); → 直接办理 and → 调解 are the side branches screening opens. A stage is where the
matter stands today, so a month's funnel fills up as its matters move on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Substr, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import Status
from yishiting.demands.models import Demand
from yishiting.handling.choices import Satisfaction, TaskStatus, WarningLevel
from yishiting.handling.models import Task, Warning
from yishiting.mediation.choices import CaseStatus
from yishiting.mediation.models import MediationCase

from .periods import Period

MET = [TopicStatus.DELIBERATING, TopicStatus.RESOLVED, TopicStatus.PUBLICISING, TopicStatus.HANDLING,
       TopicStatus.EVALUATING, TopicStatus.ARCHIVED]
RESOLVED = MET[1:]
DONE = [TopicStatus.EVALUATING, TopicStatus.ARCHIVED]
OPEN_TASK = [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.VERIFYING]
OPEN_CASE = [CaseStatus.OPEN, CaseStatus.MEDIATING, CaseStatus.AGREED]
DONE_CASE = [CaseStatus.CLOSED, CaseStatus.ARCHIVED]
# 办结 — ONE rule for every page (the overview's funnel and category column, the public figures, the roll-ups'
# `cohort_done`): the handling of the matter the demand went to is finished — its topic's tasks all closed (the
# topic is being evaluated or archived), its direct-handling task closed with evidence (销号), or its mediation
# case closed or archived. A topic closed without handling is not 办结.
DONE_RULE = gettext_lazy("诉求所转事项已办理完毕：议题的任务已全部销号（评价中或已归档），或直接办理的任务已销号，"
                         "或调解案件已结案、归档")


def is_done(topic_status: str | None, task_status: str | None, case_status: str | None) -> bool:
    """办结 (DONE_RULE) from the statuses of the demand's topic, task and case (None: it has none)."""
    return topic_status in DONE or task_status == TaskStatus.CLOSED or case_status in DONE_CASE


def done_q(topic: str = "topic_status", task: str = "task_status", case: str = "case_status") -> Q:
    """办结 (DONE_RULE) as a filter on demands; the field names default to `collected()`'s annotations (pass
    "topic__status", "task__status", "mediation__status" on a plain demand queryset)."""
    return Q(**{f"{topic}__in": DONE}) | Q(**{task: TaskStatus.CLOSED}) | Q(**{f"{case}__in": DONE_CASE})


BEFORE_HANDLING = [TopicStatus.OPEN, TopicStatus.ANALYSING, TopicStatus.SCHEDULED, TopicStatus.DELIBERATING,
                   TopicStatus.RESOLVED, TopicStatus.PUBLICISING]


@dataclass(frozen=True)
class StageRule:
    key: str
    label: Promise
    q: Q
    rule: Promise
    branch: bool = False


STAGES = [
    StageRule("collected", gettext_lazy("收集"), Q(), gettext_lazy("期间提交的诉求（含代录）")),
    StageRule("topic", gettext_lazy("转为议题"), Q(topic__isnull=False),
              gettext_lazy("其中已转为议题或并入议题的诉求")),
    StageRule("met", gettext_lazy("上会协商"), Q(topic_status__in=MET),
              gettext_lazy("其议题已上会协商（协商中或其后各环节）")),
    StageRule("resolved", gettext_lazy("形成决议"), Q(topic_status__in=RESOLVED),
              gettext_lazy("其议题已形成决议（公示、办理、评价、归档也计入）")),
    StageRule("done", gettext_lazy("办结"), done_q(), DONE_RULE),
    StageRule("archived", gettext_lazy("归档"), Q(topic_status=TopicStatus.ARCHIVED),
              gettext_lazy("其议题已归档（一事一档）")),
    StageRule("handling", gettext_lazy("直接办理"), Q(task__isnull=False), gettext_lazy("筛选为直接办理的诉求"),
              branch=True),
    StageRule("handling_done", gettext_lazy("直接办理已办结"), Q(task_status=TaskStatus.CLOSED),
              gettext_lazy("其中办理任务已销号"), branch=True),
    StageRule("mediation", gettext_lazy("调解"), Q(mediation__isnull=False), gettext_lazy("筛选为调解的诉求"),
              branch=True),
    StageRule("mediation_done", gettext_lazy("调解已结案"), Q(case_status__in=DONE_CASE),
              gettext_lazy("其中调解案件已结案或归档"), branch=True),
]
STAGE_RULES = {rule.key: rule for rule in STAGES}
# The columns of the category ranking, each a filter on `collected` (the page's figure and its drill-down).
CATEGORY_COLUMNS = {"topic": Q(topic__isnull=False), "handling": Q(task__isnull=False),
                    "mediation": Q(mediation__isnull=False),
                    "done": done_q()}


def stages_of(topic_status: str | None, task_status: str | None, case_status: str | None) -> list[str]:
    """The stages (STAGES keys) a demand stands at today, from its topic's, task's and case's status (None: it
    has none) — the same rules as STAGES' filters, in Python: the roll-ups keep them as `cohort_<stage>` on the
    demand's submission day (oversight.projection), so the overview reads the funnel without counting demands.
    "done" is 办结 by any road (DONE_RULE), the funnel's stage, the categories' column and the public figure."""
    found = ["collected"]
    if topic_status is not None:
        found += ["topic"] + [key for key, statuses in (("met", MET), ("resolved", RESOLVED),
                                                        ("archived", [TopicStatus.ARCHIVED])) if topic_status in statuses]
    if task_status is not None:
        found += ["handling"] + (["handling_done"] if task_status == TaskStatus.CLOSED else [])
    if case_status is not None:
        found += ["mediation"] + (["mediation_done"] if case_status in DONE_CASE else [])
    if is_done(topic_status, task_status, case_status):
        found.append("done")
    return found


def window(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.combine(period.start, time.min, tzinfo=zone),
            datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone))


def basic_weight() -> Decimal:
    from .selectors.rollups import satisfaction_weight  # kept per process

    return satisfaction_weight()


def collected(area: Area, period: Period) -> QuerySet[Demand]:
    """The demands collected under `area` in the period, with where their topic, task and case stand (the stage
    rules filter on these: a filtered aggregate may not join by itself)."""
    lo, hi = window(period)
    return Demand.objects.filter(path__startswith=area.path, created_at__gte=lo, created_at__lt=hi).annotate(
        topic_status=F("topic__status"), task_status=F("task__status"), case_status=F("mediation__status"))


def counts(area: Area, period: Period) -> dict[str, int]:
    """Every stage in one grouped query."""
    return collected(area, period).aggregate(**{rule.key: Count("pk", filter=rule.q) for rule in STAGES})


def collected_by_prefix(area: Area, period: Period, length: int) -> dict[str, int]:
    """Demands collected per child area (the path's first `length` characters), one query."""
    rows = collected(area, period).annotate(prefix=Substr("path", 1, length)).values("prefix") \
        .annotate(n=Count("pk")).order_by()
    return {row["prefix"]: row["n"] for row in rows}


def by_category(area: Area, period: Period) -> list[dict[str, Any]]:
    columns = {key: Count("pk", filter=q) for key, q in CATEGORY_COLUMNS.items()}
    return list(collected(area, period).values("category", "category__name").annotate(
        collected=Count("pk"), **columns).order_by("-collected", "category__name"))


# ---- open items -------------------------------------------------------------------------------------------------

def _red(today: date) -> Exists:
    """A red (or escalated) warning issued against the task's deadline now in force."""
    return Exists(Warning.objects.filter(task=OuterRef("pk"), deadline=OuterRef("deadline"),
                                         level__in=[WarningLevel.RED, WarningLevel.ESCALATED]))


def open_demands(area: Area) -> QuerySet[Demand]:
    return Demand.objects.filter(path__startswith=area.path, status=Status.PENDING)


def open_topics(area: Area, statuses: list[str]) -> QuerySet[Topic]:
    return Topic.objects.filter(path__startswith=area.path, status__in=statuses)


def open_tasks(area: Area, today: date) -> QuerySet[Task]:
    return Task.objects.filter(path__startswith=area.path, status__in=OPEN_TASK).annotate(red=_red(today))


def open_cases(area: Area) -> QuerySet[MediationCase]:
    return MediationCase.objects.filter(path__startswith=area.path, status__in=OPEN_CASE)


def _open_part(qs: QuerySet, stage: str, status: Any = "", late: Q | None = None, red: Q | None = None) -> QuerySet:
    """One stage's open items as a row (stage, status, n, late, red) of the union live_open_counts reads."""
    def counted(flag: Q | None) -> Any:
        return Count("pk", filter=flag) if flag is not None else Value(0, output_field=IntegerField())

    return (qs.annotate(stage=Value(stage, output_field=CharField()),
                        st=status if status != "" else Value("", output_field=CharField()))
            .values("stage", "st").annotate(n=Count("pk"), late=counted(late), red=counted(red)).order_by())


def live_open_counts(area: Area, today: date) -> dict[str, tuple[int, int]]:
    """Open items by stage from the records themselves — stage → (open, overdue), "tasks_red" the red-warned
    tasks: ONE query (a union of four grouped counts over what is open now, by index on path and status). The
    page reads the same from the roll-ups' gauge (`selectors.rollups.open_gauge`); this is what the gauge's
    property test compares it with, and what an area below the grid reads."""
    parts = [
        _open_part(open_demands(area), "screening", late=Q(screening_deadline__lt=today)),
        _open_part(Topic.objects.filter(path__startswith=area.path, status__in=BEFORE_HANDLING + [TopicStatus.EVALUATING]),
                   "topics", F("status")),
        _open_part(Task.objects.filter(path__startswith=area.path, status__in=OPEN_TASK), "tasks",
                   late=Q(deadline__lt=today), red=Q(_red(today))),
        _open_part(open_cases(area), "mediation", late=Q(deadline__lt=today)),
    ]
    rows = list(parts[0].union(*parts[1:], all=True))
    found = {stage: (r["n"], r["late"]) for r in rows if (stage := r["stage"]) != "topics"}
    found["tasks_red"] = next(((r["red"], r["red"]) for r in rows if r["stage"] == "tasks"), (0, 0))
    topics = {r["st"]: r["n"] for r in rows if r["stage"] == "topics"}
    found["deliberation"] = (sum(topics.get(s, 0) for s in BEFORE_HANDLING), 0)
    found["evaluating"] = (topics.get(TopicStatus.EVALUATING, 0), 0)
    return {stage: n for stage, n in found.items() if n[0]}


def open_counts(by_stage: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """The overview's rows of open items from stage → (open, overdue) (the gauge's or the live count's)."""
    def of(stage: str) -> tuple[int, int]:
        return by_stage.get(stage, (0, 0))

    return [
        {"key": "screening", "label": _("待筛选诉求"), "open": of("screening")[0], "overdue": of("screening")[1],
         "red": 0, "drill": "open.screening"},
        {"key": "deliberation", "label": _("议题协商中（至公示）"), "open": of("deliberation")[0], "overdue": 0,
         "red": 0, "drill": "open.deliberation"},
        {"key": "tasks", "label": _("任务办理中"), "open": of("tasks")[0], "overdue": of("tasks")[1],
         "red": of("tasks_red")[0], "drill": "open.tasks"},
        {"key": "mediation", "label": _("调解中"), "open": of("mediation")[0], "overdue": of("mediation")[1], "red": 0,
         "drill": "open.mediation"},
        {"key": "evaluating", "label": _("评价中"), "open": of("evaluating")[0], "overdue": 0, "red": 0,
         "drill": "open.evaluating"},
    ]


def pressing(area: Area, today: date, limit: int) -> list[dict[str, Any]]:
    """Red-warned and overdue items on top: tasks (the red-warned, then the overdue), demands past their
    screening deadline, cases past their limit — at most `limit` of each read in deadline order (each an index
    range with LIMIT: the pending demands by `demand_pending_due_idx`, never a sort of every open row), then
    sorted together by red, days overdue."""
    items, seen = [], set()
    tasks = open_tasks(area, today).select_related("area", "organization").order_by("deadline", "pk")
    for task in [*tasks.filter(red=True)[:limit], *tasks.filter(deadline__lt=today)[:limit]]:
        if task.pk in seen:
            continue
        seen.add(task.pk)
        items.append(_item(_("任务"), task.title, task.area, task.deadline, today, task.red, task.get_status_display(),
                           reverse("web:task_detail", args=[task.pk])))
    for demand in open_demands(area).filter(screening_deadline__lt=today).select_related("area", "category") \
            .order_by("screening_deadline", "pk")[:limit]:
        items.append(_item(_("诉求"), f"{demand.number} {demand.category.name}", demand.area,
                           demand.screening_deadline, today, False, demand.get_status_display(),
                           reverse("web:demand_detail", args=[demand.pk])))
    for case in open_cases(area).filter(deadline__lt=today).select_related("area").order_by("deadline", "pk")[:limit]:
        items.append(_item(_("调解"), case.title, case.area, case.deadline, today, False, case.get_status_display(),
                           reverse("web:mediation_detail", args=[case.pk])))
    items.sort(key=lambda item: (not item["red"], -item["days"], item["deadline"]))
    return items[:limit]


def _item(kind: str, title: str, area: Area, deadline: date, today: date, red: bool, status: str, url: str) -> dict:
    return {"kind": kind, "title": title, "area": area.name, "deadline": deadline, "red": bool(red),
            "days": max((today - deadline).days, 0), "status": status, "url": url}


def live_units(area: Area, period: Period) -> dict[str, tuple[int, int, dict[str, int]]]:
    """Responsible unit ("" none) → (tasks closed in the period, on time, the ratings given in the period on
    its tasks by value), from the records: what the roll-ups' `unit_` cells are compared with (tests)."""
    from yishiting.common.models import Event

    lo, hi = window(period)
    closed = (Task.objects.filter(path__startswith=area.path, status=TaskStatus.CLOSED, closed_at__gte=lo,
                                  closed_at__lt=hi)
              .annotate(day=TruncDate("closed_at")).values("organization")
              .annotate(closed=Count("pk"), on_time=Count("pk", filter=Q(day__lte=F("deadline")))).order_by())
    rated = list(Event.objects.filter(kind="rating.given", subject_type="handling.task", at__gte=lo, at__lt=hi,
                                      payload__path__startswith=area.path).values_list("subject_id", "payload__value"))
    units = dict(Task.objects.filter(pk__in={int(s) for s, _v in rated}).values_list("pk", "organization"))
    ratings: dict[str, dict[str, int]] = {}
    for subject_id, value in rated:
        if value in Satisfaction.values:
            counts = ratings.setdefault(str(units.get(int(subject_id)) or ""), {})
            counts[value] = counts.get(value, 0) + 1
    return {str(r["organization"] or ""): (r["closed"], r["on_time"], ratings.get(str(r["organization"] or ""), {}))
            for r in closed}

