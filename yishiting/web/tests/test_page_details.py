"""Small things users saw (issue 15): timelines in time order, one date format, what publishing a notice says,
and unique element ids."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from yishiting.common.models import Event
from yishiting.demands.screening import Decision, demand_screen

from .pages import main

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(timezone.localdate().year, 12, day, hour, 0))


def test_a_demands_timeline_lists_a_days_events_by_their_time(world, as_persona, new_demand):
    demand = new_demand("resident")
    demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome="topic", nature="public", topic_title="3栋电梯维修", reason="多户受影响"))
    first, second = Event.objects.filter(subject_id=str(demand.pk), kind__startswith="demand.").order_by("seq")
    Event.objects.filter(pk=first.pk).update(at=_at(8, 17))  # recorded first, but happened later that day
    Event.objects.filter(pk=second.pk).update(at=_at(8, 9))
    page = main(as_persona("resident").get(f"/demands/{demand.pk}/"))
    assert "12月8日 09:00" in page and "12月8日 17:00" in page
    assert page.index("12月8日 09:00") < page.index("12月8日 17:00")
