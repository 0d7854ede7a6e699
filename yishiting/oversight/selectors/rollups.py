"""The rates, the funnel and the rankings, read from the roll-ups (oversight.models.rollups).

An area's figures are read at its exact path (the cells are kept at every level down to the grid): whole months
from the monthly cells, the days of a partly covered month at either end from the daily cells — two grouped
queries whatever the volume. The rules are those of handling.kpis, which counts the same from the event log
(the property test compares the two); 解决率 is added:

- 解决率 resolved: of the ratings given in the period by the residents who reported the matter (the demand's
  reporter rating a task, a topic's evaluation round or a mediation case), those that say 满意 or 基本满意 —
  the matter was resolved as its reporter judged it; a 不满意 says it was not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import CharField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.localcache import LocalCache
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.services.topics import default_template
from yishiting.demands.models import Category
from yishiting.handling import kpis
from yishiting.handling.kpis import Figure, Rates
from yishiting.handling.selectors.evaluation import basic_weight_of, percent_text, satisfied_from

from .. import drilldown
from ..models import ROLLUP_DEPTH, DailyCount, DistrictRates, MonthlyCount, OpenCount, RollupCursor
from ..projection import INLINE_LIMIT, STEP, UNIT, catch_up, nothing_new

DEFAULT_RATES = ["response", "on_time", "satisfaction"]
FUNNEL_MEASURES = ["submitted", "to_topic", "topics_met", "topics_resolved", "tasks_closed", "topics_archived",
                   "to_handling", "to_mediation", "cases_closed", "cases_archived", "escalated", "rejected", "merged"]
Counts = dict[str, int]


def _check(area: Area, start: date, end: date) -> None:
    if end < start:
        raise DomainError("invalid_period", _("结束日期不能早于开始日期。"), details={"field": "end"})
    if area.depth > ROLLUP_DEPTH:
        raise DomainError("too_deep", _("统计只到网格一级，请选择网格或以上的区域。"), details={"field": "area"})


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _spans(start: date, end: date) -> tuple[Q | None, Q | None]:
    """(monthly filter, daily filter): whole months in [start, end] from the monthly cells, the rest by day
    (None: nothing to read there)."""
    first = start if start.day == 1 else _next_month(start)
    last = _month_start(end + timedelta(days=1))  # months before this one end within the period
    if first >= last:
        return None, Q(day__gte=start, day__lte=end)
    days = [Q(day__gte=start, day__lt=first)] if start < first else []
    days += [Q(day__gte=last, day__lte=end)] if last <= end else []
    return Q(month__gte=first, month__lt=last), (days[0] | days[1] if len(days) == 2 else days[0] if days else None)


@dataclass(frozen=True)
class Read:
    """One read of the roll-ups: the area's (or its children's, `children`) counts from `start` to `end`,
    grouped `by` "month", "path" (the child), "category" or not at all (None: the area's total)."""

    tag: str
    start: date
    end: date
    by: str | None = None
    children: bool = False
    prefix: str = ""  # only the measures starting with it (the responsible units' "unit_"); else all but those


def _parts(area: Area, read: Read) -> list[QuerySet]:
    """The grouped querysets of one read: its whole months from the monthly cells, the rest from the daily."""
    monthly, daily = _spans(read.start, read.end)
    place = (Q(depth=area.depth + 1, path__startswith=area.path) if read.children else Q(path=area.path))
    place &= Q(measure__startswith=read.prefix) if read.prefix else ~Q(measure__startswith=UNIT)
    parts = []
    for model, span in ((MonthlyCount, monthly), (DailyCount, daily)):
        if span is None:
            continue
        column = {"month": "month" if model is MonthlyCount else "day", "path": "path",
                  "category": "category_id"}.get(read.by or "")
        group = Cast(column, CharField()) if column else Value("", output_field=CharField())
        parts.append(model.objects.filter(place, span)
                     .annotate(tag=Value(read.tag, output_field=CharField()), grp=group)
                     .values("tag", "grp", "measure").annotate(total=Sum("n")).order_by())
    return parts


def _group(by: str | None, text: str) -> Any:
    if by in ("month", None):
        return _month_start(date.fromisoformat(text[:10])) if by else None
    return int(text) if by == "category" else text


def read_cells(area: Area, reads: list[Read]) -> dict[str, dict[Any, Counts]]:
    """{tag: {group: {measure: n}}} for every read, in ONE query (a UNION ALL of grouped index ranges): the
    rates of a period and the periods it is compared with, the trend and the rankings cost one round trip."""
    out: dict[str, dict[Any, Counts]] = {read.tag: defaultdict(lambda: defaultdict(int)) for read in reads}
    parts = [part for read in reads for part in _parts(area, read)]
    if not parts:
        return out
    by = {read.tag: read.by for read in reads}
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for row in query:
        out[row["tag"]][_group(by[row["tag"]], row["grp"])][row["measure"]] += row["total"]
    return out


def _cells(area: Area, start: date, end: date, by: str | None = None, *, children: bool = False) -> dict[Any, Counts]:
    """{group: {measure: n}}: group is the child path, category id, month or None (the area's total)."""
    return read_cells(area, [Read("cells", start, end, by, children)])["cells"]


def _share(numerator: Fraction | int, denominator: int) -> str | None:
    return percent_text(Fraction(numerator) / denominator) if denominator else None


def response_figure(counts: Counts, sample: dict[str, list[str]] | None = None) -> Figure:
    demands, on_time, answered = counts.get("submitted", 0), counts.get("responded_on_time", 0), counts.get("responded", 0)
    late, waiting = answered - on_time, demands - answered
    sample = sample or {}
    return Figure("response", _("响应率"), str(on_time), demands, _share(on_time, demands),
                  _("期限内作出筛选决定的诉求 %(on_time)s ÷ 期间收到的诉求 %(demands)s（筛选决定：转议题、直接办理、提请上级、不予受理或合并，以首次决定为准；转入调解的以调解员受理为准）") % {"on_time": on_time, "demands": demands},
                  sample.get("counted", []), sample.get("not_counted", []), {"late": late, "waiting": waiting})


def on_time_figure(counts: Counts, sample: dict[str, list[str]] | None = None) -> Figure:
    total = counts.get("tasks_closed", 0) + counts.get("cases_closed", 0)
    on_time = counts.get("tasks_closed_on_time", 0) + counts.get("cases_closed_on_time", 0)
    extended = counts.get("tasks_closed_extended", 0)
    sample = sample or {}
    return Figure("on_time", _("按期办结率"), str(on_time), total, _share(on_time, total),
                  _("期限内销号的任务和结案的调解案件 %(on_time)s ÷ 期间销号的任务和结案的调解案件 %(total)s（经批准延期的以新期限为准；其中延过期的 %(extended)s 项）") % {"on_time": on_time, "total": total, "extended": extended},
                  sample.get("counted", []), sample.get("not_counted", []), {"late": total - on_time, "extended": extended})


def satisfaction_figure(counts: Counts, weight: Decimal, sample: dict[str, list[str]] | None = None) -> Figure:
    values = {v: counts.get(f"rating_{v}", 0) for v in ("satisfied", "basic", "dissatisfied")}
    sat = satisfied_from(values, weight)
    return Figure("satisfaction", _("满意率"), str(sat.numerator), sat.valid, percent_text(sat.rate), sat.rule(),
                  (sample or {}).get("counted", []), [], {"counts": sat.as_dict()["counts"], "basic_weight": str(weight)})


def resolved_figure(counts: Counts, sample: dict[str, list[str]] | None = None) -> Figure:
    yes = counts.get("reporter_rating_satisfied", 0) + counts.get("reporter_rating_basic", 0)
    total = yes + counts.get("reporter_rating_dissatisfied", 0)
    sample = sample or {}
    return Figure("resolved", _("解决率"), str(yes), total, _share(yes, total),
                  _("诉求人评为满意或基本满意的事项 %(yes)s ÷ 期间诉求人给出的评价 %(total)s（诉求人评为不满意的视为未解决；其他居民的评价不计入）") % {"yes": yes, "total": total},
                  sample.get("counted", []), sample.get("not_counted", []), {})


def figures_of(counts: Counts, keys: list[str], weight: Decimal,
               samples: dict[str, dict[str, list[str]]] | None = None) -> list[Figure]:
    samples = samples or {}
    make = {"response": lambda s: response_figure(counts, s), "on_time": lambda s: on_time_figure(counts, s),
            "satisfaction": lambda s: satisfaction_figure(counts, weight, s), "resolved": lambda s: resolved_figure(counts, s)}
    return [make[key](samples.get(key)) for key in keys]


def _district_keys(district_path: str) -> list[str] | None:
    setting = DistrictRates.objects.filter(district__path=district_path).first()
    return setting.keys() if setting else None


# read on every figure page, set by an admin now and then: kept per process (a change is seen at once in the
# process that saved it, within a minute in the others — common.localcache)
_district_rates = LocalCache("oversight_district_rates", _district_keys, watch=(DistrictRates,))
_basic_weight = LocalCache("oversight_basic_weight", lambda _key: basic_weight_of(default_template()),
                           watch=(ProcessTemplate,))


def rate_keys(area: Area) -> list[str]:
    """The rates the area's district shows, in its order (DistrictRates; the 三率 when not set)."""
    return list(_district_rates.get(area.path[:STEP]) or DEFAULT_RATES)


def satisfaction_weight() -> Decimal:
    """The weight of 基本满意 in 满意率: the default process template's (kept per process like rate_keys)."""
    return _basic_weight.get(None)


def as_of() -> Any:
    """The time the roll-ups count up to (the pages state it): now when no event is waiting, else the last
    catch-up's time."""
    if nothing_new():
        return timezone.now()
    return RollupCursor.objects.filter(name="main").values_list("caught_up_at", flat=True).first()


def open_gauge(area: Area, today: date, *, catch: bool = True) -> dict[str, tuple[int, int]]:
    """What is open now under `area`, stage → (open, overdue as of `today`), from the gauge (OpenCount): ONE
    grouped read of the area's cells (stages × due days, whatever the number of items). "tasks_red": the
    red-warned open tasks (their overdue: those also past the deadline)."""
    if catch:
        catch_up(limit=INLINE_LIMIT)
    rows = (OpenCount.objects.filter(path=area.path).values("stage")
            .annotate(total=Sum("n"), late=Sum("n", filter=Q(due__lt=today))).order_by())
    return {row["stage"]: (row["total"], row["late"] or 0) for row in rows if row["total"]}


def up_to_date() -> Any:
    """Count the events written since the last catch-up (at most INLINE_LIMIT) and return the time the roll-ups
    count up to — one query when nothing is waiting (a page's usual case), so a page asks once, not per read."""
    if nothing_new():
        return timezone.now()
    catch_up(limit=INLINE_LIMIT)
    return as_of()


def rates(area: Area, start: date, end: date, *, basic_weight: Decimal | None = None, samples: bool = True,
          keys: list[str] | None = None, catch: bool = True) -> Rates:
    """The district's rates of `area` (its subtree) from `start` to `end` (both days included), from the
    roll-ups, each with its rule and (samples=True) the first records it counted. An area below the grid (a
    building, a unit: not kept in the roll-ups) is counted live from the event log — it is small."""
    if area.depth > ROLLUP_DEPTH and end >= start:
        return kpis.rates(area, start, end, basic_weight=basic_weight)
    _check(area, start, end)
    if catch:  # False: the caller brought the roll-ups up to date (up_to_date) for all its reads
        catch_up(limit=INLINE_LIMIT)
    weight = basic_weight if basic_weight is not None else satisfaction_weight()
    keys = keys or rate_keys(area)
    counts = _cells(area, start, end)[None]
    samples_of = drilldown.samples(area, start, end, keys, counts) if samples else None
    figures = figures_of(counts, keys, weight, samples_of)
    return Rates(area={"id": area.pk, "name": area.name, "full_name": area.full_name},
                 start=start.isoformat(), end=end.isoformat(), figures=figures)


def figure_records(area: Area, start: date, end: date, key: str) -> Figure:
    """One rate of `area` over the period with the first records it counted (and those only in its denominator):
    what /kpis/ shows when the official opens "how it was counted" — read on demand, not with every page."""
    _check(area, start, end)
    counts = _cells(area, start, end)[None]
    return figures_of(counts, [key], satisfaction_weight(), drilldown.samples(area, start, end, [key], counts))[0]


def _rows(groups: dict[Any, Counts], keys: list[str], weight: Decimal) -> list[dict[str, Any]]:
    return [{"key": group, "counts": dict(counts), "figures": figures_of(counts, keys, weight)}
            for group, counts in groups.items()]


def monthly_rates(area: Area, start: date, end: date) -> list[dict[str, Any]]:
    """One point per month of the period (months without any count included): counts and the rates."""
    _check(area, start, end)
    groups, keys, weight = _cells(area, start, end, "month"), rate_keys(area), satisfaction_weight()
    months, month = [], _month_start(start)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return [{"month": m, "counts": dict(groups.get(m, {})), "figures": figures_of(groups.get(m, {}), keys, weight)}
            for m in months]


def by_child_area(area: Area, start: date, end: date) -> list[dict[str, Any]]:
    """Each child area (streets of a district, communities of a street …) with its counts and rates,
    children without a count included (zeros), in tree order."""
    _check(area, start, end)
    groups = _cells(area, start, end, "path", children=True)
    children = Area.objects.filter(parent=area).order_by("path").values_list("path", "name", "pk")
    keys, weight = rate_keys(area), satisfaction_weight()
    return [{"area": {"id": pk, "name": name, "path": path}, "counts": dict(groups.get(path, {})),
             "figures": figures_of(groups.get(path, {}), keys, weight)} for path, name, pk in children]


def by_category(area: Area, start: date, end: date) -> list[dict[str, Any]]:
    """Each category counted in the area and period, with its counts and rates (most demands first)."""
    _check(area, start, end)
    groups = _cells(area, start, end, "category")
    names = dict(Category.objects.filter(pk__in=list(groups)).values_list("pk", "name"))
    keys, weight = rate_keys(area), satisfaction_weight()
    rows = [{"category": {"id": pk, "name": names.get(pk, _("未分类"))}, "counts": dict(counts),
             "figures": figures_of(counts, keys, weight)} for pk, counts in groups.items()]
    return sorted(rows, key=lambda row: (-row["counts"].get("submitted", 0), row["category"]["id"]))


def funnel_counts(area: Area, start: date, end: date) -> dict[str, int]:
    """The loop in the period: demands collected → topic → met → resolved → tasks closed → archived, and →
    direct handling, → mediation (each counted on the day the step happened)."""
    _check(area, start, end)
    counts = _cells(area, start, end)[None]
    return {measure: counts.get(measure, 0) for measure in FUNNEL_MEASURES}
