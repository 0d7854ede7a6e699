"""The demo's clock: the history is written through the real services, each step at its own moment in the past.

Every service reads the time through `django.utils.timezone.now()` (events, deadlines, "today"), so while a
`Clock` is running that function returns the clock's time instead. Nothing else is patched; the clock never
runs ahead of the real time, so nothing in the history lies in the future.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from yishiting.common.calendar import is_working_day


class Clock:
    def __init__(self, today: date) -> None:
        self.today = today
        self.real = timezone.now  # the function itself, captured before it is patched
        self.moment = self.real()
        # The last moment of the history: now, or the end of `today` when the history is built for a past day.
        self.end = min(self.moment - timedelta(minutes=1), self.at(today, 23, 59))
        self._working: list[date] = []

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        """Move to `moment` (never past the real time, never backwards)."""
        moment = min(moment, self.end)
        self.moment = max(self.moment, moment)

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def working_day(self, back: int) -> date:
        """The working day `back` working days before today (0: today, or the last working day before it)."""
        if not self._working:
            day = self.today
            while len(self._working) < 400:
                if is_working_day(day):
                    self._working.append(day)
                day -= timedelta(days=1)
        return self._working[back]

    def days_ago(self, back: int, hour: int = 9, minute: int = 0) -> datetime:
        return self.at(self.working_day(back), hour, minute)

    @contextmanager
    def running(self, start: datetime) -> Iterator[Clock]:
        self.moment = start
        with mock.patch("django.utils.timezone.now", self.now):
            yield self
