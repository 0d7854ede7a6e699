"""Deadline warnings of open cases (督), run by `yishiting tick` like the tasks' (handling/warnings.py): yellow
when the template's share of the case's working days is used, red once it is overdue, escalation to the office
staff of the level above after N working days overdue. Plus the judicial-confirmation reminder (art. 33) a few
days before the 30 days run out.

Each case is one transaction holding its row lock; the warning row is unique per case, level and deadline, so a
second run adds nothing and a run killed half-way is completed by the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yishiting.areas.models import Person
from yishiting.areas.selectors import office_staff_nearest
from yishiting.common.calendar import add_working_days
from yishiting.common.dates import full_day
from yishiting.common.models import Event
from yishiting.handling.warnings import LevelCounts, levels_between, warning_once
from yishiting.notifications.services import notify_many

from .choices import (
    AgreementForm,
    AgreementStatus,
    CaseStatus,
    Confirmation,
    MediatorStatus,
    Tier,
    WarningLevel,
)
from .models import Agreement, MediationCase, MediationWarning
from .selectors import rules_for
from .transitions import OPEN_CASE

REMIND_DAYS_BEFORE = 5
MESSAGES = {  # zh-only: notifications are records
    WarningLevel.YELLOW: "【黄色预警】调解案件“{title}”办结期限将到（{deadline}），请抓紧调解。",  # zh-only
    WarningLevel.RED: "【红色预警】调解案件“{title}”已超过办结期限（{deadline}）。",  # zh-only
    WarningLevel.ESCALATED: "【提级督办】{area}的调解案件“{title}”逾期未结（期限 {deadline}），请督促办理。",  # zh-only
}
TIER_NAMES = {Tier.COMMUNITY: "社区初调", Tier.STREET: "镇街深调", Tier.DISTRICT: "区（市）级调解"}  # zh-only
TIER_MESSAGES = {  # zh-only: a tier's own limit (the template's per-tier limits)
    WarningLevel.YELLOW: "【黄色预警】调解案件“{title}”的{tier}期限将到（{deadline}），请抓紧调解或移交上一级。",  # zh-only
    WarningLevel.RED: "【红色预警】调解案件“{title}”的{tier}已超过本级期限（{deadline}）。",  # zh-only
}


@dataclass
class MediationTickCounts(LevelCounts):
    cases: int = 0
    escalated: int = 0
    reminders: int = 0

    def summary(self) -> str:
        return (f"检查调解案件 {self.cases} 件，新增黄色预警 {self.yellow}、红色预警 {self.red}、"  # zh-only
                f"提级督办 {self.escalated}；司法确认提醒 {self.reminders} 件；发出通知 {self.notifications} 条。")  # zh-only


def due_levels(case: MediationCase, today: date) -> tuple[list[str], list[str]]:
    rules = rules_for(case.area)
    start = case.opened_on or timezone.localtime(case.created_at).date()
    return levels_between(start, case.deadline, today, rules.yellow_percent, rules.escalate_after_days)


def tier_start(case: MediationCase) -> date:
    """The day the case reached its current tier: its opening at the community, else the last move up."""
    start = case.opened_on or timezone.localtime(case.created_at).date()
    if case.tier == Tier.COMMUNITY:
        return start
    moved = (Event.objects.filter(subject_type="mediation.mediationcase", subject_id=str(case.pk),
                                  kind="mediation.escalated").order_by("-seq").values_list("at", flat=True).first())
    return timezone.localtime(moved).date() if moved else start


def tier_due(case: MediationCase, today: date) -> tuple[date | None, list[str], list[str]]:
    """The current tier's own deadline (the template's per-tier limit) and the levels it reached. None when the
    tier has no own limit, or its limit ends on or after the case's: the case-wide warnings say it all then."""
    rules = rules_for(case.area)
    limit = rules.tier_limits[case.tier - 1] if 1 <= case.tier <= len(rules.tier_limits) else None
    if not limit:
        return None, [], []
    start = tier_start(case)
    due = add_working_days(start, limit)
    if due.date >= case.deadline:
        return None, [], []
    levels, calendar = levels_between(start, due.date, today, rules.yellow_percent)
    return due.date, levels, calendar + due.warnings




