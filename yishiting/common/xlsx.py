"""Writing the XLSX ledgers users download (三张清单, 任务台账): one sheet laid out the same way every time.

A layout is a list of `Column`s (Chinese header, width, how to read the value off a row). The sheet has a bold
header row that stays frozen, filters on it, set column widths, real dates and real numbers Excel can sort and sum:
a percentage column (`percent_column`) holds the share as a number shown with a percent format, never "64.71%" text. A cell is never a
formula: text starting with "=" stays text, so nothing a resident typed can inject one into Excel or WPS.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import DomainError

MAX_ROWS = 100_000
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.00%"
NO_VALUE = "—"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGN = Alignment(vertical="center", horizontal="center")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[Any], Any]
    number_format: str | None = None  # e.g. PERCENT_FORMAT; applies to number cells only


def _share(percent: Any) -> Decimal | str:
    """A percent as the page shows it ("64.71", 64.71 or None) as the share Excel formats with "%" (0.6471)."""
    if percent is None or percent == "":
        return NO_VALUE
    try:
        return Decimal(str(percent).rstrip("%")) / 100
    except InvalidOperation:
        return str(percent)


def percent_column(header: str, width: float, percent: Callable[[Any], Any]) -> Column:
    """A column of percentages: `percent` reads the percent off a row ("64.71" or None); the cell holds the
    number 0.6471 formatted "64.71%" (None stays "—")."""
    return Column(header, width, lambda row: _share(percent(row)), PERCENT_FORMAT)


def number(value: Any) -> Any:
    """A count the figures carry as text ("11", "10.5") as a number cell; anything else as it is."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def local_date(moment: datetime | None) -> date | None:
    """A stored moment as the calendar day it was in China (the server's TIME_ZONE), or None."""
    return timezone.localtime(moment).date() if moment else None


def refuse_too_large(queryset: QuerySet, limit: int | None = None) -> None:
    """One export is bounded: past `limit` (MAX_ROWS) rows the user is asked to narrow the filter."""
    limit = limit or MAX_ROWS
    if queryset[:limit + 1].count() > limit:  # counts at most limit + 1 rows
        raise DomainError("export_too_large", f"一次最多导出 {limit:,} 条，请缩小时间段或区域后再导出。")


def _cell(sheet, value: Any, number_format: str | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif number_format and isinstance(value, (int, float, Decimal)):
        cell.number_format = number_format
    return cell


def _header(sheet, columns: Sequence[Column]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        cells.append(cell)
    return cells


def xlsx_of(rows: Iterable[Any], columns: Sequence[Column], *, title: str) -> bytes:
    """`rows` laid out by `columns` on one sheet named `title` (streamed: write-only, memory stays flat)."""
    book = Workbook(write_only=True)
    book.properties.title = title
    sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet name
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, columns))
    count = 1
    for row in rows:
        sheet.append([_cell(sheet, column.value(row), column.number_format) for column in columns])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"  # written after the rows
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
