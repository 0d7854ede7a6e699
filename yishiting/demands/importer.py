"""Import of questionnaire (问卷) and opinion-card (意见卡) results from XLSX or CSV (columns: docs/import.md).

Everything is checked first; a file with any error imports nothing and the report lists every bad cell. A clean
file is written in one transaction, each row through `services.demand_submit` (category suggested when the
column is empty, number, deadline, index, event, notification), so an imported demand is exactly like one
typed in. A signed card is a resident's written consent: a row naming a resident is entered on their behalf
with consent recorded; a row without one is anonymous. Each demand also gets a `demand.imported` event with
the file, the row and the date written on the card. The same file cannot be imported twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from yishiting.areas import services as area_services
from yishiting.areas.models import Area, Person
from yishiting.areas.validation import clean_mobile
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm, scope_for
from yishiting.common.tabular import MAX_ERRORS, Checker, FileRejected, RowError, bounded, match_header
from yishiting.common.tabular import cell as _cell
from yishiting.common.tabular import read_bytes as _read_bytes
from yishiting.common.tabular import read_table as _read_table

from .choices import Channel, ReporterKind, Urgency
from .models import Category, IdempotencyRecord
from .services import MAX_TEXT, Submission, demand_submit

MAX_ROWS = 5000
IMPORT_CHANNELS = (Channel.QUESTIONNAIRE, Channel.OPINION_CARD)
KEY_PREFIX = "import:"

# Column header (without a bracketed note such as "（选填）") → field; aliases in docs/import.md.
COLUMNS = {"内容": "text", "类别": "category", "区域编码": "area_code", "区域": "area_name", "地址": "address",
           "紧急程度": "urgency", "诉求人姓名": "name", "手机号": "mobile", "日期": "filled_on"}
ALIASES = {"诉求内容": "内容", "意见": "内容", "意见内容": "内容", "问题描述": "内容", "诉求类别": "类别",
           "分类": "类别", "楼栋": "区域", "小区": "区域", "区域名称": "区域", "楼栋名称": "区域", "发生地": "区域",
           "详细地址": "地址", "紧急": "紧急程度", "姓名": "诉求人姓名", "诉求人": "诉求人姓名",
           "手机": "手机号", "联系电话": "手机号", "电话": "手机号", "填写日期": "日期", "填表日期": "日期"}
IGNORED = {"序号", "备注"}
URGENCY = {**{u.label: u.value for u in Urgency}, **{u.value: u.value for u in Urgency}, "普通": Urgency.NORMAL}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class DemandImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    numbers: list[str] = field(default_factory=list)  # the new demands' numbers, in file order
    rows: int = 0
    channel: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(eq=False)
class Row:
    line: int
    cells: dict[str, Any]
    text: str = ""
    area: Area | None = None
    category: Category | None = None
    urgency: str = Urgency.NORMAL
    address: str = ""
    name: str = ""
    mobile: str = ""
    person: Person | None = None
    filled_on: date | None = None

    def get(self, name: str) -> str:
        return _cell(self.cells.get(name))


def import_demands_file(*, actor, fileobj: IO[bytes], filename: str, channel: str) -> DemandImportReport:
    """Check a whole file of questionnaire or opinion-card results; if it is clean, create every demand."""
    if not has_perm(actor, "demands.import"):
        raise PermissionDeniedError("您没有导入问卷和意见卡的权限。")
    report = DemandImportReport(channel=_channel(channel))
    if not report.channel:
        report.errors.append(RowError(0, "", "渠道只能是“问卷”或“意见卡”。"))
        return report
    try:
        data = _read_bytes(fileobj)
        rows = _parse(_read_table(data, filename), report)
    except FileRejected as exc:
        report.errors.append(RowError(0, "", bounded(str(exc))))
        return report
    digest = hashlib.sha256(data).hexdigest()[:40]
    checker = Checker(report)
    _check_not_imported(digest, checker)
    _validate(actor, rows, checker)
    if checker.overflow:
        report.errors.append(RowError(0, "", f"错误太多，只列出前 {MAX_ERRORS} 条。"))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row != 0, e.row))
        return report
    _write(actor, rows, report, filename, digest)
    return report


def _channel(value: str) -> str:
    for choice in IMPORT_CHANNELS:
        if value in (choice.value, choice.label):
            return choice.value
    return ""


# ---------------------------------------------------------------- reading


def _parse(table: Iterator[tuple[int, list[Any]]], report: DemandImportReport) -> list[Row]:
    header: dict[str, int] | None = None
    rows: list[Row] = []
    for number, values in table:
        if not any(_cell(v) for v in values):
            continue
        if header is None:
            header = _header(number, values)
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(f"行数太多：一个文件最多 {MAX_ROWS:,} 行数据，请拆分后分批导入。")
        rows.append(Row(number, {f: (values[i] if i < len(values) else None) for f, i in header.items()}))
    if header is None:
        raise FileRejected("文件里没有内容：第一行应为表头（内容、区域编码或区域、……，见导入说明）。")
    if not rows:
        raise FileRejected("文件只有表头，没有数据行。")
    report.rows = len(rows)
    return rows


def _header(number: int, values: list[Any]) -> dict[str, int]:
    found, problems = match_header(values, COLUMNS, ALIASES, IGNORED)
    if "text" not in found:
        problems.append("缺少列：内容")
    if "area_code" not in found and "area_name" not in found:
        problems.append("缺少列：区域编码或区域（楼栋、小区名称）")
    if problems:
        raise FileRejected(f"第 {number} 行表头有误：{'；'.join(problems)}。"
                           "可用的列：内容、类别、区域编码、区域、地址、紧急程度、诉求人姓名、手机号、日期（见导入说明）。")
    return found


# ---------------------------------------------------------------- checking


def _check_not_imported(digest: str, check: Checker) -> None:
    record = (IdempotencyRecord.objects.filter(key__startswith=f"{KEY_PREFIX}{digest}:")
              .select_related("demand").order_by("created_at").first())
    if record is not None:
        when = timezone.localtime(record.created_at)
        check.add(0, "", f"这个文件已经在 {when:%Y-%m-%d %H:%M} 导入过（诉求 {record.demand.number} 起），"
                         "不能重复导入。")


def _validate(actor, rows: list[Row], check: Checker) -> None:
    categories = _categories()
    for row in rows:
        _check_text(row, check)
        _check_choices(row, categories, check)
        _check_date(row, check)
    _resolve_areas(actor, rows, check)
    _resolve_people(rows, check)
    _check_repeats(rows, check)


def _check_text(row: Row, check: Checker) -> None:
    row.text = row.get("text")
    if not row.text:
        check.add(row, "内容", "内容不能为空。")
    elif len(row.text) > MAX_TEXT:
        check.add(row, "内容", f"内容不能超过 {MAX_TEXT} 字（现在 {len(row.text)} 字）。")
    row.address = row.get("address")
    if len(row.address) > 200:
        check.add(row, "地址", "地址不能超过 200 字。")


def _categories() -> dict[str, Category]:
    found: dict[str, Category] = {}
    for category in Category.objects.filter(is_active=True):
        found[category.name] = found[category.code] = category
    return found


def _check_choices(row: Row, categories: dict[str, Category], check: Checker) -> None:
    if name := row.get("category"):
        row.category = categories.get(name)
        if row.category is None:
            names = "、".join(sorted({c.name for c in categories.values()}, key=list(categories).index))
            check.add(row, "类别", f"类别“{name}”不存在或已停用，可填：{names}；也可留空由系统建议。")
    if value := row.get("urgency"):
        row.urgency = URGENCY.get(value, "")
        if not row.urgency:
            check.add(row, "紧急程度", f"紧急程度“{value}”不对，可填：一般、紧急、特急（留空为一般）。")


def _check_date(row: Row, check: Checker) -> None:
    raw = row.cells.get("filled_on")
    if raw is None or _cell(raw) == "":
        return
    row.filled_on = _as_date(raw)
    if row.filled_on is None:
        check.add(row, "日期", f"日期“{_cell(raw)}”看不懂，请写成 2026-03-01 或 2026年3月1日。")
    elif row.filled_on > timezone.localdate():
        check.add(row, "日期", f"日期 {row.filled_on:%Y-%m-%d} 在今天之后，请核对。")
    elif row.filled_on.year < 2000:
        check.add(row, "日期", f"日期 {row.filled_on:%Y-%m-%d} 太早，请核对。")


def _as_date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _cell(raw).split(" ")[0].split("T")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _resolve_areas(actor, rows: list[Row], check: Checker) -> None:
    """By code, or by a name unique within the actor's import scope ("幸福苑3栋" or "幸福苑小区/3栋")."""
    scope = scope_for(actor, "demands.import")
    codes = sorted({row.get("area_code") for row in rows} - {""})
    by_code = {a.code: a for start in range(0, len(codes), 500)
               for a in Area.objects.filter(code__in=codes[start:start + 500], is_active=True)}
    by_name: dict[str, list[Area]] = {}
    for row in rows:
        code, name = row.get("area_code"), row.get("area_name")
        if code:
            area = by_code.get(code)
            if area is None or not scope.covers_path(area.path):
                check.add(row, "区域编码", f"区域编码“{code}”不存在，或不在您可以导入的范围内。")
                continue
            if name and not _names(area, name):
                check.add(row, "区域", f"区域“{name}”与区域编码“{code}”（{area.full_name}）不一致。")
                continue
            row.area = area
        elif name:
            if name not in by_name:
                by_name[name] = _areas_named(scope, name)
            row.area = _one_area(row, name, by_name[name], check)
        else:
            check.add(row, "区域编码", "请填写区域编码，或在“区域”列写楼栋、小区名称。")


