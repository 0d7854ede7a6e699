"""Screening deadlines kept whole when the holiday table changes (a keeper of common.calendar_changes).

A demand's screening deadline was counted in working days from its submission (or its escalation) with the
calendar of that day; the count itself is not stored, so the deadline moves later by exactly the working days
the change took out of its window — never earlier. Each move is one event on the demand; the screening
community's staff get one notice per change, not one per demand.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Person
from yishiting.common.calendar import add_working_days
from yishiting.common.calendar_changes import lost_working_days
from yishiting.common.events import event_append
from yishiting.common.models import Event
from yishiting.notifications.services import notify_many

from .choices import Status
from .models import Demand

SCREENERS = [Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY]


def _window_start(demand: Demand) -> date:
    """The day its screening clock started: the submission, or the last escalation to the present level."""
    if demand.status == Status.ESCALATED:
        at = (Event.objects.filter(subject_type="demands.demand", subject_id=str(demand.pk), kind="demand.escalate")
              .order_by("-seq").values_list("at", flat=True).first())
        if at is not None:
            return timezone.localdate(at)
    return timezone.localdate(demand.created_at)


@transaction.atomic
def demand_deadline_recompute(*, actor, demand: Demand, changed: dict[date, bool]) -> Demand:
    """An open demand's screening deadline after a calendar change: moved later by the working days the change
    took out of its window, never earlier (event demand.deadline_recomputed)."""
    locked = Demand.objects.select_for_update().get(pk=demand.pk)
    if not locked.is_open:
        return locked
    lost = lost_working_days(_window_start(locked), locked.screening_deadline, changed)
    if lost <= 0:
        return locked
    old, result = locked.screening_deadline, add_working_days(locked.screening_deadline, lost)
    locked.screening_deadline, locked.deadline_warning = result.date, "；".join(result.warnings)[:200]
    locked.save(update_fields=["screening_deadline", "deadline_warning"])
    event_append(subject=locked, kind="demand.deadline_recomputed", actor=actor, payload={
        "from": old, "to": result.date, "changed_days": [d.isoformat() for d in sorted(changed)]})
    return locked


def demand_deadlines_recompute(*, actor, changed: dict[date, bool]) -> int:
    """The keeper demands registers: every open demand whose screening window holds a changed day."""
    if not changed:
        return 0
    first, last = min(changed), max(changed)
    moved: Counter[int] = Counter()
    open_demands = Demand.objects.filter(status__in=[Status.PENDING, Status.ESCALATED], screening_deadline__gte=first,
                                         created_at__date__lte=last)
    for demand in open_demands.order_by("pk"):
        before = demand.screening_deadline
        if demand_deadline_recompute(actor=actor, demand=demand, changed=changed).screening_deadline != before:
            moved[demand.screening_area_id] += 1
    for area in Area.objects.filter(pk__in=moved).order_by("pk"):
        staff = Person.objects.filter(roles__area=area, roles__role__in=SCREENERS, roles__is_active=True).distinct()
        notify_many(people=staff.order_by("pk"), link="/demands/inbox/",
                    text=f"节假日安排有变，{area.name}有 {moved[area.pk]} 条待筛选诉求的筛选期限已按工作日顺延。")  # zh-only: notification
    return sum(moved.values())
