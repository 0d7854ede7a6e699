"""The public statistics tables: for each month, each measure, the district's communities × categories,
suppressed (oversight.suppression), then cut to the part of the district asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yishiting.areas.models import PATH_STEP, Area
from yishiting.areas.selectors import community_depth
from yishiting.demands.models import Category

from ..public import MEASURES, by_cell, monthly_counts
from ..suppression import TOTAL, Table, build

MAX_MONTHS = 24


@dataclass
class MonthTable:
    month: date
    measure: str
    table: Table
    rows: list[Area]  # the communities shown (the part of the district asked for)
    show_column_totals: bool  # only for the whole district: a street's own sums are not published

    @property
    def figures(self) -> list[dict]:
        """Each community shown: its figures per category as published ("12", "<5", "*") and its total."""
        inner = [c for c in self.table.columns if c != TOTAL]
        return [{"area": area, "values": [self.table.shown(area.pk, c) for c in inner],
                 "total": self.table.shown(area.pk, TOTAL)} for area in self.rows]

    @property
    def is_empty(self) -> bool:
        """Nothing in the whole district that month: the page says so in a line instead of a table of zeros."""
        return self.table.cells[(TOTAL, TOTAL)] == 0

    @property
    def column_totals(self) -> list[str]:
        return [self.table.shown(TOTAL, c) for c in self.table.columns] if self.show_column_totals else []


@dataclass
class PublicStats:
    area: Area
    district: Area
    months: list[date]
    categories: list[Category]
    tables: list[MonthTable]


def months_between(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end and len(months) < MAX_MONTHS:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def public_areas():
    """What the public page offers to pick: districts, streets and communities (names are public)."""
    return Area.objects.filter(is_active=True, level__depth__lte=community_depth()).select_related("level")


def public_stats(area: Area, start: date, end: date, measures: tuple[str, ...] = MEASURES) -> PublicStats:
    district = Area.objects.get(path=area.path[:PATH_STEP])
    communities = list(Area.objects.filter(path__startswith=district.path, level__depth=community_depth())
                       .order_by("path"))
    shown = [c for c in communities if c.path.startswith(area.path) or area.path.startswith(c.path)]
    counts = monthly_counts(district, start, end)
    used = {c.category_id for c in counts}
    categories = list(Category.objects.filter(is_active=True) | Category.objects.filter(pk__in=used))
    months = months_between(start, end)
    tables = []
    for measure in measures:
        cells = by_cell(counts, measure)
        for month in reversed(months):
            table = build([c.pk for c in communities], [c.pk for c in categories], cells.get(month, {}))
            tables.append(MonthTable(month, measure, table, shown, area.pk == district.pk))
    return PublicStats(area, district, months, categories, tables)


def open_data_rows(stats: PublicStats) -> list[dict]:
    """The long form of the tables, one row per figure, with the stable columns of OPEN_DATA_COLUMNS."""
    names = {c.pk: c for c in stats.categories}
    rows = []
    for t in stats.tables:
        areas = [(a.pk, a.code, a.name) for a in t.rows]
        if t.show_column_totals:
            areas.append((TOTAL, "_all", stats.district.name))
        for area_id, code, name in areas:
            for category_id in [*names, TOTAL]:
                category = names.get(category_id)
                reason = t.table.hidden.get((area_id, category_id), "")
                rows.append({"month": t.month.strftime("%Y-%m"), "areaCode": code, "areaName": name,
                             "categoryCode": category.code if category else "_all",
                             "categoryName": category.name if category else "",
                             "measure": t.measure, "value": None if reason else t.table.cells.get(
                                 (area_id, category_id), 0), "suppressed": reason})
    return rows


OPEN_DATA_COLUMNS = ["month", "areaCode", "areaName", "categoryCode", "categoryName", "measure", "value",
                     "suppressed"]
