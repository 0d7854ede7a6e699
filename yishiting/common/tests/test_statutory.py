"""Statutory holidays computed from the 放假办法 for years not entered: checked against every year chinesecalendar
knows, then used by the calendar (春节 of a future year, 清明 on its solar term, no 调休 guessed)."""

from datetime import date

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays

from yishiting.common.calendar import add_working_days, is_working_day, working_days_between
from yishiting.common.models import CalendarDay, CalendarYear
from yishiting.common.statutory import qingming, statutory_holidays


@pytest.mark.parametrize("year", range(2020, 2027))
def test_each_statutory_day_2020_to_2026_is_among_chinesecalendars_holidays(year):
    days = statutory_holidays(year)
    # 2025 on: 4 days of 春节 (除夕 included) and 2 of 劳动节 — 13; before: 3 and 1 — 11 (2020: 中秋 fell on 10-01).
    assert len(days) == (13 if year >= 2025 else 10 if year == 2020 else 11)
    assert [day for day in days if day not in holidays] == []


@pytest.mark.parametrize("year", range(2008, 2020))
def test_each_statutory_day_2008_to_2019_was_a_rest_day(year):
    # chinesecalendar leaves a holiday falling on a weekend out of its table now and then (端午 2012-06-23).
    assert [day for day in statutory_holidays(year) if not chinese_calendar.is_holiday(day)] == []


def test_the_2024_revision_by_name_for_2027():
    days = statutory_holidays(2027)
    by_name: dict[str, list[date]] = {}
    for day, name in days.items():
        by_name.setdefault(name, []).append(day)
    assert by_name["春节"] == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]  # 除夕–初三
    assert by_name["清明节"] == [date(2027, 4, 5)]
    assert by_name["劳动节"] == [date(2027, 5, 1), date(2027, 5, 2)]
    assert by_name["端午节"] == [date(2027, 6, 9)] and by_name["中秋节"] == [date(2027, 9, 15)]
    assert by_name["国庆节"] == [date(2027, 10, d) for d in (1, 2, 3)] and by_name["元旦"] == [date(2027, 1, 1)]


def test_qingming_is_the_solar_term():
    assert [qingming(y).day for y in (2012, 2016, 2020, 2027, 2028, 2029, 2030)] == [4, 4, 4, 5, 4, 4, 5]
    assert statutory_holidays(2100) == {} and statutory_holidays(2007) == {}


@pytest.mark.django_db
def test_spring_festival_of_a_future_year_is_not_counted():
    assert not CalendarYear.objects.filter(year=2030).exists()
    # 2030: 除夕 Saturday 02-02, 初一 Sunday 02-03, 初二 and 初三 Monday and Tuesday 02-04, 02-05 off.
    assert not is_working_day(date(2030, 2, 4)) and not is_working_day(date(2030, 2, 5))
    result = add_working_days(date(2030, 2, 1), 3)  # Friday → 02-06, 07, 08
    assert result.date == date(2030, 2, 8) and "2030 年的节假日安排尚未录入" in result.warnings[0]
    assert not is_working_day(date(2030, 2, 9))  # no 调休 Saturday is guessed
    assert working_days_between(date(2030, 2, 1), date(2030, 2, 8)).days == 3


@pytest.mark.django_db
def test_an_entered_year_counts_only_its_table():
    CalendarYear.objects.create(year=2030, source="手工录入")
    CalendarDay.objects.create(date=date(2030, 2, 9), kind=CalendarDay.Kind.WORKDAY, name="春节调休上班")
    assert is_working_day(date(2030, 2, 4))  # the notice entered left it out: the table is the word
    assert is_working_day(date(2030, 2, 9))
    assert add_working_days(date(2030, 2, 1), 3).warnings == []
