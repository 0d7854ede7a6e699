"""Writes to the holiday table (admin edits, `calendar_import`), and what they do to deadlines already set.

A deadline counted in working days was fixed with the calendar of its day. When holidays are entered or changed
(a year's State Council notice typed in, a day corrected), every open deadline whose window holds a day that
changed from working to rest would run short: each domain registers a *keeper* (`register_deadline_keeper`)
that recomputes its open deadlines and extends them to the full count, never shortening one below what was
published, with an event and a notice to the staff concerned. Keepers live in the domains (handling today);
common only says which days changed — data walks down.

Every write here is one service, atomic: the table, the keepers' changes and their events commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from .calendar import forget_cached_years, is_working_day
from .errors import DomainError
from .models import CalendarDay, CalendarYear
from .statutory import statutory_holidays

# name → keeper(*, actor, changed) returning how many deadlines it moved; `changed` is {day: working now}.
Keeper = Callable[..., int]
DEADLINE_KEEPERS: dict[str, Keeper] = {}


def register_deadline_keeper(name: str, keeper: Keeper) -> None:
    """Let a domain recompute its open deadlines after a calendar change (called from AppConfig.ready)."""
    DEADLINE_KEEPERS[name] = keeper


def lost_working_days(start: date, end: date, changed: dict[date, bool]) -> int:
    """How many working days a window (start, end] lost in a change (negative: gained). For a deadline whose
    count is not stored (a demand's screening days, an evaluation round): extend by this many, if positive."""
    return sum(-1 if working else 1 for day, working in changed.items() if start < day <= end)


@dataclass(frozen=True)
class CalendarChange:
    changed: dict[date, bool] = field(default_factory=dict)  # the days whose working status flipped → new status
    recomputed: int = 0  # deadlines moved later

    @property
    def summary(self) -> str:
        if not self.changed:
            return gettext("工作日没有变化，已有期限不受影响。")
        return gettext("%(days)s 天的工作日安排有变化，已顺延 %(moved)s 项未到期的期限。") % {
            "days": len(self.changed), "moved": self.recomputed}


def _status(days: Iterable[date]) -> dict[date, bool]:
    forget_cached_years()  # read what the database holds now, not another moment's cache
    return {day: is_working_day(day) for day in sorted(set(days))}


def _apply(actor, candidates: set[date], write: Callable[[], None]) -> CalendarChange:
    before = _status(candidates)
    write()
    after = _status(candidates)
    changed = {day: now for day, now in after.items() if before[day] != now}
    moved = sum(keeper(actor=actor, changed=changed) for keeper in DEADLINE_KEEPERS.values()) if changed else 0
    return CalendarChange(changed=changed, recomputed=moved)


def _check_day(day: CalendarDay) -> None:
    if day.kind not in CalendarDay.Kind.values:
        raise DomainError("invalid_kind", gettext("类型须是“法定节假日（休息）”或“调休上班日”。"),
                          details={"field": "kind"})
    clash = CalendarDay.objects.filter(date=day.date).exclude(pk=day.pk).exists()
    if clash:
        raise DomainError("duplicate_day", gettext("%(day)s 已有安排，请直接修改那一条。") % {"day": day.date},
                          details={"field": "date"})


@transaction.atomic
def calendar_day_save(*, actor, day: CalendarDay) -> CalendarChange:
    """Add or change one holiday / adjusted workday (also when its date moves); open deadlines are kept whole."""
    _check_day(day)
    old = CalendarDay.objects.select_for_update().filter(pk=day.pk).first() if day.pk else None
    candidates = {day.date} | ({old.date} if old else set())
    return _apply(actor, candidates, day.save)


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> CalendarChange:
    """Remove one entry: the day goes back to the weekday rule (or the statutory rule of a year not entered)."""
    return _apply(actor, {day.date}, day.delete)


@transaction.atomic
def calendar_year_save(*, actor, year: CalendarYear) -> CalendarChange:
    """Mark a year entered (its statutory days then count only as the table says) or edit the mark's note."""
    old = CalendarYear.objects.filter(pk=year.pk).values_list("year", flat=True).first() if year.pk else None
    years = {year.year} | ({old} if old else set())
    return _apply(actor, {d for y in years for d in statutory_holidays(y)}, year.save)


@transaction.atomic
def calendar_year_delete(*, actor, year: CalendarYear) -> CalendarChange:
    return _apply(actor, set(statutory_holidays(year.year)), year.delete)


@transaction.atomic
def calendar_import(*, actor, days: Iterable[tuple[date, str, str]], years: Iterable[int] = (),
                    source: str = "导入", keep_existing: bool = False) -> CalendarChange:  # zh-only: stored
    """Enter many days at once (a year's notice from a file, or what an upgraded chinesecalendar knows) and mark
    `years` entered. An existing entry for the same date is replaced, unless `keep_existing` (the seed keeps
    admin edits). Running it twice changes nothing the second time."""
    rows = {day: (kind, name) for day, kind, name in days}
    bad = [day for day, (kind, _) in rows.items() if kind not in CalendarDay.Kind.values]
    if bad:
        raise DomainError("invalid_kind", gettext("%(day)s 的类型须是 holiday（休）或 workday（班）。") % {"day": bad[0]})
    years = set(years)
    known = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    candidates = set(rows) | {d for y in years - known for d in statutory_holidays(y)}

    def write() -> None:
        existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(date__in=rows)}
        for day, (kind, name) in sorted(rows.items()):
            entry = existing.get(day)
            if entry is None:
                CalendarDay.objects.create(date=day, kind=kind, name=name[:64])
            elif not keep_existing and (entry.kind, entry.name) != (kind, name[:64]):
                entry.kind, entry.name = kind, name[:64]
                entry.save(update_fields=["kind", "name"])
        for year in sorted(years - known):
            CalendarYear.objects.create(year=year, source=source[:64])

    return _apply(actor, candidates, write)
