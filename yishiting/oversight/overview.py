"""The overview's figures (统计总览): the 三率 with their trend and comparisons, the funnel, open items by stage,
recurrences (复发), and rankings of child areas, categories and responsible units — each a dataclass the page,
the XLSX export and the monthly report read alike.

The rates (now, previous period, last year), the monthly trend, the child areas', the funnel and the categories
are read from the roll-ups in ONE query (`oversight.selectors.read_cells`, whatever the volume; the rates proven
equal to `handling.kpis.rates` by tests/test_rollups.py), with the rates the district chose (`rate_keys`: 解决率
when chosen). The funnel and the categories' stage columns follow each demand collected in the period to where
it stands *today* (a cohort): the roll-ups keep that as `cohort_<stage>` cells on the demand's submission day,
moved when its topic, task or case moves (oversight.projection; the same rules as `funnel.STAGES`, compared with
the live count by tests/test_overview.py). The responsible units come from the same read (`unit_` cells, the unit
in the category column) and one query for their names. What is open now by stage is the roll-ups' "open now"
gauge (OpenCount, one query: stages × due days, the overdue a sum of the cells due before today); the most
pressing items are ordered index ranges with LIMIT; the recurrences (复发) the "recurrences" cells of the same read
(checked once per demand by the catch-up, oversight.recurrence_store; tests/test_open_gauge.py compares the gauge
and the units with the records, tests/test_recurrence_store.py the 复发 cells with `clusters.recurrences`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from yishiting.areas.models import Area, Organization
from yishiting.demands.models import Category
from yishiting.handling import kpis
from yishiting.handling.choices import Satisfaction
from yishiting.handling.kpis import Figure
from yishiting.handling.selectors.evaluation import percent_text, satisfied_from

from . import funnel as funnel_rules
from . import selectors as rollups
from .models import ROLLUP_DEPTH
from .periods import Period
from .projection import INLINE_LIMIT, UNIT, catch_up

TREND_MONTHS = 12
MAX_CHILDREN = 60  # a street has tens of communities, a district tens of streets


# ---- dataclasses ----------------------------------------------------------------------------------------------

def _delta_words() -> dict[tuple[str, str], str]:
    """Whole sentences (never a translated fragment pasted into another): (against, direction) → words."""
    return {
        ("previous", "none"): _("上期无可比数据"), ("last_year", "none"): _("去年同期无可比数据"),
        ("previous", "same"): _("与上期持平"), ("last_year", "same"): _("与去年同期持平"),
        ("previous", "up_points"): _("比上期上升 %(amount)s 个百分点"),
        ("previous", "down_points"): _("比上期下降 %(amount)s 个百分点"),
        ("last_year", "up_points"): _("比去年同期上升 %(amount)s 个百分点"),
        ("last_year", "down_points"): _("比去年同期下降 %(amount)s 个百分点"),
        ("previous", "up"): _("比上期增加 %(amount)s"), ("previous", "down"): _("比上期减少 %(amount)s"),
        ("last_year", "up"): _("比去年同期增加 %(amount)s"), ("last_year", "down"): _("比去年同期减少 %(amount)s"),
    }


@dataclass
class Delta:
    """A change between two figures, in words and an arrow (never colour only)."""

    arrow: str  # ↑ ↓ → or ""
    words: str

    @classmethod
    def of(cls, now: Decimal | None, then: Decimal | None, *, points: bool, against: str) -> Delta:
        """`against`: "previous" or "last_year"; `points`: the figures are percents (the change in points)."""
        words = _delta_words()
        if now is None or then is None:
            return cls("", words[(against, "none")])
        diff = now - then
        if diff == 0:
            return cls("→", words[(against, "same")])
        direction = ("up" if diff > 0 else "down") + ("_points" if points else "")
        amount = f"{abs(diff):.2f}" if points else f"{abs(diff):.0f}"
        return cls("↑" if diff > 0 else "↓", words[(against, direction)] % {"amount": amount})


@dataclass
class RateLine:
    key: str
    label: str
    percent: str | None
    numerator: str
    denominator: int
    rule: str
    previous: str | None
    last_year: str | None
    vs_previous: Delta
    vs_last_year: Delta


@dataclass
class TrendPoint:
    month: date
    label: str
    percents: dict[str, str | None]  # rate key → percent text


@dataclass
class Stage:
    key: str
    label: str
    count: int
    rule: str
    branch: bool = False
    previous: int | None = None
    last_year: int | None = None
    vs_previous: Delta | None = None
    vs_last_year: Delta | None = None


@dataclass
class OpenStage:
    key: str
    label: str
    open: int
    overdue: int
    red: int
    drill: str  # the drill-down figure key


@dataclass
class RankRow:
    key: str  # area id, category id or organization id ("" for none)
    name: str
    collected: int = 0
    closed: int = 0
    on_time: int = 0
    on_time_percent: str | None = None
    satisfaction_percent: str | None = None
    done_percent: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# ---- the sources --------------------------------------------------------------------------------------------

def rates(area: Area, period: Period, keys: list[str] | None = None) -> kpis.Rates:
    """The district's rates (`keys`, default its `rate_keys`) from the roll-ups, without drill-down samples
    (the page links to the records instead)."""
    return rollups.rates(area, period.start, period.end, samples=False, keys=keys)


def monthly_rates(area: Area, months: list[date], keys: list[str] | None = None) -> list[list[Figure]]:
    """The rates of each whole month in `months` (consecutive firsts of months): one grouped query."""
    catch_up(limit=INLINE_LIMIT)
    keys = keys or rollups.rate_keys(area)
    cells = rollups.read_cells(area, [_trend_read(months)])["trend"]
    weight = rollups.satisfaction_weight()
    return [rollups.figures_of(cells.get(month, {}), keys, weight) for month in months]


def _trend_read(months: list[date]) -> rollups.Read:
    return rollups.Read("trend", months[0], _month_back(months[-1], -1) - timedelta(days=1), "month")


def funnel_counts(area: Area, period: Period) -> dict[str, int]:
    return funnel_rules.counts(area, period)


def _children(area: Area) -> list[tuple[str, str, int]]:
    """(path, name, id) of the active child areas, at most MAX_CHILDREN, in tree order."""
    return list(Area.objects.filter(parent=area, is_active=True).order_by("path")
                .values_list("path", "name", "pk")[:MAX_CHILDREN])


def _child_rows(children: list[tuple[str, str, int]], cells: dict[Any, dict[str, int]]) -> list[RankRow]:
    weight, rows = rollups.satisfaction_weight(), []
    for path, name, pk in children:
        counts = cells.get(path, {})
        response, on_time = rollups.response_figure(counts), rollups.on_time_figure(counts)
        rows.append(RankRow(str(pk), name, collected=counts.get("submitted", 0), closed=on_time.denominator,
                            on_time=int(on_time.numerator), on_time_percent=on_time.percent,
                            satisfaction_percent=rollups.satisfaction_figure(counts, weight).percent,
                            extra={"response": response.percent}))
    return rows


def by_child_area(area: Area, period: Period) -> list[RankRow]:
    """The active child areas (at most MAX_CHILDREN, tree order) with the demands they received and their
    response, on-time and satisfaction rates, from the roll-ups (whatever rates the district chose)."""
    catch_up(limit=INLINE_LIMIT)
    cells = rollups.read_cells(area, [rollups.Read("children", period.start, period.end, "path", children=True)])
    return _child_rows(_children(area), cells["children"])


def by_category(area: Area, period: Period, cells: dict[Any, dict[str, int]] | None = None) -> list[RankRow]:
    """The categories of the demands collected in the period (most first) with where those demands stand today
    (the roll-ups' `cohort_` cells: to a topic, direct handling, mediation, done by any road)."""
    if cells is None:
        catch_up(limit=INLINE_LIMIT)
        cells = rollups.read_cells(area, [rollups.Read("categories", period.start, period.end, "category")])["categories"]
    cells = {pk: counts for pk, counts in cells.items() if counts.get("submitted")}
    names = dict(Category.objects.filter(pk__in=list(cells)).values_list("pk", "name")) if cells else {}
    rows = []
    for pk, counts in cells.items():
        collected, done = counts["submitted"], counts.get("cohort_done", 0)
        rows.append(RankRow(str(pk or None), names.get(pk, _("未分类")), collected=collected, closed=done,
                            done_percent=_percent(done, collected),
                            extra={"topic": counts.get("cohort_topic", 0), "handling": counts.get("cohort_handling", 0),
                                   "mediation": counts.get("cohort_mediation", 0)}))
    return sorted(rows, key=lambda row: (-row.collected, row.name))


def by_unit(area: Area, period: Period, cells: dict[Any, dict[str, int]] | None = None) -> list[RankRow]:
    """Responsible units (责任单位) of tasks closed in the period: closed, on time (closing day ≤ the deadline in
    force, so an approved extension counts), and the satisfaction of the ratings given on their tasks — from the
    roll-ups' `unit_` cells (the category column holds the unit; `cells` as the "units" read of `_reads`) and
    one query for the units' names."""
    if cells is None:
        catch_up(limit=INLINE_LIMIT)
        cells = rollups.read_cells(area, [_units_read(period)])["units"]
    closed = {unit: counts for unit, counts in cells.items() if counts.get("unit_closed")}
    names = dict(Organization.objects.filter(pk__in=[u for u in closed if u]).values_list("pk", "name")) \
        if any(closed) else {}
    rows = []
    for unit, counts in closed.items():
        n, on_time = counts["unit_closed"], counts.get("unit_closed_on_time", 0)
        sat = satisfied_from({v: counts.get(f"unit_rating_{v}", 0) for v in Satisfaction.values if
                              counts.get(f"unit_rating_{v}")}, funnel_rules.basic_weight())
        rows.append(RankRow(str(unit or ""), names.get(unit) or _("社区自办（无责任单位）"), closed=n, on_time=on_time,
                            on_time_percent=_percent(on_time, n), satisfaction_percent=percent_text(sat.rate),
                            extra={"ratings": sat.valid}))
    return sorted(rows, key=lambda r: (-(Decimal(r.on_time_percent or -1)), -r.closed, r.name))


def _units_read(period: Period) -> rollups.Read:
    return rollups.Read("units", period.start, period.end, "category", prefix=UNIT)


def _percent(numerator: int, denominator: int) -> str | None:
    return kpis._share(numerator, denominator)


# ---- what the page reads ----------------------------------------------------------------------------------------

def rate_lines(area: Area, period: Period, keys: list[str] | None = None,
               cells: dict[str, dict[Any, dict[str, int]]] | None = None) -> list[RateLine]:
    """The district's rates now, in the previous period and a year earlier, with the changes in words (`cells`:
    the roll-up reads of `_reads`, when the caller already has them)."""
    keys = keys or rollups.rate_keys(area)
    if cells is None:
        catch_up(limit=INLINE_LIMIT)
        cells = rollups.read_cells(area, _reads(period, [])[:3])
    weight = rollups.satisfaction_weight()
    now, before, year_ago = (rollups.figures_of(cells[tag].get(None, {}), keys, weight)
                             for tag in ("now", "previous", "last_year"))
    lines = []
    for cur, prev, old in zip(now, before, year_ago, strict=True):
        lines.append(RateLine(cur.key, cur.label, cur.percent, cur.numerator, cur.denominator, cur.rule,
                              prev.percent, old.percent,
                              Delta.of(_dec(cur.percent), _dec(prev.percent), points=True, against="previous"),
                              Delta.of(_dec(cur.percent), _dec(old.percent), points=True, against="last_year")))
    return lines


def _reads(period: Period, months: list[date]) -> list[rollups.Read]:
    """Every roll-up read of the overview, made in one query: the area's totals for the period, the one before
    and a year earlier; the trend's months; the child areas' totals."""
    reads = [rollups.Read(tag, p.start, p.end) for tag, p in
             (("now", period), ("previous", period.previous()), ("last_year", period.last_year()))]
    return reads + ([_trend_read(months)] if months else []) + \
        [rollups.Read("children", period.start, period.end, "path", children=True),
         rollups.Read("categories", period.start, period.end, "category"), _units_read(period)]


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _trend_months(period: Period) -> list[date]:
    last = period.end.replace(day=1)
    return [_month_back(last, back) for back in range(TREND_MONTHS - 1, -1, -1)]


def trend(area: Area, period: Period, keys: list[str] | None = None,
          cells: dict[Any, dict[str, int]] | None = None) -> list[TrendPoint]:
    """The district's rates month by month: the TREND_MONTHS whole months up to the period's last month."""
    months = _trend_months(period)
    if cells is None:
        figures = monthly_rates(area, months, keys)
    else:
        keys, weight = keys or rollups.rate_keys(area), rollups.satisfaction_weight()
        figures = [rollups.figures_of(cells.get(month, {}), keys, weight) for month in months]
    return [TrendPoint(first, f"{first:%Y-%m}", {f.key: f.percent for f in point})
            for first, point in zip(months, figures, strict=True)]


def _month_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _stage_counts(counts: dict[str, int]) -> dict[str, int]:
    """The funnel's stages from an area's roll-up counts: 收集 is `submitted`, each stage its `cohort_<stage>`
    (where the period's demands stand today, kept on their submission day)."""
    return {rule.key: counts.get("submitted" if rule.key == "collected" else f"cohort_{rule.key}", 0)
            for rule in funnel_rules.STAGES}


def funnel(area: Area, period: Period, cells: dict[str, dict[Any, dict[str, int]]] | None = None) -> list[Stage]:
    """收集 → 转为议题 → 上会协商 → 形成决议 → 办结 → 归档, then the side branches → 直接办理 and → 调解, each
    compared with the previous period and the same period last year (from the roll-ups: `cells` as `_reads`)."""
    if cells is None:
        catch_up(limit=INLINE_LIMIT)
        cells = rollups.read_cells(area, _reads(period, [])[:3])
    now, before, year_ago = (_stage_counts(cells[tag].get(None, {})) for tag in ("now", "previous", "last_year"))
    stages = []
    for rule in funnel_rules.STAGES:
        count, prev, old = now[rule.key], before[rule.key], year_ago[rule.key]
        stages.append(Stage(rule.key, str(rule.label), count, str(rule.rule), rule.branch, prev, old,
                            Delta.of(Decimal(count), Decimal(prev), points=False, against="previous"),
                            Delta.of(Decimal(count), Decimal(old), points=False, against="last_year")))
    return stages


def open_stages(area: Area, today: date, *, catch: bool = True) -> list[OpenStage]:
    """Open items by stage, the overdue and the red-warned: from the roll-ups' "open now" gauge (one query
    whatever the number of items; an area below the grid, which the gauge does not keep, counts its records)."""
    counts = (rollups.open_gauge(area, today, catch=catch) if area.depth <= ROLLUP_DEPTH
              else funnel_rules.live_open_counts(area, today))
    return [OpenStage(**row) for row in funnel_rules.open_counts(counts)]


def open_items(area: Area, today: date, limit: int = 15) -> list[dict[str, Any]]:
    """The open items most in need of attention: red-warned and overdue first, then by days overdue."""
    return funnel_rules.pressing(area, today, limit)


@dataclass
class Overview:
    """Everything the overview page and the monthly report show for one area and period."""

    area: Area
    period: Period
    previous: Period
    last_year: Period
    today: date
    rates: list[RateLine]
    trend: list[TrendPoint]
    funnel: list[Stage]
    open_stages: list[OpenStage]
    open_items: list[dict[str, Any]]
    children: list[RankRow]
    categories: list[RankRow]
    units: list[RankRow]
    recurrences: int = 0  # demands of the period repeating an archived matter at the same place (复发)
    as_of: datetime | None = None  # the time the roll-ups are counted up to (the page states it)


def overview(area: Area, period: Period, today: date) -> Overview:
    """The figures read from the roll-ups first count the events written since the last catch-up (at most
    INLINE_LIMIT), so they are as of `as_of`. The rates, their comparisons, the trend and the child areas are
    one roll-up query; the rest a fixed number of grouped queries (tests/test_overview_pages.py guards it)."""
    as_of = rollups.up_to_date()
    keys = rollups.rate_keys(area)
    cells = rollups.read_cells(area, _reads(period, _trend_months(period)))
    return Overview(area, period, period.previous(), period.last_year(), today,
                    rate_lines(area, period, keys, cells), trend(area, period, keys, cells["trend"]),
                    funnel(area, period, cells), open_stages(area, today, catch=False), open_items(area, today),
                    _child_rows(_children(area), cells["children"]), by_category(area, period, cells["categories"]),
                    by_unit(area, period, cells["units"]), cells["now"][None].get("recurrences", 0), as_of)


def charts(data: Overview) -> dict[str, Any]:
    """The overview's SVG charts (the page and the PDF show the same), each described by the table `<key>-table`."""
    from yishiting.common.charts import Series, bar_chart, funnel_chart, line_chart

    def percent(value: str | None) -> float | None:
        return float(value) if value is not None else None

    labels = {line.key: line.label for line in data.rates}
    series = [Series(labels[key], [percent(p.percents.get(key)) for p in data.trend]) for key in labels]
    main = [s for s in data.funnel if not s.branch]
    return {
        "trend": line_chart([p.label[2:] for p in data.trend], series, title=_("三率月度趋势"),
                            described_by="trend-table"),
        "funnel": funnel_chart([(s.label, s.count) for s in main], title=_("办理漏斗"), described_by="funnel-table"),
        "children": bar_chart([(r.name, percent(r.on_time_percent)) for r in data.children], unit="%", high=100,
                              title=_("下级区域按期办结率"), described_by="children-table") if data.children else "",
        "categories": bar_chart([(r.name, r.collected) for r in data.categories[:10]], title=_("各类别诉求数"),
                                described_by="categories-table") if data.categories else "",
    }
