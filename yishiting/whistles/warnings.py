"""Deadline warnings of units that have not answered a whistle (督), run by `yishiting tick` like the tasks'
(handling/warnings.py): yellow once half the working days to the deadline are used, red once it has passed (the
response will count as late in the unit's rating), escalation to the office staff of the level above two working
days later. Then every whistle all of whose units answered is closed if its matter has since been handled.

Each response is one transaction holding its row lock; the warning row is unique per response, level and
deadline, so a second run adds nothing and a run killed half-way is completed by the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yishiting.areas.models import Person
from yishiting.areas.selectors import office_staff_nearest
from yishiting.common.dates import full_day
from yishiting.handling.choices import WarningLevel
from yishiting.handling.warnings import LevelCounts, levels_between, warning_once
from yishiting.notifications.services import notify_many

from .choices import WhistleStatus
from .models import Whistle, WhistleResponse, WhistleWarning
from .selectors import waiting_responses
from .services import link, responders_of, whistle_close_if_handled
from .transitions import WAITING

YELLOW_PERCENT, ESCALATE_AFTER_DAYS = 50, 2
MESSAGES = {  # zh-only: notifications are records
    WarningLevel.YELLOW: "【黄色预警】{unit}：吹哨“{title}”的应哨期限将到（{deadline}），请尽快报到处置。",  # zh-only
    WarningLevel.RED: "【红色预警】{unit}未在期限（{deadline}）内应哨：吹哨“{title}”，超期将计入单位评级。",  # zh-only
    WarningLevel.ESCALATED: "【提级督办】{area}的吹哨“{title}”，{unit}逾期未应哨（期限 {deadline}），请督促。",  # zh-only
}


@dataclass
class WhistleTickCounts(LevelCounts):
    responses: int = 0
    escalated: int = 0
    closed: int = 0

    def summary(self) -> str:
        return (f"检查待应哨 {self.responses} 个，新增黄色预警 {self.yellow}、红色预警 {self.red}、"  # zh-only
                f"提级督办 {self.escalated}；事项办结后自动办结吹哨 {self.closed} 次；发出通知 {self.notifications} 条。")  # zh-only


def _recipients(response: WhistleResponse, level: str) -> list[Person]:
    whistle = response.whistle
    unit = responders_of([response.organization_id])
    if level == WarningLevel.YELLOW:
        return unit
    if level == WarningLevel.RED:
        return unit + [p for p in [whistle.blown_by] if p.pk not in {u.pk for u in unit}]
    return office_staff_nearest(whistle.area.parent)


@transaction.atomic
def _tick_response(response_id: int, today: date, counts: WhistleTickCounts) -> None:
    response = (WhistleResponse.objects.select_for_update(of=("self",))
                .select_related("whistle__area", "whistle__blown_by", "organization")
                .filter(pk=response_id, status__in=WAITING).first())
    if response is None:
        return
    whistle = response.whistle
    start = timezone.localtime(response.called_at).date()  # a unit added later counts from its own call
    levels, calendar = levels_between(start, response.deadline, today, YELLOW_PERCENT, ESCALATE_AFTER_DAYS)
    counts.calendar_warnings.update(calendar)
    if WarningLevel.RED in levels and not response.late:  # past the deadline unanswered: late, whatever follows
        response.late = True
        response.save(update_fields=["late"])
    for level in levels:
        if warning_once(WhistleWarning, subject=response, kind="whistle_response.warning", level=level,
                        deadline=response.deadline, extra={"unit": response.organization.name},
                        response=response) is None:
            continue
        text = MESSAGES[level].format(unit=response.organization.name, title=whistle.title[:40],
                                      deadline=full_day(response.deadline), area=whistle.area.name)
        told = notify_many(people=_recipients(response, level), text=text, link=link(whistle), subject=whistle)
        counts.add(level, len(told))


@transaction.atomic
def _close(whistle_id: int, counts: WhistleTickCounts) -> None:
    whistle = Whistle.objects.select_related("demand__task", "demand__topic", "task", "topic").get(pk=whistle_id)
    if whistle_close_if_handled(whistle) is not None:
        counts.closed += 1


def whistles_run(*, today: date | None = None) -> WhistleTickCounts:
    today = today or timezone.localdate()
    counts = WhistleTickCounts()
    for response_id in waiting_responses().order_by("pk").values_list("pk", flat=True):
        counts.responses += 1
        _tick_response(response_id, today, counts)
    answered = Whistle.objects.filter(status=WhistleStatus.ANSWERED).order_by("pk").values_list("pk", flat=True)
    for whistle_id in answered:
        _close(whistle_id, counts)
    return counts


def whistles_tick(today: date) -> tuple[str, set[str]]:
    counts = whistles_run(today=today)
    return counts.summary(), counts.calendar_warnings