def _names(area: Area, name: str) -> bool:
    full = area.full_name or area.name
    return name in (area.name, full) or full.endswith(area_services.NAME_SEPARATOR + name)


def _areas_named(scope, name: str) -> list[Area]:
    query = Q(name=name) | Q(full_name=name) | Q(full_name__endswith=area_services.NAME_SEPARATOR + name)
    return list(Area.objects.filter(scope.q("path"), query, is_active=True).order_by("path")[:6])


def _one_area(row: Row, name: str, found: list[Area], check: Checker) -> Area | None:
    if len(found) == 1:
        return found[0]
    if not found:
        check.add(row, "区域", f"在您可以导入的范围内找不到区域“{name}”，请核对名称或改填区域编码。")
    else:
        examples = "；".join(a.full_name for a in found[:3])
        check.add(row, "区域", f"有多个区域叫“{name}”（如 {examples}），请改填区域编码，或连同上级写出，"
                              f"如“{found[0].parent.name if found[0].parent_id else ''}/{name}”。")
    return None


def _resolve_people(rows: list[Row], check: Checker) -> None:
    """A mobile number finds the registered resident (with the same name, if one is given); a new mobile
    with a name registers a new person. A name alone cannot tell residents apart, so it is refused."""
    for row in rows:
        row.name, raw_mobile = row.get("name"), row.get("mobile")
        if len(row.name) > 50:
            check.add(row, "诉求人姓名", "姓名不能超过 50 个字。")
        if raw_mobile:
            try:
                row.mobile = clean_mobile(raw_mobile)
            except DomainError as exc:
                check.add(row, "手机号", f"手机号“{raw_mobile}”不对：{exc.message}")
        elif row.name:
            check.add(row, "手机号", "填了诉求人姓名就须填写手机号（用于确认是哪位居民并告知办理结果）；"
                                   "不留联系方式的请把姓名也留空，按匿名导入。")
    mobiles = sorted({row.mobile for row in rows if row.mobile})
    registered: dict[str, list[Person]] = {}
    for start in range(0, len(mobiles), 500):
        for person in Person.objects.filter(mobile__in=mobiles[start:start + 500]).order_by("pk"):
            registered.setdefault(person.mobile, []).append(person)
    for row in rows:
        if row.mobile:
            _match_person(row, registered.get(row.mobile, []), check)


