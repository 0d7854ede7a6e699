"""Public figures (公开统计): demands received and done per community and category by month, for everyone, with
no login — never a record, never a name.

`monthly_counts(area, start, end)` is the ONE place the counts are read: the monthly roll-up cells
(oversight.models.MonthlyCount) at community level, one query whatever the volume — `submitted` (received, on
the day the demand came in) and `cohort_done` (of those, the ones 办结 by the overview's one rule,
funnel.DONE_RULE). `recount` counts the same from the demand rows: the reference the property test compares
the roll-ups with.

Small cells are suppressed so that no figure points at a person (oversight.suppression).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from yishiting.areas.models import PATH_STEP, Area
from yishiting.areas.selectors import community_depth
from yishiting.demands.models import Demand

from .funnel import done_q
from .models import MonthlyCount as MonthlyCell
from .projection import INLINE_LIMIT, catch_up

MEASURES = ("received", "done")
ROLLUP_MEASURES = {"submitted": "received", "cohort_done": "done"}
# A demand is done (办结) by the one rule of the overview's funnel too (funnel.DONE_RULE, the roll-ups'
# `cohort_done`), here on a plain demand queryset.
DONE = done_q("topic__status", "task__status", "mediation__status")


@dataclass(frozen=True)
class MonthlyCount:
    area_id: int  # a community
    month: date  # the first day of the month
    category_id: int
    received: int
    done: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    first = start.replace(day=1)
    after = date(end.year + end.month // 12, end.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(after, time.min, tzinfo=tz)


def monthly_counts(area: Area, start: date, end: date) -> list[MonthlyCount]:
    """Demands received (by the day they came in) and done, per community under `area` × category × month, for
    the months from `start` to `end` inclusive, from the roll-ups (caught up first, as the officials' pages do).
    Demands filed above community level are no community's cell. Two queries whatever the volume."""
    catch_up(limit=INLINE_LIMIT)
    depth = max(area.depth, community_depth())
    rows = (MonthlyCell.objects.filter(depth=depth, path__startswith=area.path, month__gte=start.replace(day=1),
                                       month__lte=end, measure__in=list(ROLLUP_MEASURES))
            .values_list("path", "month", "category_id", "measure", "n"))
    cells: dict[tuple[str, date, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for path, month, category, measure, n in rows:
        cells[(path, month, category)][ROLLUP_MEASURES[measure]] += n
    ids = dict(Area.objects.filter(path__in={path for path, _, _ in cells}).values_list("path", "pk"))
    return [MonthlyCount(ids[path], month, category, c["received"], c["done"])
            for (path, month, category), c in sorted(cells.items()) if path in ids and (c["received"] or c["done"])]


def recount(area: Area, start: date, end: date) -> list[MonthlyCount]:
    """The same figures counted from the demand rows (by the month they were created): what the roll-ups must
    equal (the property test). Two grouped queries over the demands — never used by a page."""
    depth = max(area.depth, community_depth())
    width = depth * PATH_STEP
    since, until = _bounds(start, end)
    rows = (Demand.objects.filter(path__startswith=area.path, created_at__gte=since, created_at__lt=until)
            .annotate(group=Substr("path", 1, width), month=TruncMonth("created_at"))
            .values("group", "month", "category_id")
            .annotate(received=Count("pk"), done=Count("pk", filter=DONE)).order_by())
    rows = [r for r in rows if len(r["group"]) == width]  # demands filed above community level are not a cell
    ids = dict(Area.objects.filter(path__in={r["group"] for r in rows}).values_list("path", "pk"))
    return [MonthlyCount(ids[r["group"]], _as_date(r["month"]), r["category_id"], r["received"], r["done"])
            for r in rows if r["group"] in ids]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def by_cell(counts: list[MonthlyCount], measure: str) -> dict[date, dict[tuple[int, int], int]]:
    """{month: {(area_id, category_id): value}} for one measure."""
    table: dict[date, dict[tuple[int, int], int]] = defaultdict(dict)
    for c in counts:
        table[c.month][(c.area_id, c.category_id)] = getattr(c, measure)
    return table
