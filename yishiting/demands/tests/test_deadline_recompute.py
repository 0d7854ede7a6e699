"""A screening deadline counted into a year not yet entered, then that year's notice entered: the deadline keeps
its working days (never earlier), the demand's timeline says why, the community's staff are told once."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from yishiting.common.calendar_changes import calendar_import
from yishiting.common.events import events_of
from yishiting.common.models import CalendarDay, CalendarYear
from yishiting.demands.choices import Status
from yishiting.demands.models import Demand
from yishiting.demands.timeline import timeline_lines
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOTICE_2027 = [(date(2027, 1, d), "holiday", "元旦") for d in (1, 2, 3, 4)] + [(date(2027, 1, 9), "workday", "元旦调休上班")]


@pytest.fixture
def on_new_years_eve(monkeypatch):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 31))


def submitted(submit, **fields) -> Demand:
    demand = submit(**fields)
    Demand.objects.filter(pk=demand.pk).update(
        created_at=timezone.make_aware(datetime(2026, 12, 31, 9, 0)))
    return Demand.objects.get(pk=demand.pk)


def test_an_open_screening_deadline_keeps_its_working_days(submit, world, on_new_years_eve):
    demand = submitted(submit)
    # Two working days from Thursday 12-31: 元旦 (statutory, 2027 not entered) and the weekend skipped.
    assert demand.screening_deadline == date(2027, 1, 5) and "2027 年" in demand.deadline_warning
    screened = submitted(submit, text="小区东门的路灯不亮，晚上回家很不方便")
    Demand.objects.filter(pk=screened.pk).update(status=Status.REJECTED)

    change = calendar_import(actor=world.users["admin"], days=NOTICE_2027, years=[2027])
    demand.refresh_from_db()
    assert demand.screening_deadline == date(2027, 1, 6) and demand.deadline_warning == ""  # 01-04 is off now
    assert Demand.objects.get(pk=screened.pk).screening_deadline == date(2027, 1, 5)
    assert change.recomputed == 1
    assert list(events_of(demand))[-1].kind == "demand.deadline_recomputed"
    assert any("筛选期限由 2027-01-05 顺延至 2027-01-06" in line.what for line in timeline_lines(demand))
    told = Notification.objects.filter(text__contains="1 条待筛选诉求的筛选期限已按工作日顺延")
    assert world.people["community_staff"].pk in set(told.values_list("person", flat=True))

    again = calendar_import(actor=world.users["admin"], days=NOTICE_2027, years=[2027])
    assert again.recomputed == 0 and Demand.objects.get(pk=demand.pk).screening_deadline == date(2027, 1, 6)


def test_a_rest_day_turned_working_never_brings_a_deadline_forward(submit, world, on_new_years_eve):
    demand = submitted(submit)
    calendar_import(actor=world.users["admin"], days=[(date(2027, 1, 2), "workday", "元旦调休上班")])
    assert Demand.objects.get(pk=demand.pk).screening_deadline == date(2027, 1, 5)
    assert "demand.deadline_recomputed" not in [e.kind for e in events_of(demand)]
