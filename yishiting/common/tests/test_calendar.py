"""The working-day calendar on real dates, and the weekends-only fallback for a year without data."""

from datetime import date

import pytest

from yishiting.common.calendar import add_working_days, is_working_day, working_days_between
from yishiting.common.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_national_day_2025_with_adjusted_workdays():
    # 2025-10-01..08 off; Sunday 09-28 and Saturday 10-11 are adjusted workdays.
    result = add_working_days(date(2025, 9, 26), 15)
    assert result.date == date(2025, 10, 23)
    assert result.warnings == []


def test_national_day_2026_saturday_workday_counts():
    result = add_working_days(date(2026, 9, 30), 5)
    assert result.date == date(2026, 10, 13)
    assert is_working_day(date(2026, 10, 10))  # a Saturday, 调休上班
    assert not is_working_day(date(2026, 10, 5))


def test_counting_is_the_inverse_of_adding():
    for start, days in [(date(2025, 9, 26), 15), (date(2026, 2, 10), 10), (date(2026, 4, 30), 3)]:
        end = add_working_days(start, days).date
        assert working_days_between(start, end).days == days
    assert working_days_between(date(2025, 10, 23), date(2025, 9, 26)).days == -15
    assert add_working_days(date(2026, 3, 2), 0).date == date(2026, 3, 2)


def test_year_without_data_counts_weekends_and_statutory_holidays_with_a_warning():
    assert not CalendarYear.objects.filter(year=2027).exists()
    # 2026-12-28 is a Monday: 12-29, 30, 31, (元旦 and the weekend off), 01-04, 01-05.
    result = add_working_days(date(2026, 12, 28), 5)
    assert result.date == date(2027, 1, 5)
    assert len(result.warnings) == 1 and "2027 年" in result.warnings[0] and "法定节假日" in result.warnings[0]
    assert working_days_between(date(2027, 3, 1), date(2027, 3, 8)).warnings


def test_admin_entered_holidays_are_used_and_the_warning_goes_away():
    CalendarYear.objects.create(year=2027, source="手工录入")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    result = add_working_days(date(2026, 12, 28), 5)
    assert result.date == date(2027, 1, 5)  # 12-29,30,31, (01-01 off), 01-04, 01-05
    assert result.warnings == []


def test_a_holiday_edited_after_a_deadline_was_counted_applies_at_once():
    """The calendar is cached per process; an edit through the ORM (the admin) empties the cache."""
    assert add_working_days(date(2026, 12, 28), 5).warnings  # caches 2026 and 2027 (no data yet)
    CalendarYear.objects.create(year=2027, source="手工录入")
    day = CalendarDay.objects.create(date=date(2027, 1, 4), kind=CalendarDay.Kind.HOLIDAY, name="补休")
    assert add_working_days(date(2026, 12, 28), 5).date == date(2027, 1, 5)
    day.delete()
    assert add_working_days(date(2026, 12, 28), 5).date == date(2027, 1, 4)


def test_the_cache_expires_for_edits_made_by_another_process(monkeypatch):
    """Another server process's edit reaches no signal here: it shows once the entry is a minute old."""
    from yishiting.common import calendar, localcache

    clock = [1000.0]
    monkeypatch.setattr(localcache.time, "monotonic", lambda: clock[0])
    assert add_working_days(date(2027, 3, 1), 1).date == date(2027, 3, 2)
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2027, 3, 2), kind="holiday", name="另一进程录入")])
    assert add_working_days(date(2027, 3, 1), 1).date == date(2027, 3, 2)  # still the cached year
    clock[0] += calendar._years.ttl + 1
    assert add_working_days(date(2027, 3, 1), 1).date == date(2027, 3, 3)


def test_seeded_years_cover_2004_to_2026():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2004, 2025, 2026} <= years
