"""What volunteers and organisers notice: places fill and the next one waits, a freed place goes to the first
waiting, the QR code checks one in (a stale code does not), check-out confirms hours and a rating once with the
contract's event, hours changed only with a reason, posts claimed for a period up to their capacity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yishiting.areas.models import RoleAssignment
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import Event
from yishiting.volunteers import services as vol
from yishiting.volunteers.choices import AttendanceStatus as T
from yishiting.volunteers.choices import ShiftStatus
from yishiting.volunteers.selectors import record_of

from .conftest import add_resident

pytestmark = pytest.mark.django_db


def _earned(subject) -> list[Event]:
    return list(Event.objects.filter(kind="volunteers.hours_confirmed", subject_id=str(subject.pk)))


def test_joining_a_team_makes_one_a_registered_volunteer_of_the_community(v):
    vol.team_join(actor=v.user("resident"), team=v.team)
    assert RoleAssignment.objects.filter(person=v.person("resident"), role="volunteer", is_active=True,
                                         area=v.world.areas["C1"]).exists()
    with pytest.raises(Conflict):
        vol.team_join(actor=v.user("resident"), team=v.team)


def test_when_the_places_are_taken_the_next_waits_and_moves_up_when_one_cancels(v):
    add_resident(v.world, "r4", "赵六", "13900000004")
    first = vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    second = vol.activity_sign_up(actor=v.user("leader"), activity=v.activity)
    third = vol.activity_sign_up(actor=v.user("r4"), activity=v.activity)
    assert [first.status, second.status, third.status] == [T.SIGNED_UP, T.SIGNED_UP, T.WAITING]
    vol.attendance_cancel(actor=v.user("resident"), attendance=first)
    third.refresh_from_db()
    assert third.status == T.SIGNED_UP


def test_residents_of_another_community_cannot_sign_up(v):
    with pytest.raises(PermissionDeniedError):
        vol.activity_sign_up(actor=v.user("resident2"), activity=v.activity)


def test_the_qr_code_checks_one_in_and_a_stale_code_is_refused(v):
    attendance = vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    token = vol.checkin_token(v.activity)
    vol.activity_new_code(actor=v.user("leader"), activity=v.activity)
    with pytest.raises(DomainError) as refused:
        vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity, token=token)
    assert refused.value.code == "bad_code"
    checked = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                            token=vol.checkin_token(v.activity))
    assert checked.pk == attendance.pk and checked.status == T.CHECKED_IN and checked.checked_in_at


def test_a_walk_in_without_sign_up_takes_a_free_place_by_scanning(v):
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                               token=vol.checkin_token(v.activity))
    assert attendance.status == T.CHECKED_IN


def test_check_out_confirms_hours_and_rating_once_with_the_contract_payload(v):
    vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                               token=vol.checkin_token(v.activity))
    with pytest.raises(DomainError) as no_reason:
        vol.attendance_check_out(actor=v.user("leader"), attendance=attendance, rating=5, hours="2")
    assert no_reason.value.code == "reason_required"
    done = vol.attendance_check_out(actor=v.user("leader"), attendance=attendance, rating=5, hours="2",
                                    reason="签到前已在现场布置")
    assert done.status == T.CHECKED_OUT and done.hours == Decimal("2.0") and done.rating == 5
    with pytest.raises(Conflict):
        vol.attendance_check_out(actor=v.user("leader"), attendance=attendance, rating=4)
    [event] = _earned(attendance)
    assert event.payload["area"] == v.world.areas["C1"].pk
    assert event.payload["earners"] == [{"person": v.person("resident").pk, "hours": "2.0", "rating": 5}]


def test_hours_are_computed_from_check_in_and_out_within_the_activity(v):
    start = v.activity.starts_at
    assert vol.computed_hours(v.activity, start - timedelta(hours=1), start + timedelta(minutes=100)) == Decimal("1.5")
    assert vol.computed_hours(v.activity, start, start + timedelta(minutes=10)) == Decimal("0.0")


def test_only_organisers_check_out_and_correct_hours_with_a_reason(v):
    vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=v.activity,
                                               token=vol.checkin_token(v.activity))
    with pytest.raises(PermissionDeniedError):
        vol.attendance_check_out(actor=v.user("resident"), attendance=attendance, rating=5)
    done = vol.attendance_check_out(actor=v.user("community_staff"), attendance=attendance, rating=4)
    with pytest.raises(DomainError):
        vol.attendance_adjust_hours(actor=v.user("leader"), attendance=done, hours="3", reason="")
    fixed = vol.attendance_adjust_hours(actor=v.user("leader"), attendance=done, hours="3", reason="补记收尾时间")
    assert fixed.hours == Decimal("3.0") and len(_earned(attendance)) == 1
    assert record_of(v.person("resident")).hours == Decimal("3.0")


def test_ending_the_activity_marks_who_never_came_absent(v):
    attendance = vol.activity_sign_up(actor=v.user("resident"), activity=v.activity)
    vol.activity_finish(actor=v.user("leader"), activity=v.activity)
    attendance.refresh_from_db()
    assert attendance.status == T.ABSENT
    with pytest.raises(Conflict):
        vol.activity_sign_up(actor=v.user("leader"), activity=v.activity)


def test_a_post_is_claimed_up_to_its_capacity_and_free_again_after_release(v):
    today = timezone.localdate()
    claim = vol.post_claim(actor=v.user("resident"), post=v.post, starts_on=today, ends_on=today + timedelta(days=30))
    with pytest.raises(Conflict) as full:
        vol.post_claim(actor=v.user("leader"), post=v.post, starts_on=today + timedelta(days=1),
                       ends_on=today + timedelta(days=10))
    assert full.value.code == "post_full"
    vol.claim_release(actor=v.user("resident"), claim=claim)
    later = vol.post_claim(actor=v.user("leader"), post=v.post, starts_on=today + timedelta(days=1),
                           ends_on=today + timedelta(days=10))
    assert later.pk


def test_a_shift_is_confirmed_once_with_hours_and_rating(v):
    today = timezone.localdate()
    claim = vol.post_claim(actor=v.user("resident"), post=v.post, starts_on=today, ends_on=today + timedelta(days=30))
    shift = vol.shift_log(actor=v.user("resident"), claim=claim, day=today, hours="1.5", note="清扫3栋楼道")
    with pytest.raises(PermissionDeniedError):
        vol.shift_confirm(actor=v.user("resident"), shift=shift, rating=5)
    done = vol.shift_confirm(actor=v.user("leader"), shift=shift, rating=5)
    assert done.status == ShiftStatus.CONFIRMED
    with pytest.raises(Conflict):
        vol.shift_confirm(actor=v.user("leader"), shift=shift, rating=5)
    [event] = _earned(shift)
    assert event.payload["earners"] == [{"person": v.person("resident").pk, "hours": "1.5", "rating": 5}]
    assert record_of(v.person("resident")).hours == Decimal("1.5")


def test_a_shift_outside_the_claim_is_refused(v):
    today = timezone.localdate()
    claim = vol.post_claim(actor=v.user("resident"), post=v.post, starts_on=today, ends_on=today + timedelta(days=3))
    with pytest.raises(DomainError) as refused:
        vol.shift_log(actor=v.user("resident"), claim=claim, day=today + timedelta(days=1), hours="1")
    assert refused.value.code == "day_outside"
