"""Deadlines typed as dates keep their working days when holidays change (issue 16): the screening form's default
(five working days, saved as a date), a supervisor's approved extension — each pushed later by the working days a
later-entered holiday took out of its window, never earlier, once; a closed task and a window no change touches
stay as they are."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.apps import apps
from django.test import Client

from yishiting.common.calendar_changes import calendar_day_save, calendar_import
from yishiting.common.models import CalendarDay
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.models import Task
from yishiting.notifications.models import Notification

from .tasks_world import assign
from .test_deadline_recompute import import_2027, kinds, no_2027  # noqa: F401 (autouse: 2027 not entered)
from .test_notices import set_today

pytestmark = pytest.mark.django_db

# 2027 as the State Council might publish it: January 1–4 off, Saturday January 9 worked.
NEW_YEAR_2027 = [*[(date(2027, 1, d), "holiday", "元旦") for d in (1, 2, 3, 4)], (date(2027, 1, 9), "workday", "调休")]


def client(world, persona: str) -> Client:
    logged_in = Client()
    logged_in.force_login(world.users[persona])
    return logged_in


def told(task: Task, fragment: str) -> set[int]:
    return set(Notification.objects.filter(text__contains=fragment, link=f"/tasks/{task.pk}/")
               .values_list("person", flat=True))


def test_a_deadline_filled_in_by_the_screening_form_keeps_its_five_working_days(world, monkeypatch, tmp_path):
    set_today(monkeypatch, date(2026, 12, 28))
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="我家门口的路灯坏了，晚上出门看不见", area=world.areas["B1"]))
    staff = client(world, "community_staff")
    page = staff.get(f"/demands/{demand.pk}/screen/").content.decode()
    # Five working days from Monday 12-28: 29, 30, 31, then 元旦 (statutory, 2027 not entered) and the weekend.
    assert re.search(r'name="deadline"[^>]*value="2027-01-05"', page)
    response = staff.post(f"/demands/{demand.pk}/screen/", {
        "expected_status": demand.status, "outcome": "handling", "nature": "individual", "reason": "个人诉求",
        "handler_role": world.people["handler"].pk, "deadline": "2027-01-05"})  # the picker sends the person
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.deadline, task.deadline_days) == (date(2027, 1, 5), None)  # saved as a date

    out = import_2027(tmp_path)  # 01-04 off too (01-09 worked lies after the deadline)
    task.refresh_from_db()
    assert task.deadline == date(2027, 1, 6) and "已顺延 1 项" in out
    assert kinds(task)[-1] == "task.deadline_recomputed"
    assert told(task, "由 2027年1月5日 顺延至 2027年1月6日") == {world.people["handler"].pk,
                                                            world.people["community_staff"].pk}
    html = client(world, "handler").get(f"/tasks/{task.pk}/").content.decode()
    assert "节假日安排有变，期限由 2027-01-05 顺延至 2027-01-06" in html

    assert "工作日没有变化" in import_2027(tmp_path)  # the same import again moves nothing more
    assert kinds(task).count("task.deadline_recomputed") == 1


def test_an_approved_extension_keeps_its_working_days_and_its_original_deadline(world, monkeypatch):
    set_today(monkeypatch, date(2026, 12, 21))
    task = assign(world, deadline=date(2026, 12, 25))
    client(world, "handler").post(f"/tasks/{task.pk}/extension/", {"new_deadline": "2027-01-05", "reason": "灯具缺货"})
    client(world, "community_staff").post(f"/tasks/{task.pk}/decide/", {"approve": "yes"})
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (date(2027, 1, 5), date(2026, 12, 25))
    # Approved on Monday 12-21: 22–25, 28–31, 01-04, 01-05 — ten working days.
    assert (task.window_start, task.window_days) == (date(2026, 12, 21), 10)

    change = calendar_import(actor=world.users["admin"], years=[2027], days=NEW_YEAR_2027)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (date(2027, 1, 6), date(2026, 12, 25))
    assert change.recomputed == 1
    assert kinds(task)[-1] == "task.deadline_recomputed"
    assert told(task, "（2026年12月21日 起 10 个工作日）由 2027年1月5日 顺延至 2027年1月6日") == {
        world.people["handler"].pk, world.people["community_staff"].pk}


def test_a_later_adjusted_saturday_never_brings_a_dated_deadline_forward(world, monkeypatch):
    set_today(monkeypatch, date(2026, 12, 28))
    task = assign(world, deadline=date(2027, 1, 5))
    calendar_day_save(actor=world.users["admin"],
                      day=CalendarDay(date=date(2027, 1, 2), kind="workday", name="元旦调休上班"))
    # On the new calendar the five working days end on Monday 01-04, but the handler was given 01-05.
    assert Task.objects.get(pk=task.pk).deadline == date(2027, 1, 5)
    assert "task.deadline_recomputed" not in kinds(task)


def test_deadlines_that_must_not_move(world, monkeypatch):
    set_today(monkeypatch, date(2026, 12, 28))
    closed = assign(world, deadline=date(2027, 1, 5), title="已销号的任务")
    Task.objects.filter(pk=closed.pk).update(status="closed")
    untouched = assign(world, deadline=date(2026, 12, 31), title="年内办结的任务")  # its window holds no change
    # To Saturday 01-09: 01-04 lost, Saturday 01-09 worked — still eight working days, the date holds.
    balanced = assign(world, deadline=date(2027, 1, 9), title="跨元旦的任务")
    later = assign(world, deadline=date(2027, 2, 1), title="二月办结的任务")  # loses 01-04, gains 01-09 too

    change = calendar_import(actor=world.users["admin"], years=[2027], days=NEW_YEAR_2027)
    assert change.recomputed == 0
    for task, due in [(closed, date(2027, 1, 5)), (untouched, date(2026, 12, 31)), (balanced, date(2027, 1, 9)),
                      (later, date(2027, 2, 1))]:
        assert Task.objects.get(pk=task.pk).deadline == due
        assert "task.deadline_recomputed" not in kinds(task)
    assert not Notification.objects.filter(text__contains="顺延").exists()


def test_open_tasks_set_before_the_upgrade_get_their_working_days_counted(world, monkeypatch):
    """The migration's backfill: an open dated task counts from its assignment day on today's calendar; a task
    given N working days keeps N; a closed task is left without a count."""
    from importlib import import_module

    backfill = import_module("yishiting.handling.migrations.0006_task_window").backfill
    set_today(monkeypatch, date(2026, 12, 28))
    dated = assign(world, deadline=date(2027, 1, 5))
    counted = assign(world, days=7)
    closed = assign(world, deadline=date(2027, 1, 5))
    Task.objects.filter(pk=closed.pk).update(status="closed")
    Task.objects.update(window_start=None, window_days=None)
    backfill(apps, None)
    rows = dict(Task.objects.values_list("pk", "window_days"))
    assert (rows[dated.pk], rows[counted.pk], rows[closed.pk]) == (5, 7, None)
    assert Task.objects.get(pk=dated.pk).window_start == date(2026, 12, 28)
