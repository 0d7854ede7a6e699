"""Reading spreadsheets users upload (XLSX, or CSV as Excel in China saves it) and collecting row errors.

Shared by every import (areas and households, questionnaire and opinion-card results): the file is read and
checked whole before anything is written, and errors name the row and column in Chinese.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any, NamedTuple

from django.conf import settings

MAX_ERRORS = 1000
# No cell of an import is longer than this (a demand's text is at most 2,000): a longer one is not table data,
# and the file is refused before anything repeats it. An error message never exceeds MAX_MESSAGE characters.
MAX_CELL = 5000
MAX_MESSAGE = 300
# An XLSX is a zip: what it unpacks to is bounded too (a small file can unpack into a gigabyte-long cell).
EXPANSION = 10


class RowError(NamedTuple):
    row: int  # the spreadsheet row number (the header is row 1); 0 means the file as a whole
    column: str
    message: str


class FileRejected(Exception):
    """The file as a whole cannot be read (wrong type, too large, too many rows, no header)."""


class Checker:
    """Collects row errors; stops collecting (but remembers there were more) after MAX_ERRORS."""

    def __init__(self, report) -> None:
        self.report = report
        self.bad: set[int] = set()
        self.overflow = False

    def add(self, row, column: str, message: str) -> None:
        line = row if isinstance(row, int) else row.line
        self.bad.add(line)
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(RowError(line, column, bounded(message)))
        else:
            self.overflow = True

    def ok(self, row) -> bool:
        return row.line not in self.bad


def bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"


def shown(value: str, limit: int = 40) -> str:
    """A cell as an error message quotes it: at most `limit` characters."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _cells_bounded(number: int, values: list[Any]) -> list[Any]:
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > MAX_CELL:
            raise FileRejected(f"第 {number} 行第 {index + 1} 列超过 {MAX_CELL} 个字，不像表格数据，请核对后再导入。")
    return values


def _expanded_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected("不是有效的 XLSX 文件，或文件已损坏。") from None


def read_bytes(fileobj: IO[bytes]) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(fileobj, "size", None)
    data = b"" if size is not None and size > limit else fileobj.read(limit + 1)
    if (size is not None and size > limit) or len(data) > limit:
        raise FileRejected(f"文件太大：不能超过 {limit / 1024 / 1024:.0f} MB。请拆分后分批导入。")
    if not data:
        raise FileRejected("文件是空的。")
    return data


def read_table(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx":
        return _read_xlsx(data)
    if suffix == "csv":
        return _read_csv(data)
    raise FileRejected("只支持 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）。")


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl

    if not data.startswith(b"PK\x03\x04"):
        raise FileRejected("不是有效的 XLSX 文件：请用 Excel 或 WPS 另存为“Excel 工作簿 (*.xlsx)”。")
    expanded_limit = EXPANSION * settings.IMPORT_MAX_BYTES
    if _expanded_size(data) > expanded_limit:
        raise FileRejected(f"文件解压后太大：超过 {expanded_limit / 1024 / 1024:.0f} MB。请拆分后分批导入。")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    except Exception:  # openpyxl raises many types (zip, XML, KeyError) for a damaged workbook
        raise FileRejected("不是有效的 XLSX 文件，或文件已损坏。") from None

    def generate() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(rows, start=1):
                yield number, _cells_bounded(number, list(values))
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            raise FileRejected(f"XLSX 文件内容已损坏，无法读取。（{type(exc).__name__}）") from None
        finally:
            book.close()

    return generate()


def _read_csv(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    if b"\x00" in data[:4096]:
        raise FileRejected("不是有效的 CSV 文件（含二进制内容）：请另存为“CSV UTF-8”或“CSV（逗号分隔）”。")
    text = _decode(data)
    first_line = text[:4096].split("\n", 1)[0]
    dialect = csv.excel_tab if first_line.count("\t") > first_line.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)

    def generate() -> Iterator[tuple[int, list[Any]]]:
        try:
            for values in reader:
                yield reader.line_num, _cells_bounded(reader.line_num, values)
        except csv.Error as exc:
            raise FileRejected(f"CSV 格式有误（第 {reader.line_num} 行附近）：{exc}") from None

    return generate()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Excel in China saves as "CSV（逗号分隔）"."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("无法识别 CSV 的文字编码：请另存为 UTF-8 或 GB18030（GBK）编码。")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def header_name(value: Any, aliases: dict[str, str]) -> str:
    """A header cell as a column name: units in brackets and spaces dropped, aliases resolved."""
    name = re.sub(r"[（(][^）)]*[）)]", "", cell(value)).replace(" ", "")
    return aliases.get(name, name)


def match_header(values: list[Any], columns: dict[str, str], aliases: dict[str, str],
                 ignored: frozenset[str] | set[str] = frozenset()) -> tuple[dict[str, int], list[str]]:
    """Map the header row onto field names: ({field: column index}, problems with unknown or repeated columns)."""
    found: dict[str, int] = {}
    problems: list[str] = []
    for index, value in enumerate(values):
        name = header_name(value, aliases)
        if not name or name in ignored:
            continue
        if name not in columns:
            problems.append(f"未知的列“{shown(cell(value))}”")
        elif columns[name] in found:
            problems.append(f"列“{name}”出现了两次")
        else:
            found[columns[name]] = index
    return found, problems
