"""Automatic warnings (督): yellow when a task has used the template's share of its time, red once it is overdue,
escalation to the parent level's office staff after N working days overdue — all on the working-day calendar.

Run by `yishiting tick`. Each task is one transaction holding its row lock: the warning row (unique per task,
level and deadline), its event and its notifications commit together or not at all. A second run finds the rows
and does nothing; a run killed half-way left every finished task complete and the rest untouched, so the re-run
adds exactly what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from yishiting.areas.models import Person
from yishiting.areas.selectors import community_of, office_staff_nearest
from yishiting.common.calendar import working_days_between
from yishiting.common.dates import full_day
from yishiting.common.events import event_append
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.services.topics import default_template
from yishiting.handling.records_language import site_text
from yishiting.notifications.services import notify_many

from .choices import WarningLevel
from .models import Task, Warning
from .transitions import OPEN_TASK


@dataclass
class LevelCounts:
    """What a warnings run added, by level (the tasks', the mediation cases' and the 整改 items' runs)."""

    yellow: int = 0
    red: int = 0
    notifications: int = 0
    calendar_warnings: set[str] = field(default_factory=set)

    def add(self, level: str, told: int) -> None:
        setattr(self, level, getattr(self, level) + 1)
        self.notifications += told


@dataclass
class TickCounts(LevelCounts):
    tasks: int = 0
    escalated: int = 0


def warning_once(model: type[models.Model], *, subject, kind: str, level: str, deadline: date,
                 extra: dict | None = None, **owner) -> models.Model | None:
    """The warning row of `owner` (task=…, case=…, item=…) at `level` for `deadline` and its event, unless a run
    already wrote it (then None: nobody is told twice). The caller holds the owner's row lock."""
    warning, created = model.objects.get_or_create(**owner, level=level, deadline=deadline)
    if not created:
        return None
    event_append(subject=subject, kind=kind, actor=None,
                 payload={"level": level, "deadline": deadline.isoformat(), "warning": warning.pk, **(extra or {})})
    return warning


def levels_between(start: date, deadline: date, today: date, yellow_percent: int,
                   escalate_after_days: int | None = None) -> tuple[list[str], list[str]]:
    """Yellow once `yellow_percent` of the working days from start to deadline are used, red once it passed
    (and escalated N working days later, when `escalate_after_days` is given); plus calendar warnings."""
    if today > deadline:
        late = working_days_between(deadline, today)
        escalate = escalate_after_days is not None and late.days >= max(escalate_after_days, 1)
        return [WarningLevel.RED] + ([WarningLevel.ESCALATED] if escalate else []), late.warnings
    span, used = working_days_between(start, deadline), working_days_between(start, today)
    reached = span.days > 0 and used.days * 100 >= yellow_percent * span.days
    return ([WarningLevel.YELLOW] if reached else []), span.warnings + used.warnings


def due_levels(task: Task, template: ProcessTemplate | None, today: date) -> tuple[list[str], list[str]]:
    """The warning levels a task has reached by `today`, and any calendar warnings met on the way."""
    yellow_percent = template.yellow_percent if template else 80
    escalate_after = template.escalate_after_days if template else 3
    start = timezone.localtime(task.created_at).date()
    if today > task.deadline:
        late = working_days_between(task.deadline, today)
        levels = [WarningLevel.RED] + ([WarningLevel.ESCALATED] if late.days >= max(escalate_after, 1) else [])
        return levels, late.warnings
    span, used = working_days_between(start, task.deadline), working_days_between(start, today)
    reached = used.days * 100 >= yellow_percent * span.days
    return ([WarningLevel.YELLOW] if reached else []), span.warnings + used.warnings


def _office_above(task: Task) -> list[Person]:
    """Office staff of the level above the one answering for the task (the topic's level, else the community)."""
    level = task.topic.level_area if task.topic_id else (community_of(task.area) or task.area)
    return office_staff_nearest(level.parent)


def _recipients(task: Task, level: str) -> list[Person]:
    if level == WarningLevel.YELLOW:
        return [task.handler]
    if level == WarningLevel.RED:
        verifier = task.supervisor or Person.objects.filter(user_id=task.created_by_id).first()
        return [task.handler] + ([verifier] if verifier and verifier.pk != task.handler_id else [])
    return _office_above(task)


MESSAGES = {
    WarningLevel.YELLOW: gettext_noop("【黄色预警】任务“{title}”期限将到（{deadline}），请抓紧办理。"),
    WarningLevel.RED: gettext_noop("【红色预警】任务“{title}”已逾期（期限 {deadline}），请尽快办结或申请延期。"),
    WarningLevel.ESCALATED: gettext_noop("【提级督办】{area}的任务“{title}”逾期未办（期限 {deadline}），请督促办理。"),
}


@transaction.atomic
def _tick_task(task_id: int, today: date, counts: TickCounts) -> None:
    task = (Task.objects.select_for_update(of=("self",)).select_related("topic__template", "topic__level_area", "area",
                                                                       "handler", "supervisor")
            .filter(pk=task_id, status__in=OPEN_TASK).first())
    if task is None:  # closed since the list was read
        return
    template = task.topic.template if task.topic_id and task.topic.template_id else default_template()
    levels, calendar = due_levels(task, template, today)
    counts.calendar_warnings.update(calendar)
    for level in levels:
        if warning_once(Warning, subject=task, kind="task.warning", level=level, deadline=task.deadline, task=task) is None:
            continue
        text = site_text(MESSAGES[level]).format(title=task.title[:40], deadline=full_day(task.deadline),
                                      area=task.area.name)
        told = notify_many(people=_recipients(task, level), text=text, link=f"/tasks/{task.pk}/", subject=task)
        counts.add(level, len(told))


def warnings_tick(*, today: date | None = None) -> TickCounts:
    """Warn every open task that has reached a level since the last run; returns what was added."""
    today = today or timezone.localdate()
    counts = TickCounts()
    for task_id in Task.objects.filter(status__in=OPEN_TASK).order_by("pk").values_list("pk", flat=True):
        counts.tasks += 1
        _tick_task(task_id, today, counts)
    return counts
