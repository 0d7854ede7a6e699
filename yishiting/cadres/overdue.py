"""The pledges' part of `yishiting tick`: a pledge still 践诺中 after its deadline is flagged 已逾期 (the public
page shows it) and its cadre told; one whose progress has not been updated for STALE_AFTER working days (on the
working-day calendar: weekends and holidays do not count, 调休 workdays do) is flagged 久未更新 — the seed's
"定期公示践诺进度". Each pledge is one transaction holding its row lock; a second run the same day changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yishiting.common.calendar import working_days_between
from yishiting.common.dates import full_day
from yishiting.common.events import event_append
from yishiting.notifications.services import notify_many

from .choices import PledgeStatus
from .models import Pledge

STALE_AFTER = 22  # working days: about a month, the seeds' regular publication of progress
OVERDUE_TEXT = "【践诺逾期】您的践诺事项“{what}”已过完成时限（{due}），请尽快兑现或更新进展。"  # zh-only: a record


@dataclass
class PledgeTickCounts:
    checked: int = 0
    overdue: int = 0
    stale: int = 0
    calendar_warnings: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (f"检查践诺事项 {self.checked} 项，新标记逾期 {self.overdue} 项、"  # zh-only: console
                f"久未更新进度 {self.stale} 项。")  # zh-only: console


@transaction.atomic
def _tick_one(pledge_id: int, today: date, counts: PledgeTickCounts) -> None:
    pledge = (Pledge.objects.select_for_update(of=("self",)).select_related("cadre__person")
              .filter(pk=pledge_id, status=PledgeStatus.ACTIVE).first())
    if pledge is None:
        return
    changed = []
    if pledge.due_on < today and not pledge.is_overdue:
        pledge.is_overdue = True
        changed.append("is_overdue")
        event_append(subject=pledge, kind="cadres.pledge_overdue", actor=None, payload={"due_on": pledge.due_on})
        notify_many(people=[pledge.cadre.person], subject=pledge, link=reverse("web:cadres_pledge", args=[pledge.pk]),
                    text=OVERDUE_TEXT.format(what=pledge.what[:40], due=full_day(pledge.due_on)))
        counts.overdue += 1
    if not pledge.is_stale:
        waited = working_days_between(pledge.last_update_on, today)
        counts.calendar_warnings.update(waited.warnings)
        if waited.days >= STALE_AFTER:
            pledge.is_stale = True
            changed.append("is_stale")
            event_append(subject=pledge, kind="cadres.pledge_stale", actor=None,
                         payload={"last_update_on": pledge.last_update_on, "working_days": waited.days})
            counts.stale += 1
    if changed:
        pledge.save(update_fields=changed)


def pledges_run(*, today: date | None = None) -> PledgeTickCounts:
    today = today or timezone.localdate()
    counts = PledgeTickCounts()
    active = Pledge.objects.filter(status=PledgeStatus.ACTIVE).filter(is_overdue=False) | Pledge.objects.filter(
        status=PledgeStatus.ACTIVE, is_stale=False)
    for pledge_id in active.order_by("pk").values_list("pk", flat=True):
        counts.checked += 1
        _tick_one(pledge_id, today, counts)
    return counts


def pledges_tick(today: date) -> tuple[str, set[str]]:
    counts = pledges_run(today=today)
    return counts.summary(), counts.calendar_warnings
