"""The statutory holidays (法定节假日) of any year, from the 全国年节及纪念日放假办法 — without the State Council's
yearly notice.

The rest days themselves are fixed by the 放假办法; only the adjusted workdays (调休) and the bridging days around
them wait for the yearly notice. For a year the holiday table does not cover yet, the calendar counts these days
(and weekends) as rest, never guesses a 调休 workday, and keeps its "not yet entered" warning.

The 2024 revision (in force from 2025): 元旦 1 day; 春节 4 days, 除夕 to 正月初三; 清明 1 day, on the Qingming solar
term; 劳动节 2 days, May 1–2; 端午 1 day (五月初五); 中秋 1 day (八月十五); 国庆 3 days, October 1–3. Earlier
revisions differ only in 春节 (2008–2013: 除夕 to 初二; 2014–2024: 初一 to 初三) and 劳动节 (one day, 2008–2024):
they are kept so the rules can be checked against every year the table holds (tests/test_statutory.py).

Lunar dates come from `lunardate` (pure Python, 1900–2099); the Qingming term from the 寿星 formula, exact for
2001–2099 (checked against every seeded year).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunardate import LunarDate

FIRST_YEAR, LAST_YEAR = 2008, 2099  # 清明、端午、中秋 are holidays from 2008; lunardate stops at 2099


def qingming(year: int) -> date:
    """The day of the Qingming solar term, April 4 or 5 this century: int(Y·0.2422 + 4.81) − int(Y/4), Y the
    year's last two digits (the 寿星 formula; April comes after the leap day, so the year's own counts)."""
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def _lunar(year: int, month: int, day: int) -> date:
    return LunarDate(year, month, day).to_solar_date()


def _spring_festival(year: int) -> list[tuple[date, str]]:
    first = _lunar(year, 1, 1)
    eve = first - timedelta(days=1)  # 除夕: the last day of the twelfth month, whether it has 29 or 30 days
    if year >= 2025:
        days = [eve, first, first + timedelta(days=1), first + timedelta(days=2)]
    elif year >= 2014:
        days = [first, first + timedelta(days=1), first + timedelta(days=2)]
    else:
        days = [eve, first, first + timedelta(days=1)]
    return [(day, "春节") for day in days]  # zh-only: the days' names, never shown (the calendar table's names are data)


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[date, str]:
    """{date: name} of the year's statutory rest days; empty outside FIRST_YEAR..LAST_YEAR (never raises)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return {}
    days: list[tuple[date, str]] = [(date(year, 1, 1), "元旦")]  # zh-only: the days' names, never shown (the calendar table's names are data)
    days += _spring_festival(year)
    days.append((qingming(year), "清明节"))  # zh-only: the days' names, never shown (the calendar table's names are data)
    days += [(date(year, 5, 1), "劳动节")] + ([(date(year, 5, 2), "劳动节")] if year >= 2025 else [])  # zh-only: the days' names, never shown (the calendar table's names are data)
    days.append((_lunar(year, 5, 5), "端午节"))  # zh-only: the days' names, never shown (the calendar table's names are data)
    days.append((_lunar(year, 8, 15), "中秋节"))  # zh-only: the days' names, never shown (the calendar table's names are data)
    days += [(date(year, 10, d), "国庆节") for d in (1, 2, 3)]  # zh-only: the days' names, never shown (the calendar table's names are data)
    # 除夕 falls in the previous Gregorian year only in theory (春节 is never before Jan 21): keep this year's days.
    return {day: name for day, name in days if day.year == year}
