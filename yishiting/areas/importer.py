"""Import of the area tree and households from XLSX or CSV (columns: docs/import.md).

Everything is checked first; a file with any error writes nothing and the report lists every bad row. A clean
file is written in one transaction, parents before children, with the same paths, full names, search keys and
"created" events as `services.area_create` / `services.household_create` would give one row at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import IO, Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext

from yishiting.common.errors import DomainError
from yishiting.common.events import event_append, event_append_many
from yishiting.common.rules import has_perm, scope_for
from yishiting.common.tabular import MAX_ERRORS, Checker, FileRejected, RowError, match_header
from yishiting.common.tabular import cell as _cell
from yishiting.common.tabular import read_bytes as _read_bytes
from yishiting.common.tabular import read_table as _read_table

from . import services
from .models import Area, AreaLevel, Household
from .validation import clean_exclusive_area

MAX_ROWS = 200_000
CODE_RE = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
FULL_NAME_MAX = Area._meta.get_field("full_name").max_length

# Column header (after dropping a bracketed unit such as "（㎡）") → field. Aliases are listed in docs/import.md.
COLUMNS = {"类型": "kind", "编码": "code", "名称": "name", "层级": "level", "上级编码": "parent",  # zh-only
           "专有面积": "exclusive_area"}  # zh-only: the files' column names
ALIASES = {"专有部分面积": "专有面积", "面积": "专有面积", "上级": "上级编码", "父级编码": "上级编码"}  # zh-only
REQUIRED = ["类型", "编码", "名称", "层级", "上级编码"]  # zh-only: the files' column names
KINDS = {"区域": "area", "area": "area", "住户": "household", "household": "household"}  # zh-only


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    areas_created: int = 0
    households_created: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(eq=False)
class Row:
    line: int
    kind: str
    code: str
    name: str
    level_text: str
    parent_code: str
    area_text: str
    level: AreaLevel | None = None
    exclusive_area: Decimal | None = None
    parent_row: Row | None = None
    parent_db: Area | None = None
    full_name: str = ""
    obj: Area | None = None


def import_areas_file(*, actor, fileobj: IO[bytes], filename: str) -> ImportReport:
    """Check a whole XLSX/CSV file of areas and households; if it is clean, create them all in one transaction."""
    report = ImportReport()
    try:
        rows = _parse(_read_table(_read_bytes(fileobj), filename), report)
    except FileRejected as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    checker = Checker(report)
    _validate(actor, rows, checker)
    if checker.overflow:
        report.errors.append(RowError(0, "", gettext('错误太多，只列出前 %(max_errors)s 条。') % {"max_errors": MAX_ERRORS}))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row == 0, e.row))
        return report
    try:
        _write(actor, rows, report, filename)
    except (IntegrityError, DatabaseError, DomainError) as exc:
        report.errors.append(RowError(0, "", gettext('写入时与其他修改冲突，未导入任何数据，请重试。（%(exc)s）') % {"exc": exc}))
        report.areas_created = report.households_created = 0
    return report


# ---------------------------------------------------------------- reading


def _parse(table: Iterator[tuple[int, list[Any]]], report: ImportReport) -> list[Row]:
    header: dict[str, int] | None = None
    rows: list[Row] = []
    for number, values in table:
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        if header is None:
            header = _header(number, values)
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(gettext("行数太多：一个文件最多 %(rows)s 行数据，请拆分后分批导入。") % {"rows": f"{MAX_ROWS:,}"})
        get = {f: (cells[i] if i < len(cells) else "") for f, i in header.items()}
        rows.append(Row(number, get["kind"], get["code"], get["name"], get["level"], get["parent"],
                        get.get("exclusive_area", "")))
    if header is None:
        raise FileRejected(gettext("文件里没有内容：第一行应为表头（类型、编码、名称、层级、上级编码、专有面积）。"))
    if not rows:
        raise FileRejected(gettext("文件只有表头，没有数据行。"))
    report.rows = len(rows)
    return rows


def _header(number: int, values: list[Any]) -> dict[str, int]:
    found, problems = match_header(values, COLUMNS, ALIASES)
    missing = [c for c in REQUIRED if COLUMNS[c] not in found]
    if missing:
        problems.append(gettext("缺少列：%(columns)s") % {"columns": "、".join(missing)})  # zh-only: the names
    if problems:
        raise FileRejected(gettext("第 %(number)s 行表头有误：%(problems)s。应为：类型、编码、名称、层级、上级编码、专有面积（见导入说明）。")
                           % {"number": number, "problems": "；".join(problems)})
    return found


# ---------------------------------------------------------------- checking


def _validate(actor, rows: list[Row], check: Checker) -> None:
    _check_cells(rows, check)
    areas_in_file = _check_codes(rows, check)
    _resolve_parents(rows, areas_in_file, check)
    _check_cycles([r for r in rows if r.kind == "area"], check)
    _check_levels(rows, check)
    _check_households(rows, check)
    _check_scope(actor, rows, check)


def _norm(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace(" ", "").lower()


def level_lookup() -> dict[str, AreaLevel]:
    """Level by code, by name, and by each part of a name like "社区（村）" or "小区 / 网格" when unambiguous.

    Keys are normalised with `_norm` (half-width brackets, no spaces, lower case)."""
    exact: dict[str, AreaLevel] = {}
    parts: dict[str, set[AreaLevel]] = {}
    for level in AreaLevel.objects.all():
        exact[_norm(level.code)] = exact[_norm(level.name)] = level
        for part in re.split(r"[()/、]", _norm(level.name)):
            if part:
                parts.setdefault(part, set()).add(level)
    lookup = {part: next(iter(found)) for part, found in parts.items() if len(found) == 1}
    lookup.update(exact)
    return lookup


def _check_cells(rows: list[Row], check: Checker) -> None:
    levels = level_lookup()
    names = "、".join(level.name for level in AreaLevel.objects.all())
    for row in rows:
        row.kind = KINDS.get(row.kind.lower(), row.kind)
        if row.kind not in ("area", "household"):
            check.add(row, "类型", gettext("类型为空，应填“区域”或“住户”。") if not row.kind else  # zh-only: the column's name in the file
                      gettext('类型“%(kind)s”不对，应填“区域”或“住户”。') % {"kind": row.kind})
            continue
        _check_code_and_name(row, check)
        if row.kind == "area":
            row.level = levels.get(_norm(row.level_text)) if row.level_text else None
            if row.level is None:
                check.add(row, "层级", gettext('层级“%(level_text)s”不存在，可填：%(names)s。') % {"level_text": row.level_text, "names": names} if row.level_text else  # zh-only: the column's name in the file
                          gettext('区域必须填写层级，可填：%(names)s。') % {"names": names})
            if row.area_text:
                check.add(row, "专有面积", gettext("区域行不填专有面积；住户请把类型填为“住户”。"))  # zh-only: the column's name in the file
        else:
            _check_area_value(row, check)


def _check_code_and_name(row: Row, check: Checker) -> None:
    if row.kind == "area" and not row.code:
        check.add(row, "编码", gettext("区域必须填写编码。"))  # zh-only: the column's name in the file
    elif row.code and not CODE_RE.match(row.code):
        check.add(row, "编码", gettext('编码“%(code)s”只能包含字母、数字、下划线和连字符，且不超过 64 个字符。') % {"code": row.code})  # zh-only: the column's name in the file
    limit = 100 if row.kind == "area" else 32
    if not row.name:
        check.add(row, "名称", gettext("区域名称不能为空。") if row.kind == "area" else gettext("住户的户号（名称列）不能为空。"))  # zh-only: the column's name in the file
    elif len(row.name) > limit:
        check.add(row, "名称", gettext('名称不能超过 %(limit)s 个字。') % {"limit": limit})  # zh-only: the column's name in the file
    if not row.parent_code and row.kind == "household":
        check.add(row, "上级编码", gettext("住户必须填写所属单元的编码（上级编码）。"))  # zh-only: the column's name in the file


def _check_area_value(row: Row, check: Checker) -> None:
    if not row.area_text:
        check.add(row, "专有面积", gettext("住户必须填写专有面积（平方米，最多两位小数）。"))  # zh-only: the column's name in the file
        return
    try:
        row.exclusive_area = clean_exclusive_area(row.area_text.replace(",", ""))
    except DomainError as exc:
        check.add(row, "专有面积", gettext('专有面积“%(area_text)s”不对：%(message)s') % {"area_text": row.area_text, "message": exc.message})  # zh-only: the column's name in the file


def _check_codes(rows: list[Row], check: Checker) -> dict[str, Row]:
    """Codes are unique in the file and, for areas, not yet used in the database."""
    first: dict[str, Row] = {}
    for row in rows:
        if not row.code or row.kind not in ("area", "household"):
            continue
        if row.code in first:
            check.add(row, "编码", gettext('编码“%(code)s”与第 %(line)s 行重复。') % {"code": row.code, "line": first[row.code].line})  # zh-only: the column's name in the file
        else:
            first[row.code] = row
    codes = [code for code, row in first.items() if row.kind == "area"]
    for start in range(0, len(codes), 500):
        for code in Area.objects.filter(code__in=codes[start:start + 500]).values_list("code", flat=True):
            check.add(first[code], "编码", gettext('区域编码“%(code)s”已被系统中的其他区域使用。') % {"code": code})  # zh-only: the column's name in the file
    return {code: row for code, row in first.items() if row.kind == "area"}


def _resolve_parents(rows: list[Row], areas_in_file: dict[str, Row], check: Checker) -> None:
    wanted = {r.parent_code for r in rows if r.parent_code and r.parent_code not in areas_in_file}
    households = {r.code for r in rows if r.kind == "household" and r.code}
    in_db: dict[str, Area] = {}
    ordered = sorted(wanted - households)
    for start in range(0, len(ordered), 500):
        for area in Area.objects.filter(code__in=ordered[start:start + 500]).select_related("level"):
            in_db[area.code] = area
    for row in rows:
        if not row.parent_code or row.kind not in ("area", "household"):
            continue
        if row.parent_code in areas_in_file:
            row.parent_row = areas_in_file[row.parent_code]
        elif row.parent_code in in_db:
            row.parent_db = in_db[row.parent_code]
        elif row.parent_code in households:
            check.add(row, "上级编码", gettext('上级编码“%(parent_code)s”是一户住户，住户下不能再有下级。') % {"parent_code": row.parent_code})  # zh-only: the column's name in the file
        else:
            check.add(row, "上级编码", gettext('上级编码“%(parent_code)s”在本文件和系统中都找不到。') % {"parent_code": row.parent_code})  # zh-only: the column's name in the file


def _check_cycles(area_rows: list[Row], check: Checker) -> None:
    state: dict[int, int] = {}  # id(row) → 1 on the current walk, 2 finished
    for start in area_rows:
        walk: list[Row] = []
        node: Row | None = start
        while node is not None and id(node) not in state:
            state[id(node)] = 1
            walk.append(node)
            node = node.parent_row
        if node is not None and state[id(node)] == 1:
            cycle = walk[walk.index(node):]
            chain = " → ".join(r.code for r in [*cycle, cycle[0]])
            for row in cycle:
                check.add(row, "上级编码", gettext('上级关系构成循环：%(chain)s。') % {"chain": chain})  # zh-only: the column's name in the file
        for row in walk:
            state[id(row)] = 2


def _parent_level(row: Row) -> AreaLevel | None:
    return row.parent_row.level if row.parent_row else (row.parent_db.level if row.parent_db else None)


def _check_levels(rows: list[Row], check: Checker) -> None:
    """An area sits exactly one level below its parent; the top level has no parent."""
    top = AreaLevel.objects.order_by("depth").first()
    checkable = [r for r in rows if r.kind == "area" and r.level is not None and check.ok(r)]
    for row in checkable:
        parent_level = _parent_level(row)
        if not row.parent_code:
            if row.level.depth != 1:
                check.add(row, "上级编码", gettext('“%(name)s”必须填写上级编码；只有“%(name2)s”可以没有上级。') % {"name": row.level.name, "name2": top.name})  # zh-only: the column's name in the file
            continue
        if parent_level is None:
            continue
        if row.level.depth != parent_level.depth + 1:
            below = AreaLevel.objects.filter(depth=parent_level.depth + 1).first()
            hint = gettext('“%(name)s”下只能建“%(name2)s”') % {"name": parent_level.name, "name2": below.name} if below else gettext('“%(name)s”已是最低一级') % {"name": parent_level.name}
            check.add(row, "层级", gettext('层级不对：%(hint)s，不能建“%(name)s”。') % {"hint": hint, "name": row.level.name})  # zh-only: the column's name in the file
    for row in sorted(checkable, key=lambda r: r.level.depth):  # parents first, so their full name is known
        parent_full = row.parent_row.full_name if row.parent_row else (row.parent_db.full_name if row.parent_db else "")
        row.full_name = (parent_full + services.NAME_SEPARATOR if parent_full else "") + row.name
        if len(row.full_name) > FULL_NAME_MAX and check.ok(row):
            check.add(row, "名称", gettext('区域全称超过 %(full_name_max)s 个字，请缩短名称。') % {"full_name_max": FULL_NAME_MAX})  # zh-only: the column's name in the file


def _check_households(rows: list[Row], check: Checker) -> None:
    seen: dict[tuple[str, str], Row] = {}
    db_units: dict[int, Area] = {}
    for row in rows:
        if row.kind != "household" or (row.parent_row is None and row.parent_db is None):
            continue
        level = _parent_level(row)
        if level is not None and not level.holds_households:
            check.add(row, "上级编码", gettext('“%(parent_code)s”是“%(name)s”，这一级下不能直接登记住户。') % {"parent_code": row.parent_code, "name": level.name})  # zh-only: the column's name in the file
            continue
        key = (row.parent_code, row.name)
        if key in seen:
            check.add(row, "名称", gettext('户号“%(name)s”在同一单元下与第 %(line)s 行重复。') % {"name": row.name, "line": seen[key].line})  # zh-only: the column's name in the file
            continue
        seen[key] = row
        if row.parent_db is not None:
            db_units[row.parent_db.pk] = row.parent_db
    ids = sorted(db_units)
    for start in range(0, len(ids), 500):
        existing = Household.objects.filter(unit_id__in=ids[start:start + 500]).values_list("unit_id", "number")
        for unit_id, number in existing:
            row = seen.get((db_units[unit_id].code, number))
            if row is not None:
                check.add(row, "名称", gettext('“%(name)s”下已有户号“%(number)s”。') % {"name": db_units[unit_id].name, "number": number})  # zh-only: the column's name in the file


def _check_scope(actor, rows: list[Row], check: Checker) -> None:
    """The actor must manage (areas.manage) every existing parent; top-level areas need the whole system."""
    allowed: dict[int, bool] = {}
    everything = scope_for(actor, "areas.manage").everything
    for row in rows:
        if row.kind not in ("area", "household"):
            continue
        if row.parent_db is not None:
            if row.parent_db.pk not in allowed:
                allowed[row.parent_db.pk] = has_perm(actor, "areas.manage", row.parent_db)
            if not allowed[row.parent_db.pk]:
                check.add(row, "上级编码", gettext('您无权在“%(full_name)s”下导入区域或住户。') % {"full_name": row.parent_db.full_name})  # zh-only: the column's name in the file
        elif not row.parent_code and row.kind == "area" and not everything:
            check.add(row, "上级编码", gettext("只有系统管理员可以导入最高一级区域。"))  # zh-only: the column's name in the file


# ---------------------------------------------------------------- writing


@transaction.atomic
def _write(actor, rows: list[Row], report: ImportReport, filename: str) -> None:
    area_rows = sorted((r for r in rows if r.kind == "area"), key=lambda r: r.level.depth)  # stable: file order
    _create_areas(area_rows, rows)
    households = []
    for row in rows:
        if row.kind == "household":
            unit = row.parent_row.obj if row.parent_row else row.parent_db
            households.append(Household(unit=unit, number=row.name, exclusive_area=row.exclusive_area,
                                        path=unit.path))
    Household.objects.bulk_create(households, batch_size=1000)
    _record_events(actor, area_rows, households)
    report.areas_created, report.households_created = len(area_rows), len(households)
    event_append(subject=actor, kind="areas.imported", actor=actor,
                 payload={"file": filename[:200], "areas": len(area_rows), "households": len(households)})


def _create_areas(area_rows: list[Row], rows: list[Row]) -> None:
    """Insert one level at a time (children need their parents' keys), numbering siblings like area_create."""
    db_parents = sorted({r.parent_db.pk for r in rows if r.parent_db is not None})
    for start in range(0, len(db_parents), 500):  # lock the parents: serializes sibling numbering
        list(Area.objects.select_for_update().filter(pk__in=db_parents[start:start + 500]).values_list("pk"))
    numbers = services.next_child_numbers({r.parent_db.pk if r.parent_db else None
                                           for r in area_rows if r.parent_row is None})
    for _depth, group in groupby(area_rows, key=lambda r: r.level.depth):
        batch = []
        for row in group:
            parent = row.parent_row.obj if row.parent_row else row.parent_db
            key = parent.pk if parent else None
            number = numbers.get(key, 1)
            numbers[key] = number + 1
            row.obj = Area(parent=parent, level=row.level, name=row.name, code=row.code,
                           **services.area_derived_fields(parent, row.name, number))
            batch.append(row.obj)
        Area.objects.bulk_create(batch, batch_size=1000)


def _record_events(actor, area_rows: list[Row], households: list[Household]) -> None:
    entries = [(r.obj, "area.created", {"name": r.name, "level": r.level.code, "code": r.code,
                                        "parent": r.obj.parent.code if r.obj.parent else None})
               for r in area_rows]
    entries += [(h, "household.created", {"unit": h.unit.code, "number": h.number,
                                          "exclusive_area": str(h.exclusive_area)}) for h in households]
    for start in range(0, len(entries), 5000):
        event_append_many(entries=entries[start:start + 5000], actor=actor)
