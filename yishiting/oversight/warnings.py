"""Deadline warnings of 整改 items (督), run by `yishiting tick` like the tasks' (handling/warnings.py): yellow
once 80% of the item's working days are used, red once it is overdue — to the unit's handlers, and for red the
issuer too. Each item is one transaction holding its row lock; the warning row is unique per item, level and
deadline, so a second run adds nothing and a run killed half-way is completed by the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from yishiting.areas.models import Person
from yishiting.common.dates import full_day
from yishiting.handling.records_language import site_text
from yishiting.handling.warnings import LevelCounts, levels_between, warning_once
from yishiting.notifications.services import notify_many

from .choices import WarningLevel
from .models import RectificationItem, RectificationWarning
from .selectors import handlers_of
from .transitions import OPEN_ITEM

YELLOW_PERCENT = 80
MESSAGES = {
    WarningLevel.YELLOW: gettext_noop("【黄色预警】整改事项“%(number)s %(text)s”期限将到（%(deadline)s），请抓紧整改。"),
    WarningLevel.RED: gettext_noop("【红色预警】整改事项“%(number)s %(text)s”已逾期（期限 %(deadline)s），请尽快整改到位。"),
}


@dataclass
class RectificationTickCounts(LevelCounts):
    items: int = 0

    def summary(self) -> str:
        return (f"检查整改事项 {self.items} 项，新增黄色预警 {self.yellow}、红色预警 {self.red}；"  # zh-only
                f"发出通知 {self.notifications} 条。")  # zh-only


def due_levels(item: RectificationItem, today: date) -> tuple[list[str], list[str]]:
    """Yellow at 80% of the item's working days, red once overdue (no escalation: the issuer is told at red)."""
    return levels_between(timezone.localtime(item.list.issued_at).date(), item.deadline, today, YELLOW_PERCENT)


def _recipients(item: RectificationItem, level: str) -> list[Person]:
    people = handlers_of(item)
    if level == WarningLevel.RED:
        issuer = Person.objects.filter(user_id=item.list.issued_by_id).first()
        people += [issuer] if issuer and issuer not in people else []
    return people


@transaction.atomic
def _tick_item(item_id: int, today: date, counts: RectificationTickCounts) -> None:
    item = (RectificationItem.objects.select_for_update(of=("self",)).select_related("list")
            .filter(pk=item_id, status__in=OPEN_ITEM).first())
    if item is None:
        return
    levels, calendar = due_levels(item, today)
    counts.calendar_warnings.update(calendar)
    for level in levels:
        if warning_once(RectificationWarning, subject=item, kind="rectification.warning", level=level,
                        deadline=item.deadline, item=item) is None:
            continue
        text = site_text(MESSAGES[level], number=str(item), text=item.description[:30], deadline=full_day(item.deadline))
        told = notify_many(people=_recipients(item, level), text=text, subject=item,
                           link=f"/oversight/rectifications/{item.list_id}/")
        counts.add(level, len(told))


def rectification_tick(*, today: date | None = None) -> RectificationTickCounts:
    """Warn every open item that has reached a level since the last run."""
    today = today or timezone.localdate()
    counts = RectificationTickCounts()
    for item_id in RectificationItem.objects.filter(status__in=OPEN_ITEM).order_by("pk").values_list("pk", flat=True):
        counts.items += 1
        _tick_item(item_id, today, counts)
    return counts
