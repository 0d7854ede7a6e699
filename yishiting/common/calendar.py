"""The working-day calendar: Monday–Friday, minus official holidays, plus adjusted workdays (调休).

Holidays and adjusted workdays live in CalendarDay (editable in the admin), seeded from `chinesecalendar`.
A year with no CalendarYear row has no holiday data: it is counted weekends-only and the result carries a
warning for the caller to show. These functions never raise for a missing year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext

from .localcache import LocalCache
from .models import CalendarDay, CalendarYear

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",  # zh-only: stored names
    "Spring Festival": "春节",  # zh-only: stored names
    "Tomb-sweeping Day": "清明节",  # zh-only: stored names
    "Labour Day": "劳动节",  # zh-only: stored names
    "Dragon Boat Festival": "端午节",  # zh-only: stored names
    "National Day": "国庆节",  # zh-only: stored names
    "Mid-autumn Festival": "中秋节",  # zh-only: stored names
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",  # zh-only: stored names
}


@dataclass(frozen=True)
class DateResult:
    date: date
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CountResult:
    days: int
    warnings: list[str] = field(default_factory=list)


def _load_year(year: int) -> tuple[bool, dict[date, str]]:
    """(is the year's holiday data entered, {date: kind}) for one year: two small queries."""
    kinds = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))
    return CalendarYear.objects.filter(year=year).exists(), kinds


# Every screening deadline and warning needs the calendar: kept per process (see common.localcache).
_years = LocalCache("calendar", _load_year, watch=(CalendarDay, CalendarYear))


class _Window:
    """Holiday data for a span of dates, from the per-year cache."""

    def __init__(self, first: date, last: date) -> None:
        self.kinds: dict[date, str] = {}
        self.covered: set[int] = set()
        for year in range(first.year, last.year + 1):
            covered, kinds = _years.get(year)
            self.kinds.update(kinds)
            if covered:
                self.covered.add(year)
        self.uncovered: set[int] = set()

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.covered:
            self.uncovered.add(day.year)
        kind = self.kinds.get(day)
        if kind == CalendarDay.Kind.HOLIDAY:
            return False
        if kind == CalendarDay.Kind.WORKDAY:
            return True
        return day.weekday() < 5

    def warnings(self) -> list[str]:
        return [
            gettext("%(year)s 年的节假日安排尚未录入，已按仅排除周末计算；请在后台“节假日 / 调休日”中补录。")
            % {"year": year} for year in sorted(self.uncovered)
        ]


def add_working_days(start: date, days: int) -> DateResult:
    """The date `days` working days after `start` (start itself not counted). days=0 returns start."""
    if days < 0:
        raise ValueError("days must be >= 0")
    # Long holidays last at most ~9 days, so this window almost always holds the answer: two queries.
    last = start + timedelta(days=days * 2 + 30)
    window = _Window(start, last)
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current > last:
            last = current + timedelta(days=days + 30)
            uncovered = window.uncovered
            window = _Window(current, last)
            window.uncovered |= uncovered
        if window.is_working_day(current):
            counted += 1
    return DateResult(current, window.warnings())


def working_days_between(start: date, end: date) -> CountResult:
    """Working days after `start` up to and including `end`; negative when end is before start."""
    if end < start:
        result = working_days_between(end, start)
        return CountResult(-result.days, result.warnings)
    window = _Window(start, end)
    count = sum(1 for offset in range(1, (end - start).days + 1)
                if window.is_working_day(start + timedelta(days=offset)))
    return CountResult(count, window.warnings())


def is_working_day(day: date) -> bool:
    return _Window(day, day).is_working_day(day)


def seed_from_chinesecalendar(day_model=CalendarDay, year_model=CalendarYear) -> int:
    """Load every holiday and adjusted workday chinesecalendar knows; existing rows (admin edits) are kept.

    Takes the models as arguments so a data migration can pass its historical models. Returns rows added.
    """
    from chinese_calendar.constants import holidays, workdays

    existing = set(day_model.objects.values_list("date", flat=True))
    rows = [day_model(date=d, kind="holiday", name=HOLIDAY_NAMES.get(name, name))
            for d, name in holidays.items() if d not in existing]
    rows += [day_model(date=d, kind="workday", name=f"{HOLIDAY_NAMES.get(name, name)}调休上班")  # zh-only
             for d, name in workdays.items() if d not in existing]
    day_model.objects.bulk_create(rows, batch_size=500)
    years = {d.year for d in holidays} | {d.year for d in workdays}
    known = set(year_model.objects.values_list("year", flat=True))
    year_model.objects.bulk_create([year_model(year=y, source="chinesecalendar") for y in sorted(years - known)])
    _years.clear()  # bulk_create sends no signal
    return len(rows)
