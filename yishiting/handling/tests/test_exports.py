"""The 任务台账 (task ledger) XLSX as a street official opens it in Excel or WPS."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yishiting.common import xlsx
from yishiting.common.errors import DomainError
from yishiting.handling.exports import task_ledger_xlsx
from yishiting.handling.models import Task
from yishiting.handling.selectors.tasks import TaskFilter, task_search, tasks_visible_to

from .tasks_world import assign, ledger, ledger_rows

HEADERS = ["编号", "事项", "议题", "办理地点", "责任主体", "办理人", "办理标准", "交办日期", "签收日期",
           "签收用时（小时）", "期限", "状态",
           "进度（%）", "是否延期", "批准延期（天）", "原定期限", "是否超期", "预警", "销号日期", "核验人"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def ledger_of(world, persona: str, f: TaskFilter | None = None) -> bytes:
    return task_ledger_xlsx(task_search(tasks_visible_to(world.users[persona]), f or TaskFilter()))


def test_the_ledger_has_chinese_headers_a_frozen_header_row_and_readable_widths(world):
    ledger(world)
    sheet = open_sheet(ledger_of(world, "street_official"))
    assert sheet.title == "任务台账"
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 4 and sheet.auto_filter.ref == "A1:T4"  # filters on the header, over every row
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    assert widths["办理标准"] >= 40 and widths["事项"] >= 30 and 8 <= widths["办理人"] <= 12


def test_each_task_reads_as_the_office_keeps_it(world):
    tasks = ledger(world)
    lamp, late = tasks["lamp"], tasks["late"]
    today = timezone.localdate()
    rows = ledger_rows(ledger_of(world, "community_staff"))
    closed = rows["更换3栋楼道声控灯"]
    assert closed["编号"] == lamp.pk and closed["议题"] == tasks["topic"].title
    assert closed["办理地点"] == "幸福区/东风街道/幸福苑社区/幸福苑小区/幸福苑3栋"
    assert closed["责任主体"] == "责任单位：东风街道城管执法队"
    assert closed["办理人"] == "郑**" and closed["办理标准"].startswith("3栋1–6层")
    assert closed["交办日期"].date() == today and closed["期限"].date() == lamp.deadline
    assert closed["签收日期"].date() == today and 0 <= closed["签收用时（小时）"] < 1  # 签收 right away
    assert (closed["状态"], closed["进度（%）"]) == ("已销号", 100)
    assert (closed["是否延期"], closed["批准延期（天）"]) == ("是", 5)
    assert closed["原定期限"].date() == lamp.deadline - timedelta(days=5)
    assert (closed["是否超期"], closed["预警"]) == ("否", None)
    assert closed["销号日期"].date() == today and closed["核验人"] == "钱**"
    overdue = rows["清理3栋楼道杂物"]
    assert overdue["编号"] == late.pk and overdue["责任主体"] == "社区"
    assert overdue["交办日期"].date() == today - timedelta(days=27)
    assert overdue["签收日期"].date() == today and overdue["签收用时（小时）"] is not None
    assert (overdue["是否延期"], overdue["批准延期（天）"], overdue["原定期限"]) == ("否", None, None)
    assert (overdue["是否超期"], overdue["销号日期"], overdue["核验人"]) == ("是", None, None)
    assert overdue["预警"].startswith("红色")


def test_dates_are_real_dates_of_the_chinese_calendar(world):
    tasks = ledger(world)
    # Assigned at 01:30 Beijing time: still the previous day in UTC, the same day in the ledger.
    at = timezone.make_aware(timezone.datetime(2026, 11, 3, 1, 30))
    Task.objects.filter(pk=tasks["late"].pk).update(created_at=at)
    sheet = open_sheet(ledger_of(world, "community_staff"))
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == tasks["late"].pk]
    cell = row[HEADERS.index("交办日期")]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    assert str(cell.value.date()) == "2026-11-03"


def test_scope_and_filter_are_those_of_the_list(world):
    tasks = ledger(world)
    assert set(ledger_rows(ledger_of(world, "community_staff"))) == {"更换3栋楼道声控灯", "清理3栋楼道杂物"}
    street = ledger_rows(ledger_of(world, "street_official"))
    assert "和平里1栋外墙修补" in street
    only = ledger_of(world, "street_official", TaskFilter(area_path=world.areas["C2"].path))
    assert list(ledger_rows(only)) == ["和平里1栋外墙修补"]
    overdue = ledger_of(world, "street_official", TaskFilter(overdue=True))
    assert [r["编号"] for r in ledger_rows(overdue).values()] == [tasks["late"].pk]


def test_names_are_masked_and_text_is_never_a_formula(world):
    assign(world, title='=HYPERLINK("http://example.com","点我")', standard="@SUM(1,2)")
    data = ledger_of(world, "community_staff")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # every part, its character references decoded
        text = html.unescape("".join(archive.read(name).decode("utf-8") for name in archive.namelist()))
    assert "郑经办" not in text and "郑**" in text
    sheet = open_sheet(data)
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=HYPERLINK")


def test_too_many_rows_asks_to_narrow_the_filter(world, monkeypatch):
    assign(world)
    assign(world, title="第二项")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1)
    with pytest.raises(DomainError) as raised:
        ledger_of(world, "community_staff")
    assert raised.value.code == "export_too_large" and "缩小" in raised.value.message