def _recipients(case: MediationCase, level: str) -> list[Person]:
    mediators = [m.person for m in case.mediators.filter(status=MediatorStatus.ACTIVE).select_related("person")]
    tier_area = case.tier_area or case.area
    if level == WarningLevel.YELLOW:
        return mediators or office_staff_nearest(tier_area)
    if level == WarningLevel.RED:
        return mediators + [p for p in office_staff_nearest(tier_area) if p not in mediators]
    return office_staff_nearest(tier_area.parent)


@transaction.atomic
def _tick_case(case_id: int, today: date, counts: MediationTickCounts) -> None:
    case = (MediationCase.objects.select_for_update(of=("self",)).select_related("area", "tier_area")
            .filter(pk=case_id, status__in=OPEN_CASE).first())
    if case is None or case.deadline is None:
        return
    levels, calendar = due_levels(case, today)
    tier_deadline, tier_levels, tier_calendar = tier_due(case, today)
    counts.calendar_warnings.update(calendar + tier_calendar)
    due = [(level, case.deadline, MESSAGES) for level in levels]
    if tier_deadline is not None:  # a warning row is unique per deadline: the tier's never hides the case's
        due += [(level, tier_deadline, TIER_MESSAGES) for level in tier_levels]
    for level, deadline, messages in due:
        extra = {"tier": case.tier} if messages is TIER_MESSAGES else {}
        if warning_once(MediationWarning, subject=case, kind="mediation.warning", level=level, deadline=deadline,
                        extra=extra, case=case) is None:
            continue
        text = messages[level].format(title=case.title[:40], deadline=full_day(deadline),
                                      area=(case.tier_area or case.area).name, tier=TIER_NAMES.get(case.tier, ""))
        told = notify_many(people=_recipients(case, level), text=text, link=f"/mediation/{case.pk}/", subject=case)
        counts.add(level, len(told))


@transaction.atomic
def _remind(agreement_id: int, today: date, counts: MediationTickCounts) -> None:
    from .services.agreements import _remind_now  # the one place the reminder is written

    agreement = (Agreement.objects.select_for_update().select_related("case").filter(pk=agreement_id).first())
    if agreement is None or agreement.confirmation != Confirmation.NONE or agreement.confirmation_due is None:
        return
    if agreement.reminded_at and timezone.localdate(agreement.reminded_at) >= agreement.confirmation_due - timedelta(
            days=REMIND_DAYS_BEFORE):
        return  # already reminded in the last days
    at = datetime.combine(today, time(9), tzinfo=timezone.get_current_timezone())
    counts.notifications += _remind_now(None, agreement.case, agreement, at=at)
    counts.reminders += 1


def mediation_tick(*, today: date | None = None) -> MediationTickCounts:
    """Warn every open case that reached a level since the last run; remind parties whose 30 days for judicial
    confirmation end within REMIND_DAYS_BEFORE days. Returns what was added."""
    today = today or timezone.localdate()
    counts = MediationTickCounts()
    for case_id in (MediationCase.objects.filter(status__in=OPEN_CASE, deadline__isnull=False).order_by("pk")
                    .values_list("pk", flat=True)):
        counts.cases += 1
        _tick_case(case_id, today, counts)
    due = (Agreement.objects.filter(status=AgreementStatus.EFFECTIVE, form=AgreementForm.WRITTEN,
                                    confirmation=Confirmation.NONE, confirmation_due__gte=today,
                                    confirmation_due__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
                                    case__status__in=[*OPEN_CASE, CaseStatus.CLOSED])
           .order_by("pk").values_list("pk", flat=True))
    for agreement_id in due:
        _remind(agreement_id, today, counts)
    return counts
