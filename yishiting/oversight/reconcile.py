"""`yishiting verify`: every roll-up cell against a recount from the rows and the event log.

The recount runs the same per-source rules as the catch-up over every source, so a cell edited by hand, an
event the catch-up missed or a source whose path moved without an event shows as a finding naming the area,
category, day and measure; a gauge cell ("open now", OpenCount) one naming the area, stage and due day. The
catch-up runs first (what is merely pending is not a finding).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from yishiting.areas.models import Area
from yishiting.common.reconcile import Finding, register_check
from yishiting.demands.models import Category

from .models import DailyCount, MonthlyCount, OpenCount
from .projection import all_sources, catch_up, cell_counts, compute, split_open


def recount(district_path: str = "") -> Counter:
    """(level path, category, ISO day, measure) → count, from the rows and events alone (the gauge's cells as
    measure "open:<stage>" on the due day; `split_open` separates them)."""
    counts: Counter = Counter()
    for kind, ids in all_sources(district_path):
        for source in compute(kind, ids):
            counts.update(cell_counts(source.path, source.cells))
    return counts


def _stored() -> tuple[Counter, Counter]:
    daily, monthly = Counter(), Counter()
    for path, category, day, measure, n in DailyCount.objects.exclude(n=0).values_list(
            "path", "category_id", "day", "measure", "n").iterator(chunk_size=5000):
        daily[(path, category, day.isoformat(), measure)] = n
    for path, category, month, measure, n in MonthlyCount.objects.exclude(n=0).values_list(
            "path", "category_id", "month", "measure", "n").iterator(chunk_size=5000):
        monthly[(path, category, month.isoformat(), measure)] = n
    return daily, monthly


def _stored_open() -> Counter:
    return Counter({(path, stage, due.isoformat()): n for path, stage, due, n in OpenCount.objects.exclude(n=0)
                    .values_list("path", "stage", "due", "n").iterator(chunk_size=5000)})


def _open_finding(cell: tuple, stored: int, counted: int, names: dict) -> Finding:
    path, stage, due = cell
    return Finding("oversight.opencount", f"{path}/{stage}/{due}", [
        f"在办统计（区域 {names.get(path, path)}，环节 {stage}，期限 {due}）表中 {stored}，按记录重新计数为 {counted}"],
        source="oversight.rollups")


def _finding(table: str, cell: tuple, stored: int, counted: int, names: dict, categories: dict) -> Finding:
    path, category, day, measure = cell
    place = names.get(path, path)
    what = categories.get(category, "未分类" if not category else str(category))
    return Finding(f"oversight.{table}", f"{path}/{category}/{day}/{measure}", [
        f"统计单元（区域 {place}，类别 {what}，{day}，指标 {measure}）表中 {stored}，按事件重新计数为 {counted}"],
        source="oversight.rollups")


def rollup_findings() -> Iterator[Finding]:
    catch_up()
    expected, gauge = split_open(recount())
    months: Counter = Counter()
    for (path, category, day, measure), n in expected.items():
        months[(path, category, day[:8] + "01", measure)] += n
    daily, monthly = _stored()
    names = dict(Area.objects.values_list("path", "full_name"))
    categories = dict(Category.objects.values_list("pk", "name"))
    for table, want, have in (("dailycount", +expected, daily), ("monthlycount", +months, monthly)):
        for cell in sorted(set(want) | set(have)):
            if want.get(cell, 0) != have.get(cell, 0):
                yield _finding(table, cell, have.get(cell, 0), want.get(cell, 0), names, categories)
    gauge, stored = +gauge, _stored_open()
    for cell in sorted(set(gauge) | set(stored)):  # the "open now" gauge, by area, stage and due day
        if gauge.get(cell, 0) != stored.get(cell, 0):
            yield _open_finding(cell, stored.get(cell, 0), gauge.get(cell, 0), names)


def install() -> None:
    register_check("oversight.rollups", rollup_findings, count=lambda: DailyCount.objects.count(), unit="个统计单元")
