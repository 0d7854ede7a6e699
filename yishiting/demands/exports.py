"""XLSX export of the three lists (三张清单): problem, need and responsibility list.

The caller passes a queryset it has already limited to the viewer's scope and filters (selectors.three_list);
this module only lays it out. Personal data is always masked (name 张*, mobile 138****1234, address kept to the
estate); the sheet has Chinese headers, a frozen header row with filters, set column widths and real dates.
A cell is never a formula: text starting with "=" stays text, so a demand cannot inject one into Excel.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_address, mask_mobile, mask_name

from .choices import Status
from .models import Demand
from .selectors import LISTS, OPEN

MAX_ROWS = 100_000
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGN = Alignment(vertical="center", horizontal="center")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[Demand], Any]


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


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


def _matter(d: Demand):
    return {Status.HANDLING: d.task, Status.TOPIC: d.topic, Status.MEDIATION: d.mediation}.get(d.status)


RESPONSIBILITY = [
    Column("去向", 12, lambda d: d.get_status_display()),
    Column("性质", 10, lambda d: d.get_nature_display()),
    Column("办理层级", 14, lambda d: d.level_area.name),
    Column("责任事项", 36, lambda d: m.title if (m := _matter(d)) else ""),
    Column("责任主体", 30, _responsible_unit),
    Column("经办人", 9, lambda d: mask_name(d.task.handler.name) if d.status == Status.HANDLING and d.task else ""),
    Column("办理期限", 12, lambda d: d.task.deadline if d.status == Status.HANDLING and d.task else None),
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


def _cell(sheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _header(sheet, columns: list[Column]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        cells.append(cell)
    return cells


def three_list_xlsx(queryset: QuerySet[Demand], kind: str) -> bytes:
    """The list `kind` (problem, need, responsibility) of the given demands as an XLSX workbook."""
    if kind not in LAYOUTS:
        raise DomainError("invalid_choice", "清单类型不正确：应为 problem、need 或 responsibility。",
                          details={"field": "kind"})
    if queryset[:MAX_ROWS + 1].count() > MAX_ROWS:
        raise DomainError("export_too_large", f"一次最多导出 {MAX_ROWS:,} 条，请缩小时间段或区域后再导出。")
    columns = LAYOUTS[kind]
    book = Workbook(write_only=True)
    book.properties.title = LISTS[kind][0]
    sheet = book.create_sheet(LISTS[kind][0])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, columns))
    rows = 1
    for demand in queryset.select_related(*RELATED[kind]).iterator(chunk_size=2000):
        sheet.append([_cell(sheet, column.value(demand)) for column in columns])
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows}"  # written after the rows
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
