"""Races on PostgreSQL (SQLite serializes every write, so there is no race there): residents racing for the last
places of an activity — exactly `capacity` get one, the rest wait; two organisers checking out the same
volunteer at once — the hours are confirmed, and `volunteers.hours_confirmed` appended, once."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.events import Event
from yishiting.common.testing import race
from yishiting.volunteers import services as vol
from yishiting.volunteers.choices import AttendanceStatus as T
from yishiting.volunteers.models import Attendance

from .conftest import add_resident, build_vol

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def test_six_residents_race_for_three_places_exactly_three_get_one(world):
    v = build_vol(world, capacity=3)
    users = [v.user("resident"), v.user("leader")]
    for n in range(4):
        add_resident(world, f"r{n}", f"居民{n}", f"1390000010{n}")
        users.append(world.users[f"r{n}"])
    outcomes = race([lambda u=u: vol.activity_sign_up(actor=u, activity=v.activity) for u in users])
    assert all(isinstance(o, Attendance) for o in outcomes), outcomes
    statuses = sorted(o.status for o in outcomes)
    assert statuses.count(T.SIGNED_UP) == 3 and statuses.count(T.WAITING) == 3
    assert Attendance.objects.filter(activity=v.activity, status=T.SIGNED_UP).count() == 3


def test_a_double_check_out_confirms_once(world):
    v = build_vol(world)
    vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                               token=vol.checkin_token(v.activity))
    outcomes = race([lambda who=who: vol.attendance_check_out(actor=v.user(who), attendance=attendance, rating=5)
                     for who in ("leader", "community_staff")])
    done = [o for o in outcomes if isinstance(o, Attendance)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert Event.objects.filter(kind="volunteers.hours_confirmed", subject_id=str(attendance.pk)).count() == 1
