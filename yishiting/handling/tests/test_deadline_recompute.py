"""Holidays entered after a window opened: the notice opened 2026-12-28 for 5 working days before 2027 was
entered (issue 16), a 调休 Saturday entered later, a task given N working days — kept whole, never shortened,
each move an event and a notice to the staff; `tick` does not complete a notice early."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from yishiting.common.events import events_of
from yishiting.common.models import CalendarDay, CalendarYear
from yishiting.handling.choices import NoticeStatus
from yishiting.handling.models import Notice, Task
from yishiting.handling.services.deadlines import notice_window_recompute
from yishiting.handling.services.notices import notices_tick
from yishiting.notifications.models import Notification

from .tasks_world import assign, backdate
from .test_notices import published, set_today

pytestmark = pytest.mark.django_db

# A hypothetical State Council notice for 2027's 元旦: January 1–4 off, Saturday January 9 worked (调休).
NOTICE_2027 = """日期,类型,名称
2027-01-01,休,元旦
2027-01-02,休,元旦
2027-01-03,休,元旦
2027-01-04,休,元旦
2027-01-09,班,元旦调休上班
"""


@pytest.fixture(autouse=True)
def no_2027(db):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()


def import_2027(tmp_path) -> str:
    path = tmp_path / "2027.csv"
    path.write_text(NOTICE_2027, encoding="utf-8")
    out = StringIO()
    call_command("calendar_import", "--file", str(path), "--year", "2027", stdout=out)
    return out.getvalue()


def kinds(obj) -> list[str]:
    return [event.kind for event in events_of(obj)]


def admin_client(world) -> Client:
    user = world.users["admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_the_issue_notice_runs_its_five_working_days_after_2027_is_entered(world, monkeypatch, tmp_path):
    notice = published(world, monkeypatch, start=date(2026, 12, 28))
    assert notice.ends_on == date(2027, 1, 4)  # 元旦 is excluded before 2027 is entered
    assert "2027 年的节假日安排尚未录入" in notice.calendar_warnings[0]

    out = import_2027(tmp_path)
    notice.refresh_from_db()
    # 12-28, 29, 30, 31, then January 1–4 off: the fifth working day is Tuesday 01-05.
    assert notice.ends_on == date(2027, 1, 5) and notice.calendar_warnings == []
    assert "已顺延 1 项" in out
    moved = list(events_of(notice))[-1]
    assert (moved.kind, moved.payload["from"], moved.payload["to"]) == ("notice.window_recomputed", "2027-01-04",
                                                                       "2027-01-05")
    told = Notification.objects.filter(text__contains="顺延至 2027年1月5日")
    assert world.people["community_secretary"].pk in set(told.values_list("person", flat=True))

    assert notices_tick(today=date(2027, 1, 5)) == 0  # the old end has passed, the new one has not
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    assert notices_tick(today=date(2027, 1, 6)) == 1

    again = import_2027(tmp_path)  # the same import twice: nothing more moves, no second event
    assert "工作日没有变化" in again
    assert kinds(notice).count("notice.window_recomputed") == 1


def test_a_later_adjusted_saturday_never_shortens_a_published_window(world, monkeypatch):
    notice = published(world, monkeypatch, start=date(2026, 12, 28))
    response = admin_client(world).post("/admin/common/calendarday/add/",
                                        {"date": "2027-01-02", "kind": "workday", "name": "元旦调休上班"}, follow=True)
    assert response.status_code == 200 and "1 天的工作日安排有变化" in response.content.decode()
    notice.refresh_from_db()
    # On the new calendar day five is Saturday 01-02, but residents were told 01-04: it stays 01-04.
    assert notice.ends_on == date(2027, 1, 4)
    assert "notice.window_recomputed" not in kinds(notice)
    assert notices_tick(today=date(2027, 1, 4)) == 0


def test_an_admin_edit_that_adds_a_rest_day_moves_the_window_and_tells_the_staff(world, monkeypatch):
    notice = published(world, monkeypatch, start=date(2026, 12, 28))
    client = admin_client(world)
    response = client.post("/admin/common/calendarday/add/",
                           {"date": "2027-01-04", "kind": "holiday", "name": "元旦补休"}, follow=True)
    assert "已顺延 1 项" in response.content.decode()
    notice.refresh_from_db()
    # 12-28..31, 元旦 (statutory: 2027 not entered yet), the weekend, 01-04 now off too: day five is 01-05.
    assert notice.ends_on == date(2027, 1, 5)
    assert Notification.objects.filter(person=world.people["community_secretary"], text__contains="顺延").exists()
    # 2027 marked entered without 01-01: only the table counts now and 01-01 is worked — shortens nothing.
    response = client.post("/admin/common/calendaryear/add/", {"year": 2027, "source": "admin", "note": ""},
                           follow=True)
    assert "已顺延 0 项" in response.content.decode()
    day = CalendarDay.objects.get(date=date(2027, 1, 4))
    client.post(f"/admin/common/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert not CalendarDay.objects.filter(date=date(2027, 1, 4)).exists()
    assert Notice.objects.get(pk=notice.pk).ends_on == date(2027, 1, 5)  # a removed rest day shortens nothing
    assert kinds(notice).count("notice.window_recomputed") == 1


def test_a_task_given_working_days_or_a_date_is_extended_and_a_closed_one_is_not(world, monkeypatch, tmp_path):
    set_today(monkeypatch, date(2026, 12, 28))
    counted = assign(world, days=5)
    assert counted.deadline == date(2027, 1, 5)  # 29, 30, 31, (元旦 and the weekend), 01-04, 01-05
    backdate(counted, date(2026, 12, 28), counted.deadline)
    dated = assign(world, deadline=date(2027, 1, 5), title="清理楼道杂物")  # typed as a date: also 5 working days
    closed = backdate(assign(world, days=5, title="已销号的任务"), date(2026, 12, 28), date(2027, 1, 5))
    Task.objects.filter(pk=closed.pk).update(status="closed")

    import_2027(tmp_path)
    assert Task.objects.get(pk=counted.pk).deadline == date(2027, 1, 6)
    assert Task.objects.get(pk=dated.pk).deadline == date(2027, 1, 6)
    assert Task.objects.get(pk=closed.pk).deadline == date(2027, 1, 5)
    assert kinds(counted)[-1] == "task.deadline_recomputed"
    told = Notification.objects.filter(text__contains="“更换3栋楼道声控灯”的期限（2026年12月28日 起 5 个工作日）"
                                                      "由 2027年1月5日 顺延至 2027年1月6日").values_list("person", flat=True)
    assert set(told) == {world.people["handler"].pk, world.people["community_staff"].pk}
    assert Task.objects.get(pk=counted.pk).original_deadline is None  # not a supervisor's extension


def test_recomputing_a_notice_twice_changes_nothing(world, monkeypatch):
    notice = published(world, monkeypatch, start=date(2026, 12, 28))
    CalendarDay.objects.create(date=date(2027, 1, 4), kind="holiday", name="元旦补休")  # behind the services' back
    first = notice_window_recompute(actor=None, notice=notice)
    second = notice_window_recompute(actor=None, notice=first)
    assert first.ends_on == second.ends_on == date(2027, 1, 5)
    assert kinds(notice).count("notice.window_recomputed") == 1


def test_a_notice_over_a_future_spring_festival_follows_the_entered_notice(world, monkeypatch):
    from yishiting.common.calendar_changes import calendar_import

    CalendarYear.objects.filter(year=2028).delete()
    CalendarDay.objects.filter(date__year=2028).delete()
    notice = published(world, monkeypatch, start=date(2028, 1, 24))
    # Monday 01-24, then 除夕 01-25 to 初三 01-28 off and the weekend: 01-31, 02-01, 02-02, 02-03.
    assert notice.ends_on == date(2028, 2, 3) and "2028 年" in notice.calendar_warnings[0]
    rest = [(date(2028, 1, d), "holiday", "春节") for d in range(25, 32)] + [(date(2028, 2, 1), "holiday", "春节")]
    change = calendar_import(actor=world.users["admin"], years=[2028], source="国务院办公厅通知",
                             days=[*rest, (date(2028, 1, 22), "workday", "春节调休上班"),
                                   (date(2028, 2, 5), "workday", "春节调休上班")])
    notice.refresh_from_db()
    # Eight days off (01-25 to 02-01): 01-24, 02-02, 02-03, 02-04, and Saturday 02-05 worked.
    assert notice.ends_on == date(2028, 2, 5) and change.recomputed == 1 and notice.calendar_warnings == []
    assert list(events_of(notice))[-1].actor == world.users["admin"]


def test_an_evaluation_round_keeps_its_working_days_and_a_later_saturday_worked_compensates(world, monkeypatch):
    from yishiting.common.calendar_changes import calendar_day_save, calendar_import
    from yishiting.handling.models import EvaluationRound

    from .test_evaluation import evaluating_topic

    set_today(monkeypatch, date(2026, 12, 28))
    topic, round_ = evaluating_topic(world)
    opened = timezone.make_aware(datetime(2026, 12, 28, 9, 0))
    EvaluationRound.objects.filter(pk=round_.pk).update(opened_at=opened, closes_on=date(2027, 1, 12))
    # Ten working days from Monday 12-28 with 元旦 off (2027 not entered): 29–31, 01-04..08, 01-11, 01-12.
    change = calendar_import(actor=world.users["admin"], years=[2027], days=[
        *[(date(2027, 1, d), "holiday", "元旦") for d in (1, 2, 3, 4)], (date(2027, 1, 9), "workday", "元旦调休上班")])
    # 01-04 off, Saturday 01-09 worked: the window keeps ten working days without moving.
    assert EvaluationRound.objects.get(pk=round_.pk).closes_on == date(2027, 1, 12) and change.recomputed == 0
    calendar_day_save(actor=world.users["admin"], day=CalendarDay(date=date(2027, 1, 11), kind="holiday", name="补休"))
    moved = EvaluationRound.objects.get(pk=round_.pk)
    assert moved.closes_on == date(2027, 1, 13) and list(events_of(moved))[-1].kind == "evaluation.window_recomputed"
    assert Notification.objects.filter(text__contains="第 1 轮群众评价截止日由 2027年1月12日 顺延至 2027年1月13日").exists()


def test_a_window_dated_weekends_only_before_this_rule_is_not_completed_early(world, monkeypatch, tmp_path):
    """A notice published by the old weekends-only rule ended on 元旦 2027-01-01; entering 2027 flips no day
    (元旦 was already a statutory rest day), so only `tick` and 结束公示 can catch it: they extend it first."""
    from yishiting.common.errors import Conflict
    from yishiting.handling.services.notices import notice_complete

    notice = published(world, monkeypatch, start=date(2026, 12, 28))
    Notice.objects.filter(pk=notice.pk).update(ends_on=date(2027, 1, 1))  # what the old rule stored
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,休,元旦\n", encoding="utf-8")
    call_command("calendar_import", "--file", str(path), "--year", "2027", stdout=StringIO())
    assert Notice.objects.get(pk=notice.pk).ends_on == date(2027, 1, 1)

    set_today(monkeypatch, date(2027, 1, 2))
    with pytest.raises(Conflict, match="2027年1月4日|1月4日"):
        notice_complete(actor=world.users["community_secretary"], notice=notice)
    assert notices_tick(today=date(2027, 1, 2)) == 0
    kept = Notice.objects.get(pk=notice.pk)
    assert (kept.status, kept.ends_on) == (NoticeStatus.PUBLISHED, date(2027, 1, 4))
    assert kinds(kept).count("notice.window_recomputed") == 1
    assert notices_tick(today=date(2027, 1, 5)) == 1
