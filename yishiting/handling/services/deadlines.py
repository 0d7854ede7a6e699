"""Open deadlines kept whole when the holiday table changes (common.calendar_changes calls `deadlines_recompute`).

A notice published for N working days, or a task's deadline, was dated with the calendar of its day. Holidays
entered later (a year's notice typed in after the window opened) would make it run short: each is recomputed on
the calendar as it is now and moved later when the count needs it — never earlier than what was published (a 调休
Saturday entered later does not shorten a window residents were told about). Each move is one event on the object
and a notice to its staff. A task's deadline is kept whole however it was set: given as N working days, typed as a
date (the screening form's default of five working days is saved as a date), or moved by a supervisor's approved
extension — each records the working days it stood for on the day it was set (`window_start`, `window_days`).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yishiting.common.calendar import add_working_days
from yishiting.common.calendar_changes import lost_working_days
from yishiting.common.dates import full_day
from yishiting.common.events import event_append
from yishiting.notifications.services import notify_many

from ..choices import NoticeStatus, RoundStatus
from ..models import EvaluationRound, Notice, Task
from ..transitions import OPEN_TASK
from .notices import OFFICE_ROLES, _holders, notice_window_recompute
from .tasks import _assigner, _link


def _changed_days(changed: dict[date, bool]) -> list[str]:
    return [day.isoformat() for day in sorted(changed)]


@transaction.atomic
def task_deadline_recompute(*, actor, task: Task, changed: dict[date, bool] | None = None) -> Task:
    """An open task's deadline on today's calendar: the working days it stood for when it was set (交办 or an
    approved extension), counted again from that day; moved later if they now end later, never earlier (event
    task.deadline_recomputed; handler and assigner are told). Running it again changes nothing."""
    locked = Task.objects.select_for_update().select_related("handler").get(pk=task.pk)
    if locked.status not in OPEN_TASK or locked.window_days is None or locked.window_start is None:
        return locked
    due = add_working_days(locked.window_start, locked.window_days).date
    old = locked.deadline
    if due <= old:
        return locked
    locked.deadline = due
    locked.save(update_fields=["deadline"])
    event_append(subject=locked, kind="task.deadline_recomputed", actor=actor, payload={
        "from": old, "to": due, "working_days": locked.window_days, "counted_from": locked.window_start,
        "deadline_days": locked.deadline_days, "changed_days": _changed_days(changed or {})})
    notify_many(people=[locked.handler, _assigner(locked)], link=_link(locked), subject=locked,
                text=f"节假日安排有变，任务“{locked.title[:40]}”的期限（{full_day(locked.window_start)} 起 "  # zh-only: notification
                     f"{locked.window_days} 个工作日）由 {full_day(old)} 顺延至 {full_day(due)}。")  # zh-only: notification
    return locked


@transaction.atomic
def evaluation_round_recompute(*, actor, round_: EvaluationRound, changed: dict[date, bool]) -> EvaluationRound:
    """An open evaluation round closes later by the working days the change took out of it, never earlier
    (event evaluation.window_recomputed; the topic's staff are told). Its count is not stored: only the days
    that changed are weighed, so a second run of the same change (no day changes) moves nothing."""
    locked = EvaluationRound.objects.select_for_update().select_related("topic", "topic__level_area").get(pk=round_.pk)
    if locked.status != RoundStatus.OPEN:
        return locked
    lost = lost_working_days(timezone.localdate(locked.opened_at), locked.closes_on, changed)
    if lost <= 0:
        return locked
    old, locked.closes_on = locked.closes_on, add_working_days(locked.closes_on, lost).date
    locked.save(update_fields=["closes_on"])
    event_append(subject=locked, kind="evaluation.window_recomputed", actor=actor, payload={
        "from": old, "to": locked.closes_on, "changed_days": _changed_days(changed)})
    notify_many(people=_holders(locked.topic.level_area, OFFICE_ROLES), link=f"/topics/{locked.topic_id}/",
                subject=locked, text=f"节假日安排有变，“{locked.topic.title[:40]}”第 {locked.number} 轮群众评价"  # zh-only: notification
                                     f"截止日由 {full_day(old)} 顺延至 {full_day(locked.closes_on)}。")  # zh-only: notification
    return locked


def deadlines_recompute(*, actor, changed: dict[date, bool]) -> int:
    """The keeper handling registers: recompute every open notice, task deadline and evaluation round
    whose window holds a changed day; returns how many moved. Each object is its own service call (own lock and event)."""
    if not changed:
        return 0
    first, last = min(changed), max(changed)
    moved = 0
    notices = Notice.objects.filter(status=NoticeStatus.PUBLISHED, starts_on__lte=last, ends_on__gte=first)
    for notice in notices.order_by("pk"):
        before = notice.ends_on
        moved += notice_window_recompute(actor=actor, notice=notice, changed=changed).ends_on != before
    tasks = Task.objects.filter(status__in=OPEN_TASK, window_days__isnull=False, deadline__gte=first,
                                window_start__lte=last)
    for task in tasks.order_by("pk"):
        before = task.deadline
        moved += task_deadline_recompute(actor=actor, task=task, changed=changed).deadline != before
    rounds = EvaluationRound.objects.filter(status=RoundStatus.OPEN, closes_on__gte=first, opened_at__date__lte=last)
    for round_ in rounds.order_by("pk"):
        before = round_.closes_on
        moved += evaluation_round_recompute(actor=actor, round_=round_, changed=changed).closes_on != before
    return moved
