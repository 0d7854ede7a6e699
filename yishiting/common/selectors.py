"""Reads of shared records for status pages: calendar coverage and the size of the event log."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from .models import AuditEntry, CalendarYear, Event, EventHead


@dataclass(frozen=True)
class SystemStatus:
    calendar_years: list[int] = field(default_factory=list)
    next_year: int = 0
    events: int = 0
    event_chains: int = 0
    audit_entries: int = 0

    @property
    def calendar_ranges(self) -> list[str]:
        """[2004, 2005, 2006, 2010] → ["2004–2006", "2010"]: compact enough for a status line."""
        ranges: list[list[int]] = []
        for year in self.calendar_years:
            if ranges and ranges[-1][1] == year - 1:
                ranges[-1][1] = year
            else:
                ranges.append([year, year])
        return [str(a) if a == b else f"{a}–{b}" for a, b in ranges]

    @property
    def next_year_missing(self) -> bool:
        """Deadlines count working days into next year; without its holidays they are weekends-only."""
        return self.next_year not in self.calendar_years


def system_status() -> SystemStatus:
    return SystemStatus(
        calendar_years=list(CalendarYear.objects.order_by("year").values_list("year", flat=True)),
        next_year=timezone.localdate().year + 1,
        events=Event.objects.count(),
        event_chains=EventHead.objects.count(),
        audit_entries=AuditEntry.objects.count(),
    )
