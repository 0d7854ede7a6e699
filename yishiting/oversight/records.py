"""Drill-down (查看明细): the records behind every figure of the overview, as one queryset per figure key and a
column layout per record kind — the same rows for the paginated page and the XLSX.

Figure keys: `funnel.<stage>`, `rate.response|on_time|satisfaction|resolved`, `open.<stage>`, `area.<id>`,
`category.<id>[.topic|handling|mediation|done]`, `unit.<id>` (`unit.0`: tasks without a responsible unit).
Personal data is masked: a reporter shows as 张*, phones and names in free text are starred; no demand text is
listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_free_text, mask_name
from yishiting.common.xlsx import Column, local_date
from yishiting.handling import kpis
from yishiting.handling.choices import TaskStatus
from yishiting.handling.models import Task
from yishiting.handling.selectors.evaluation import VALUE_LABELS

from . import funnel
from .periods import Period

MAX_EXPORT = 100_000  # common.xlsx.MAX_ROWS: one export is bounded


@dataclass
class Drill:
    title: str
    kind: str  # demand | task | topic | case | rating
    rows: QuerySet
    columns: list[Column]
    link: Callable[[Any], str] | None


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def demand_columns() -> list[Column]:
    return [Column(_("编号"), 18, lambda d: d.number), Column(_("类别"), 12, lambda d: d.category.name),
            Column(_("发生地"), 28, lambda d: d.area.full_name or d.area.name),
            Column(_("诉求人"), 10, lambda d: mask_name(d.reporter.name) if d.reporter_id else _("匿名")),
            Column(_("状态"), 12, lambda d: d.get_status_display()),
            Column(_("提交日期"), 12, lambda d: local_date(d.created_at)),
            Column(_("筛选期限"), 12, lambda d: d.screening_deadline)]


def task_columns() -> list[Column]:
    return [Column(_("任务"), 36, lambda t: mask_free_text(t.title)),
            Column(_("责任单位"), 24, lambda t: t.organization.name if t.organization_id else "—"),
            Column(_("区域"), 20, lambda t: t.area.name), Column(_("状态"), 10, lambda t: t.get_status_display()),
            Column(_("办理期限"), 12, lambda t: t.deadline), Column(_("销号日期"), 12, lambda t: local_date(t.closed_at)),
            Column(_("按期"), 8, lambda t: _yes(t.closed_at is not None and local_date(t.closed_at) <= t.deadline)
                   if t.status == TaskStatus.CLOSED else "—")]


def topic_columns() -> list[Column]:
    return [Column(_("议题"), 40, lambda t: mask_free_text(t.title)), Column(_("层级区域"), 20, lambda t: t.level_area.name),
            Column(_("状态"), 12, lambda t: t.get_status_display()), Column(_("创建日期"), 12, lambda t: local_date(t.created_at))]


def case_columns() -> list[Column]:
    return [Column(_("案由"), 36, lambda c: mask_free_text(c.title)), Column(_("区域"), 20, lambda c: c.area.name),
            Column(_("状态"), 12, lambda c: c.get_status_display()), Column(_("办结期限"), 12, lambda c: c.deadline)]


def rating_columns() -> list[Column]:
    return [Column(_("评价时间"), 14, lambda e: local_date(e.at)),
            Column(_("评价"), 10, lambda e: str(VALUE_LABELS.get(e.payload.get("value"), "—"))),
            Column(_("对象"), 16, lambda e: _("评价轮次") if e.subject_type == "handling.evaluationround"
                   else _("调解案件") if e.subject_type == kpis.CASE else _("任务"))]


def _demands(qs: QuerySet) -> QuerySet:
    return qs.select_related("category", "area", "reporter").order_by("-created_at", "-pk")


def _tasks(qs: QuerySet) -> QuerySet:
    return qs.select_related("organization", "area").order_by("deadline", "pk")


def _closed_tasks(area: Area, period: Period) -> QuerySet:
    lo, hi = funnel.window(period)
    return Task.objects.filter(path__startswith=area.path, status=TaskStatus.CLOSED, closed_at__gte=lo, closed_at__lt=hi)


def _ratings(area: Area, period: Period) -> QuerySet:
    return (kpis._events("rating.given", "handling.evaluationround", period.start, period.end)
            | kpis._events("rating.given", kpis.TASK, period.start, period.end)
            | kpis._events("rating.given", kpis.CASE, period.start, period.end)) \
        .filter(payload__path__startswith=area.path).order_by("-at", "-pk")


def _demand_drill(title: str, qs: QuerySet) -> Drill:
    return Drill(title, "demand", _demands(qs), demand_columns(), lambda d: reverse("web:demand_detail", args=[d.pk]))


def _task_drill(title: str, qs: QuerySet) -> Drill:
    return Drill(title, "task", _tasks(qs), task_columns(), lambda t: reverse("web:task_detail", args=[t.pk]))


def drill(key: str, area: Area, period: Period, today: date | None = None) -> Drill:
    """The records behind figure `key` of `area` over `period`; an unknown key is a DomainError."""
    today = today or timezone.localdate()
    group, _dot, rest = (key or "").partition(".")
    builder = {"funnel": _funnel, "rate": _rate, "open": _open, "area": _area, "category": _category,
               "unit": _unit}.get(group)
    found = builder(rest, area, period, today) if builder else None
    if found is None:
        raise DomainError("unknown_figure", _("没有这项统计。"), details={"field": "figure"})
    return found


def _funnel(stage: str, area: Area, period: Period, today: date) -> Drill | None:
    rule = funnel.STAGE_RULES.get(stage)
    if rule is None:
        return None
    return _demand_drill(_("%(stage)s：%(rule)s") % {"stage": rule.label, "rule": rule.rule},
                         funnel.collected(area, period).filter(rule.q))


def _rate(which: str, area: Area, period: Period, today: date) -> Drill | None:
    if which == "response":
        return _demand_drill(_("响应率：期间收到的诉求（分母）"), funnel.collected(area, period))
    if which == "on_time":
        return _task_drill(_("按期办结率：期间销号的任务（分母）"), _closed_tasks(area, period))
    if which == "satisfaction":
        return Drill(_("满意率：期间收到的评价（不记名）"), "rating", _ratings(area, period), rating_columns(), None)
    if which == "resolved":  # the district may show 解决率: the ratings the reporters themselves gave
        return Drill(_("解决率：期间诉求人给出的评价（不记名）"), "rating",
                     _ratings(area, period).filter(payload__reporter=True), rating_columns(), None)
    return None


def _open(stage: str, area: Area, period: Period, today: date) -> Drill | None:
    if stage == "screening":
        return _demand_drill(_("待筛选诉求（逾期的在前）"), funnel.open_demands(area).order_by("screening_deadline", "pk"))
    if stage == "tasks":
        found = _task_drill(_("任务办理中（红色预警和逾期的在前）"), funnel.open_tasks(area, today))
        found.rows = found.rows.order_by("-red", "deadline", "pk")
        return found
    if stage in ("deliberation", "evaluating"):
        statuses = funnel.BEFORE_HANDLING if stage == "deliberation" else [funnel.TopicStatus.EVALUATING]
        qs = funnel.open_topics(area, statuses).select_related("level_area").order_by("created_at", "pk")
        return Drill(_("议题协商中（至公示）") if stage == "deliberation" else _("评价中"), "topic", qs, topic_columns(),
                     lambda t: reverse("web:topic_detail", args=[t.pk]))
    if stage == "mediation":
        qs = funnel.open_cases(area).select_related("area").order_by(F("deadline").asc(nulls_last=True), "pk")
        return Drill(_("调解中"), "case", qs, case_columns(), lambda c: reverse("web:mediation_detail", args=[c.pk]))
    return None


def _child(rest: str, area: Area) -> Area | None:
    return Area.objects.filter(pk=int(rest), path__startswith=area.path).first() if rest.isdigit() else None


def _area(rest: str, area: Area, period: Period, today: date) -> Drill | None:
    child = _child(rest, area)
    return _demand_drill(_("%(area)s 期间收集的诉求") % {"area": child.name}, funnel.collected(child, period)) \
        if child else None


CATEGORY_TITLES = {"topic": gettext_lazy("该类别期间收集、已转为议题的诉求"),
                   "handling": gettext_lazy("该类别期间收集、筛选为直接办理的诉求"),
                   "mediation": gettext_lazy("该类别期间收集、筛选为调解的诉求"),
                   "done": gettext_lazy("该类别期间收集、已办结的诉求（议题办结、任务销号或调解结案）")}


def _category(rest: str, area: Area, period: Period, today: date) -> Drill | None:
    """`category.<id>`: the demands of the category collected in the period; `category.<id>.<column>`: those
    of one column of the category ranking (转为议题, 直接办理, 调解, 办结)."""
    category, _dot, column = rest.partition(".")
    if not category.isdigit() or (column and column not in funnel.CATEGORY_COLUMNS):
        return None
    qs = funnel.collected(area, period).filter(category_id=int(category))
    if column:
        return _demand_drill(str(CATEGORY_TITLES[column]), qs.filter(funnel.CATEGORY_COLUMNS[column]))
    return _demand_drill(_("该类别期间收集的诉求"), qs)


def _unit(rest: str, area: Area, period: Period, today: date) -> Drill | None:
    if not rest.isdigit():
        return None
    unit = Q(organization__isnull=True) if rest == "0" else Q(organization_id=int(rest))
    return _task_drill(_("该责任单位期间销号的任务"), _closed_tasks(area, period).filter(unit))


def as_cells(drill_: Drill, row: Any) -> list[Any]:
    return [column.value(row) for column in drill_.columns]
