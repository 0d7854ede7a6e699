"""The public statistics tables: for each month, each measure, the district's communities × categories,
suppressed (oversight.suppression), then cut to the part of the district asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from yishiting.areas.models import PATH_STEP, Area
from yishiting.areas.selectors import community_depth
from yishiting.demands.models import Category

from ..public import MEASURES, MonthlyCount, by_cell, monthly_counts
from ..suppression import TOTAL, Table, build
from .rollups import as_of

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
    counted_to: datetime | None = None  # the roll-ups count the events up to then (the page states it)
    communities: list[Area] = field(default_factory=list)  # the district's, each month's table's rows
    shown: list[Area] = field(default_factory=list)  # those under the area asked for
    counts: list[MonthlyCount] = field(default_factory=list)

    @property
    def rows_per_table(self) -> int:
        """How many open-data rows one month and measure gives: each community shown (and the district's total
        row on the district's own view) × each category and the total."""
        return (len(self.shown) + (self.area.pk == self.district.pk)) * (len(self.categories) + 1)


def months_between(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end and len(months) < MAX_MONTHS:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def public_areas():
    """What the public page offers to pick: districts, streets and communities (names are public)."""
    return Area.objects.filter(is_active=True, level__depth__lte=community_depth()).select_related("level")


def public_stats(area: Area, start: date, end: date, measures: tuple[str, ...] = MEASURES, *,
                 only: set[tuple[str, date]] | None = None) -> PublicStats:
    """The month tables (newest first, per measure) of the district's communities, suppressed, cut to `area`;
    `only` builds just those (measure, month) tables (a page of the open data). A constant number of queries
    whatever the volume: the counts are the roll-ups' (oversight.public.monthly_counts)."""
    district = Area.objects.get(path=area.path[:PATH_STEP])
    communities = list(Area.objects.filter(path__startswith=district.path, level__depth=community_depth())
                       .order_by("path"))
    shown = [c for c in communities if c.path.startswith(area.path) or area.path.startswith(c.path)]
    counts = monthly_counts(district, start, end)
    used = {c.category_id for c in counts}
    categories = list((Category.objects.filter(is_active=True) | Category.objects.filter(pk__in=used))
                      .order_by("pk"))
    months = months_between(start, end)
    stats = PublicStats(area, district, months, categories, [], as_of(), communities, shown, counts)
    for measure in measures:
        cells = by_cell(counts, measure)
        for month in reversed(months):
            if only is None or (measure, month) in only:
                stats.tables.append(month_table(stats, measure, month, cells.get(month, {})))
    return stats


def month_table(stats: PublicStats, measure: str, month: date, cells: dict[tuple[int, int], int]) -> MonthTable:
    table = build([c.pk for c in stats.communities], [c.pk for c in stats.categories], cells)
    return MonthTable(month, measure, table, stats.shown, stats.area.pk == stats.district.pk)


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


def open_data_page(area: Area, start: date, end: date, measures: tuple[str, ...], offset: int,
                   limit: int) -> tuple[PublicStats, list[dict], int]:
    """One page of the open data (the API): its rows, and how many there are in all — known from the shape
    (tables × rows per table), never counted. Only the month tables the page touches are suppressed and cut;
    each is the same table as on the page (suppression is per district-month, whatever is asked)."""
    stats = public_stats(area, start, end, measures, only=set())
    per = stats.rows_per_table
    order = [(measure, month) for measure in measures for month in reversed(stats.months)]
    total = per * len(order)
    if not per or offset >= total:
        return stats, [], total
    first, last = offset // per, min((offset + limit - 1) // per, len(order) - 1)
    cells = {measure: by_cell(stats.counts, measure) for measure in measures}
    stats.tables = [month_table(stats, measure, month, cells[measure].get(month, {}))
                    for measure, month in order[first:last + 1]]
    skip = offset - first * per
    return stats, open_data_rows(stats)[skip:skip + limit], total
