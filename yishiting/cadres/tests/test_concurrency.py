"""Two offices ticking the same attendance at once, and a cadre's two taps on 兑现, on PostgreSQL (SQLite
serializes every write): one attendance, one completion; the other is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import DomainError
from yishiting.common.testing import race

from .. import services
from ..models import Attendance, Pledge
from .world import build

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]


def test_the_same_attendance_recorded_twice_at_once_counts_once(world):
    t = build(world)
    office = world.users["street_official"]
    results = race([lambda: services.attendance_record(actor=office, activity=t.course, cadre=t.cadre)] * 2)
    assert sum(isinstance(r, Attendance) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and r.code == "already_recorded" for r in results) == 1, results
    assert Attendance.objects.filter(cadre=t.cadre).count() == 1


def test_a_pledge_completed_twice_at_once_is_completed_once(world):
    t = build(world)
    user = world.users["grid_worker"]
    pledge = services.pledge_publish(actor=user, what="建群", measure="全覆盖",
                                     due_on=timezone.localdate() + timedelta(days=3))
    results = race([lambda: services.pledge_complete(actor=user, pledge=pledge, result="已完成")] * 2)
    assert sum(isinstance(r, Pledge) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and r.code == "not_active" for r in results) == 1, results
    assert t.cadre.pledges.get().status == "done"