def _match_person(row: Row, people: list[Person], check: Checker) -> None:
    if row.name:
        same = [p for p in people if p.name == row.name]
        row.person = same[0] if same else None  # none: a new person (family members may share a phone)
        return
    if len(people) == 1:
        row.person = people[0]
    elif not people:
        check.add(row, "诉求人姓名", "这个手机号还没有登记过，请填写诉求人姓名。")
    else:
        check.add(row, "诉求人姓名", "这个手机号登记了不止一人，请填写诉求人姓名。")


def _check_repeats(rows: list[Row], check: Checker) -> None:
    """The same card typed in twice: same text, place and person (rows with other errors aside)."""
    first: dict[tuple, Row] = {}
    for row in rows:
        if row.line in check.bad:
            continue
        key = (row.text, row.area.pk, row.mobile, row.name)
        if key in first:
            check.add(row, "内容", f"与第 {first[key].line} 行完全相同（内容、区域和诉求人），是否重复录入？")
        else:
            first[key] = row


# ---------------------------------------------------------------- writing


class _Abort(Exception):
    pass


def _write(actor, rows: list[Row], report: DemandImportReport, filename: str, digest: str) -> None:
    try:
        with transaction.atomic():
            people: dict[tuple[str, str], Person] = {}
            created = [_write_row(actor, row, report, filename, digest, people) for row in rows]
            event_append(subject=actor, kind="demands.imported", actor=actor,
                         payload={"file": filename[:200], "channel": report.channel, "demands": len(created)})
    except _Abort:
        report.created, report.numbers = 0, []
        return
    except DatabaseError as exc:
        report.errors.append(RowError(0, "", f"写入时与其他修改冲突，未导入任何数据，请重试。（{exc}）"))
        report.created, report.numbers = 0, []
        return
    report.created, report.numbers = len(created), [d.number for d in created]


