"""Warnings and `yishiting tick`: yellow at the template's share of working days, red when overdue, escalation
after N working days overdue; no duplicate on a re-run, nothing lost or doubled when a run dies half-way."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yishiting.common.events import events_of
from yishiting.deliberation.models import ProcessTemplate
from yishiting.handling import warnings as tick
from yishiting.handling.choices import WarningLevel
from yishiting.handling.models import Warning
from yishiting.handling.services.tasks import extension_decide, extension_request
from yishiting.notifications.models import Notification

from .tasks_world import assign, backdate

# 2026-11-02 (Mon) → 2026-11-13 (Fri): 9 working days after the assignment day; 80% is reached on the 8th.
CREATED, DEADLINE = date(2026, 11, 2), date(2026, 11, 13)


@pytest.fixture(autouse=True)
def rules(db):
    ProcessTemplate.objects.update(yellow_percent=80, escalate_after_days=3)


def levels(task) -> list[str]:
    return sorted(Warning.objects.filter(task=task).values_list("level", flat=True))


@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 11), []),                                     # 7 of 9 working days: 78 %
    (date(2026, 11, 12), [WarningLevel.YELLOW]),                  # 8 of 9: 89 %
    (date(2026, 11, 13), [WarningLevel.YELLOW]),                  # the deadline day itself: not late yet
    (date(2026, 11, 14), [WarningLevel.RED]),                     # the Saturday after: late, not escalated
    (date(2026, 11, 16), [WarningLevel.RED]),                     # overdue
    (date(2026, 11, 17), [WarningLevel.RED]),                     # 2 working days late
    (date(2026, 11, 18), [WarningLevel.ESCALATED, WarningLevel.RED]),  # 3 working days late
])
def test_levels_follow_the_working_day_calendar(world, today, expected):
    task = backdate(assign(world), CREATED, DEADLINE)
    tick.warnings_tick(today=today)
    assert levels(task) == sorted(expected)


def test_who_is_told_at_each_level(world):
    task = backdate(assign(world), CREATED, DEADLINE)
    tick.warnings_tick(today=date(2026, 11, 12))
    assert Notification.objects.filter(text__contains="黄色预警").get().person == world.people["handler"]
    tick.warnings_tick(today=date(2026, 11, 16))
    red = set(Notification.objects.filter(text__contains="红色预警").values_list("person", flat=True))
    assert red == {world.people["handler"].pk, world.people["community_staff"].pk}  # handler and assigner
    tick.warnings_tick(today=date(2026, 11, 18))
    up = set(Notification.objects.filter(text__contains="提级督办").values_list("person", flat=True))
    assert up == {world.people["street_official"].pk}  # the street above the community
    assert levels(task) == [WarningLevel.ESCALATED, WarningLevel.RED, WarningLevel.YELLOW]


def test_running_twice_adds_nothing(world):
    backdate(assign(world), CREATED, DEADLINE)
    first = tick.warnings_tick(today=date(2026, 11, 18))
    before = (Warning.objects.count(), Notification.objects.count())
    second = tick.warnings_tick(today=date(2026, 11, 18))
    assert (first.red, first.escalated, second.red, second.escalated, second.notifications) == (1, 1, 0, 0, 0)
    assert (Warning.objects.count(), Notification.objects.count()) == before


def test_a_run_killed_half_way_and_rerun_loses_and_doubles_nothing(world, monkeypatch):
    tasks = [backdate(assign(world, title=f"任务{i}"), CREATED, DEADLINE) for i in range(5)]
    real_notify, calls = tick.notify_many, []

    def dying_notify(**kwargs):
        calls.append(kwargs["subject"].pk)
        if len({*calls}) == 3:
            raise RuntimeError("killed")
        return real_notify(**kwargs)

    monkeypatch.setattr(tick, "notify_many", dying_notify)
    with pytest.raises(RuntimeError):
        tick.warnings_tick(today=date(2026, 11, 16))
    warned = set(Warning.objects.values_list("task_id", flat=True))
    assert warned == {tasks[0].pk, tasks[1].pk}  # the third task's warning rolled back with its notification
    monkeypatch.setattr(tick, "notify_many", real_notify)
    tick.warnings_tick(today=date(2026, 11, 16))
    for task in tasks:
        assert levels(task) == [WarningLevel.RED]
        assert Notification.objects.filter(subject_id=str(task.pk), text__contains="红色预警").count() == 2
        assert events_of(task).filter(kind="task.warning").count() == 1  # the log agrees with the rows


def test_an_approved_extension_warns_again_against_the_new_deadline(world):
    task = backdate(assign(world), CREATED, DEADLINE)
    tick.warnings_tick(today=date(2026, 11, 16))
    ext = extension_request(actor=world.users["handler"], task=task, new_deadline=date(2026, 11, 30), reason="缺货")
    extension_decide(actor=world.users["community_staff"], extension=ext, approve=True)
    counts = tick.warnings_tick(today=date(2026, 11, 17))
    assert counts.red == 0  # no longer overdue
    assert list(Warning.objects.filter(task=task).values_list("deadline", flat=True)) == [DEADLINE]


def test_closed_tasks_are_not_warned(world):
    from yishiting.handling.models import Task

    task = backdate(assign(world), CREATED, DEADLINE)
    Task.objects.filter(pk=task.pk).update(status="closed")
    assert tick.warnings_tick(today=date(2026, 11, 18)).tasks == 0
    assert not Warning.objects.exists()


def test_an_uncovered_year_warns_but_never_fails(world):
    from yishiting.common.models import CalendarDay, CalendarYear

    CalendarYear.objects.filter(year=2027).delete()
    CalendarDay.objects.filter(date__year=2027).delete()
    backdate(assign(world), date(2026, 12, 1), date(2027, 1, 15))
    counts = tick.warnings_tick(today=date(2027, 1, 12))
    assert counts.yellow == 1 and any("2027" in w for w in counts.calendar_warnings)


def test_the_tick_command_prints_counts_and_is_idempotent(world):
    backdate(assign(world), CREATED, DEADLINE)
    out = StringIO()
    call_command("tick", "--today", "2026-11-18", stdout=out)
    assert "红色预警 1" in out.getvalue() and "提级督办 1" in out.getvalue()
    out = StringIO()
    call_command("tick", "--today", "2026-11-18", stdout=out)
    assert "红色预警 0" in out.getvalue() and "发出通知 0 条" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("tick", "--today", "18/11/2026")


def test_yellow_share_comes_from_the_topic_template(world):
    from .tasks_world import handling_topic

    topic, resolution = handling_topic(world)
    topic.template.yellow_percent = 50
    topic.template.save(update_fields=["yellow_percent"])
    task = backdate(assign(world, topic, resolution), CREATED, DEADLINE)
    tick.warnings_tick(today=CREATED + timedelta(days=7))  # 5 of 9 working days: 56 %
    assert levels(task) == [WarningLevel.YELLOW]
