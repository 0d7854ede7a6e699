"""Periods an index is computed for: calendar months, quarters and years (both ends included)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from yishiting.common.errors import DomainError

from ..models import PeriodKind

MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def bounds(period: str, day: date) -> tuple[date, date]:
    """The period of kind `period` that contains `day`."""
    if period not in MONTHS:
        raise DomainError("invalid_period", _("周期只能是月度、季度或年度。"), details={"field": "period"})
    first_month = {PeriodKind.MONTH: day.month, PeriodKind.QUARTER: (day.month - 1) // 3 * 3 + 1,
                   PeriodKind.YEAR: 1}[period]
    start = date(day.year, first_month, 1)
    month = first_month + MONTHS[period]
    after = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return start, after - timedelta(days=1)


def previous(period: str, day: date) -> tuple[date, date]:
    """The last whole period before the one containing `day`."""
    start, _end = bounds(period, day)
    return bounds(period, start - timedelta(days=1))


def label(period: str, start: date) -> str:
    if period == PeriodKind.MONTH:
        return _("%(year)s年%(month)s月") % {"year": start.year, "month": start.month}
    if period == PeriodKind.QUARTER:
        return _("%(year)s年第%(quarter)s季度") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return _("%(year)s年") % {"year": start.year}
