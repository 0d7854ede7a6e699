"""XLSX export of the 任务台账 (task ledger): the tasks of the current filter, as a street official keeps them.

The caller passes a queryset already limited to the viewer's scope and filters (selectors.tasks.task_search over
tasks_visible_to, the same as the list); this module only lays it out on the shared sheet (common.xlsx). Names are
masked (郑**) like everywhere else; days are China's calendar days.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from yishiting.common.masking import mask_name
from yishiting.common.xlsx import Column, local_date, refuse_too_large, xlsx_of
from yishiting.handling.records_language import in_site_language

from .choices import TaskStatus, WarningLevel
from .models import Task
from .selectors.tasks import task_ledger, warning_level
from .transitions import OPEN_TASK

TITLE = "任务台账"
WARNINGS = {WarningLevel.YELLOW: "黄色预警", WarningLevel.RED: "红色预警", WarningLevel.ESCALATED: "红色·提级督办"}


def _responsible(task: Task) -> str:
    kind = task.get_subject_kind_display()
    return f"{kind}：{task.organization.name}" if task.organization_id else kind


def _extended_days(task: Task) -> int | None:
    """Calendar days the approved extensions added (the first deadline is kept in original_deadline)."""
    return (task.deadline - task.original_deadline).days if task.original_deadline else None


def _overdue(task: Task, today: date) -> str:
    """Open past its deadline, or closed (销号) after it; a cancelled task is neither."""
    if task.status == TaskStatus.CLOSED:
        return "是" if local_date(task.closed_at) > task.deadline else "否"
    if task.status in OPEN_TASK:
        return "是" if task.deadline < today else "否"
    return ""


def _warning(task: Task) -> str:
    return WARNINGS.get(warning_level(task), "") if task.status in OPEN_TASK else ""


def _verifier(task: Task) -> str:
    """Who verified the 销号; before that, the supervisor named on the task (none named: the office decides)."""
    name = task.verifier_name or (task.supervisor.name if task.supervisor_id else "")
    return mask_name(name)


def _accept_hours(task: Task) -> float | None:
    """Hours from assignment (or reassignment) to 签收, from the task.accepted event; empty while not accepted."""
    try:
        return float(task.accept_hours) if task.accept_hours not in (None, "") else None
    except (TypeError, ValueError):
        return None


def columns(today: date) -> list[Column]:
    return [
        Column("编号", 8, lambda t: t.pk),
        Column("事项", 32, lambda t: t.title),
        Column("议题", 28, lambda t: t.topic.title if t.topic_id else ""),
        Column("办理地点", 30, lambda t: t.area.full_name or t.area.name),
        Column("责任主体", 28, _responsible),
        Column("办理人", 9, lambda t: mask_name(t.handler.name)),
        Column("办理标准", 44, lambda t: t.standard),
        Column("交办日期", 12, lambda t: local_date(t.created_at)),
        Column("签收日期", 12, lambda t: local_date(t.accepted_at)),
        Column("签收用时（小时）", 14, _accept_hours),
        Column("期限", 12, lambda t: t.deadline),
        Column("状态", 11, lambda t: t.get_status_display()),
        Column("进度（%）", 9, lambda t: 100 if t.status == TaskStatus.CLOSED else t.percent),
        Column("是否延期", 9, lambda t: "是" if t.original_deadline else "否"),
        Column("批准延期（天）", 13, _extended_days),
        Column("原定期限", 12, lambda t: t.original_deadline),
        Column("是否超期", 9, lambda t: _overdue(t, today)),
        Column("预警", 14, _warning),
        Column("销号日期", 12, lambda t: local_date(t.closed_at)),
        Column("核验人", 9, _verifier),
    ]


@in_site_language
def task_ledger_xlsx(queryset: QuerySet[Task], *, today: date | None = None) -> bytes:
    """The given tasks (all of them, in the queryset's order) as the 任务台账 workbook; too many → DomainError."""
    refuse_too_large(queryset)
    rows = task_ledger(queryset).iterator(chunk_size=2000)
    return xlsx_of(rows, columns(today or timezone.localdate()), title=TITLE)


@in_site_language
def ledger_filename(today: date | None = None) -> str:
    return f"{TITLE}-{(today or timezone.localdate()):%Y%m%d}.xlsx"
