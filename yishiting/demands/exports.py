"""XLSX export of the three lists (三张清单): problem, need and responsibility list.

The caller passes a queryset it has already limited to the viewer's scope and filters (selectors.three_list);
this module only lays it out (the sheet itself, shared with the task ledger, is common.xlsx). Personal data is
always masked (name 张*, mobile 138****1234, address kept to the estate); the sheet has Chinese headers, a frozen
header row with filters, set column widths and real dates, and a cell is never a formula.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_address, mask_mobile, mask_name
from yishiting.common.xlsx import Column, refuse_too_large, xlsx_of
from yishiting.common.xlsx import local_date as _local_date

from .choices import Status
from .models import Demand
from .selectors import LISTS, OPEN


def _reporter(demand: Demand) -> str:
    if demand.reporter is None:
        return "匿名" if demand.reporter_kind == "anonymous" else ""
    return mask_name(demand.reporter.name)


def _overdue(demand: Demand) -> str:
    if demand.status not in OPEN:
        return ""
    return "是" if demand.screening_deadline < timezone.localdate() else "否"


COMMON = [
    Column("编号", 13, lambda d: d.number),
    Column("提交日期", 12, lambda d: _local_date(d.created_at)),
    Column("类别", 10, lambda d: d.category.name),
    Column("内容", 60, lambda d: d.text),
    Column("发生地", 36, lambda d: d.area.full_name or d.area.name),
]
INTAKE = [
    Column("渠道", 14, lambda d: d.get_channel_display()),
    Column("紧急程度", 9, lambda d: d.get_urgency_display()),
    Column("地址", 22, lambda d: mask_address(d.address)),
    Column("诉求人", 9, _reporter),
    Column("联系电话", 14, lambda d: mask_mobile(d.reporter.mobile) if d.reporter else ""),
    Column("提交方式", 12, lambda d: d.get_reporter_kind_display()),
    Column("状态", 12, lambda d: d.get_status_display()),
    Column("性质", 10, lambda d: d.get_nature_display()),
    Column("办理层级", 14, lambda d: d.level_area.name),
    Column("筛选期限", 12, lambda d: d.screening_deadline),
    Column("是否超期", 9, _overdue),
    Column("筛选日期", 12, lambda d: _local_date(d.screened_at)),
]


def _responsible_unit(d: Demand) -> str:
    """Who answers for it: the task's organization, the level that deliberates the topic, or the mediators."""
    if d.status == Status.HANDLING and d.task is not None:
        return d.task.organization.name if d.task.organization else d.level_area.full_name
    if d.status == Status.TOPIC and d.topic is not None:
        return f"{d.topic.level_area.full_name}（议事协商）"
    if d.status == Status.MEDIATION and d.mediation is not None:
        return f"{d.mediation.area.full_name}（人民调解）"
    return ""


def _tasks(d: Demand) -> list:
    """The tasks that carry the matter out: a direct-handling demand's own, or its topic's (cancelled ones left
    out; `topic__tasks` prefetched, so the handling app is read without importing it)."""
    if d.status == Status.HANDLING and d.task is not None:
        return [d.task]
    if d.status == Status.TOPIC and d.topic is not None:
        return [t for t in d.topic.tasks.all() if t.status != "cancelled"]
    return []


def _handlers(d: Demand) -> str:
    """经办人: officials acting in office are named (docs: names and masking), each once."""
    return "、".join(dict.fromkeys(t.handler.name for t in _tasks(d)))


def _deadline(d: Demand):
    """办理期限: the latest deadline of the tasks now in force (an approved extension's included); a mediation
    case's own limit (its working days from opening)."""
    if d.status == Status.MEDIATION and d.mediation is not None:
        return d.mediation.deadline
    return max((t.deadline for t in _tasks(d)), default=None)


def _matter(d: Demand):
    return {Status.HANDLING: d.task, Status.TOPIC: d.topic, Status.MEDIATION: d.mediation}.get(d.status)


RESPONSIBILITY = [
    Column("去向", 12, lambda d: d.get_status_display()),
    Column("性质", 10, lambda d: d.get_nature_display()),
    Column("办理层级", 14, lambda d: d.level_area.name),
    Column("责任事项", 36, lambda d: m.title if (m := _matter(d)) else ""),
    Column("责任主体", 30, _responsible_unit),
    Column("经办人", 12, _handlers),
    Column("办理期限", 12, _deadline),
    Column("进展", 10, lambda d: m.get_status_display() if (m := _matter(d)) else ""),
    Column("筛选日期", 12, lambda d: _local_date(d.screened_at)),
]

LAYOUTS = {"problem": COMMON + INTAKE, "need": COMMON + INTAKE, "responsibility": COMMON + RESPONSIBILITY}
RELATED = {
    "problem": ["category", "area", "level_area", "reporter"],
    "need": ["category", "area", "level_area", "reporter"],
    "responsibility": ["category", "area", "level_area", "task__organization", "task__handler",
                       "topic__level_area", "mediation__area"],
}
PREFETCH = {"responsibility": ["topic__tasks__handler"]}


def three_list_xlsx(queryset: QuerySet[Demand], kind: str) -> bytes:
    """The list `kind` (problem, need, responsibility) of the given demands as an XLSX workbook."""
    if kind not in LAYOUTS:
        raise DomainError("invalid_choice", "清单类型不正确：应为 problem、need 或 responsibility。",
                          details={"field": "kind"})
    refuse_too_large(queryset)
    rows = queryset.select_related(*RELATED[kind]).prefetch_related(*PREFETCH.get(kind, [])).iterator(chunk_size=2000)
    return xlsx_of(rows, LAYOUTS[kind], title=LISTS[kind][0])