def _write_row(actor, row: Row, report: DemandImportReport, filename: str, digest: str,
               people: dict[tuple[str, str], Person]):
    try:
        person = row.person or (_new_person(actor, row, people) if row.mobile else None)
        submission = Submission(
            text=row.text, area=row.area, channel=report.channel, category=row.category, urgency=row.urgency,
            address=row.address, reporter=person, consent_recorded=person is not None,
            reporter_kind=ReporterKind.ON_BEHALF if person is not None else ReporterKind.ANONYMOUS)
        demand = demand_submit(actor=actor, submission=submission,
                               idempotency_key=f"{KEY_PREFIX}{digest}:{row.line}")
    except DomainError as exc:
        report.errors.append(RowError(row.line, _column_of(exc), f"{exc.message}（未导入任何数据）"))
        raise _Abort from exc
    event_append(subject=demand, kind="demand.imported", actor=actor, payload={
        "file": filename[:200], "row": row.line, "channel": report.channel,
        "filled_on": row.filled_on.isoformat() if row.filled_on else None})
    return demand


def _new_person(actor, row: Row, people: dict[tuple[str, str], Person]) -> Person:
    """Register the card's author once, even if the file has several of their cards."""
    key = (row.mobile, row.name)
    if key not in people:
        people[key] = area_services.person_create(actor=actor, name=row.name, mobile=row.mobile, area=row.area)
    return people[key]


FIELD_COLUMNS = {"text": "内容", "category": "类别", "area": "区域编码", "urgency": "紧急程度", "name": "诉求人姓名",
                 "mobile": "手机号", "address": "地址"}


def _column_of(exc: DomainError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    return FIELD_COLUMNS.get(details.get("field", ""), "")
