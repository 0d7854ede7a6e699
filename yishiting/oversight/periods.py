"""The period an overview covers (month, quarter, year or custom days) and the two it is compared with: the
period just before, of the same length, and the same period a year earlier."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from yishiting.common.errors import DomainError

KINDS = ("month", "quarter", "year", "custom")
MAX_DAYS = 3 * 366  # a custom period spans at most three years


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)s年%(month)s月") % {"year": self.start.year, "month": self.start.month}
        if self.kind == "quarter":
            return _("%(year)s年第%(q)s季度") % {"year": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("%(year)s年") % {"year": self.start.year}
        return _("%(start)s 至 %(end)s") % {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @property
    def key(self) -> str:
        """What the period selector sends back: `2026-11`, `2026-Q4`, `2026`, or `2026-11-01..2026-11-20`."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> Period:
        """The period just before: the previous month, quarter or year; for custom days the same number of days."""
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
            return _calendar(self.kind, _add_months(self.start, -months), months)
        days = (self.end - self.start).days + 1
        return Period("custom", self.start - timedelta(days=days), self.start - timedelta(days=1))

    def last_year(self) -> Period:
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def months(self) -> list[date]:
        """The first day of every month the period touches (for the monthly trend)."""
        first, out = self.start.replace(day=1), []
        while first <= self.end:
            out.append(first)
            first = _add_months(first, 1)
        return out


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _calendar(kind: str, first: date, months: int) -> Period:
    last = _add_months(first, months - 1)
    return Period(kind, first, last.replace(day=monthrange(last.year, last.month)[1]))


def month_period(first: date) -> Period:
    return _calendar("month", first.replace(day=1), 1)


def current(kind: str, today: date) -> Period:
    """The period of `kind` that contains `today` (custom: the last 30 days)."""
    if kind == "quarter":
        return _calendar("quarter", date(today.year, (today.month - 1) // 3 * 3 + 1, 1), 3)
    if kind == "year":
        return _calendar("year", date(today.year, 1, 1), 12)
    if kind == "custom":
        return Period("custom", today - timedelta(days=29), today)
    return month_period(today)


# In its first days a month's figures mislead (most demands still await screening; 响应率 reads 0 %, the charts
# are empty): the overview then opens on the last complete month and says so.
YOUNG_MONTH_DAYS = 10


def is_young(today: date) -> bool:
    return today.day <= YOUNG_MONTH_DAYS


def opening(today: date) -> Period:
    """The period the overview opens on when none is asked for: this month, or the last complete month while
    this one is young (its first YOUNG_MONTH_DAYS days)."""
    month = current("month", today)
    return month.previous() if is_young(today) else month


def _bad() -> DomainError:
    return DomainError("invalid_period", _("统计期间格式不正确，例如 2026-11、2026-Q4、2026 或 2026-11-01..2026-11-20。"),
                       details={"field": "period"})


def parse(key: str, today: date) -> Period:
    """A period from its key (see `Period.key`); an empty key is this month. Bad input raises a DomainError."""
    key = (key or "").strip()[:30]
    period = _parse(key) if key else month_period(today)
    if not (period.start.year >= 2000 and period.end.year <= 2100):
        raise _bad()
    return period


def _parse(key: str) -> Period:
    try:
        if ".." in key:
            start, end = (date.fromisoformat(part.strip()) for part in key.split("..", 1))
            if end < start or (end - start).days > MAX_DAYS:
                raise _bad()
            return Period("custom", start, end)
        if "-Q" in key.upper():
            year, quarter = key.upper().split("-Q")
            if not 1 <= int(quarter) <= 4:
                raise _bad()
            return _calendar("quarter", date(int(year), (int(quarter) - 1) * 3 + 1, 1), 3)
        if len(key) == 4:
            return _calendar("year", date(int(key), 1, 1), 12)
        year, month = key.split("-")
        return month_period(date(int(year), int(month), 1))
    except (ValueError, OverflowError):
        raise _bad() from None
