""""How it was counted": the first records (by day) behind a figure, found without scanning the period.

The daily cells say on which days a measure has records; only those first days' contributions are read
(index kind, day, path), so listing 20 records costs the same for a quiet month and a district-year of
millions — and a flag that is rare (the few late tasks) does not turn into a scan of every record.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.handling.kpis import SAMPLE

from .models import Contribution, DailyCount

FIRST_DAYS = 31
# a figure's samples: (list name, kind, measures counted, measures subtracted)
PLANS = {
    "response": [("counted", "demand", ["responded_on_time"], []),
                 ("not_counted", "demand", ["submitted"], ["responded_on_time"])],
    "on_time": [("counted", "task", ["tasks_closed_on_time"], []),
                ("counted", "case", ["cases_closed_on_time"], []),
                ("not_counted", "task", ["tasks_closed"], ["tasks_closed_on_time"]),
                ("not_counted", "case", ["cases_closed"], ["cases_closed_on_time"])],
    "satisfaction": [("counted", "rating", ["rating_satisfied", "rating_basic", "rating_dissatisfied"], [])],
    "resolved": [("counted", "rating", ["reporter_rating_satisfied", "reporter_rating_basic"], []),
                 ("not_counted", "rating", ["reporter_rating_dissatisfied"], [])],
}


def _labels(kind: str, rows: list[tuple[str, int]]) -> list[str]:
    if kind == "demand":
        return [label for label, _pk in rows]
    if kind == "rating":
        return [_("评价 %(r)s") % {"r": label} for label, _pk in rows]
    word = _("任务 %(subject_id)s") if kind == "task" else _("调解案件 %(subject_id)s")
    return [word % {"subject_id": pk} for _label, pk in rows]


def _first_days(per_day: dict[date, int]) -> list[date]:
    days, total = [], 0
    for day in sorted(per_day):
        if per_day[day] > 0:
            days.append(day)
            total += per_day[day]
            if total >= SAMPLE:
                break
    return days


def day_counts(area: Area, start: date, end: date, measures: set[str]) -> dict[str, dict[date, int]]:
    """{measure: {day: n}} at the area's path: one grouped query over the daily cells of the period."""
    found: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    rows = (DailyCount.objects.filter(path=area.path, day__gte=start, day__lte=end, measure__in=measures)
            .values("day", "measure").annotate(total=Sum("n")).order_by())
    for row in rows:
        found[row["measure"]][row["day"]] += row["total"]
    return found


def samples(area: Area, start: date, end: date, keys: list[str],
            totals: dict[str, int]) -> dict[str, dict[str, list[str]]]:
    """{figure key: {"counted": […], "not_counted": […]}}: one or two queries for the days, one per list.
    `totals`: the period's counts (what the figures show), to know when the first weeks hold enough."""
    plans = [(key, *plan) for key in keys for plan in PLANS.get(key, [])]
    measures = {m for *_, plus, minus in plans for m in plus + minus}
    first = min(end, start + timedelta(days=FIRST_DAYS - 1))
    counts = day_counts(area, start, first, measures)  # the first weeks usually list enough

    def listed(plus: list[str], minus: list[str], source: dict) -> int:
        return sum(source.get(m, 0) for m in plus) - sum(source.get(m, 0) for m in minus)

    window = {m: sum(days.values()) for m, days in counts.items()}
    short = {m for *_, plus, minus in plans
             if listed(plus, minus, window) < min(SAMPLE, listed(plus, minus, totals)) for m in plus + minus}
    if first < end and short:  # only the measures the first weeks do not cover: over the period
        counts.update(day_counts(area, start, end, short))
    result: dict[str, dict[str, list[str]]] = {key: {"counted": [], "not_counted": []} for key in keys}
    for key, name, kind, plus, minus in plans:
        per_day: dict[date, int] = defaultdict(int)
        for sign, measures in ((1, plus), (-1, minus)):
            for measure in measures:
                for day, n in counts.get(measure, {}).items():
                    per_day[day] += sign * n
        days = _first_days(per_day)
        if not days or len(result[key][name]) >= SAMPLE:
            continue
        has = Q()
        for measure in plus:
            has |= Q(flags__contains=f",{measure},")
        rows = Contribution.objects.filter(has, kind=kind, day__in=days, path__startswith=area.path)
        for measure in minus:
            rows = rows.exclude(flags__contains=f",{measure},")
        listed = _labels(kind, list(rows.order_by("day", "source_id").values_list("label", "source_id")[:SAMPLE]))
        result[key][name] = (result[key][name] + listed)[:SAMPLE]
    return result
