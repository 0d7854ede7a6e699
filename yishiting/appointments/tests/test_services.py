"""事务预约 through the services: slots only on working days, booking up to capacity, cancellation before the
cut-off, check-in at the desk (by row or code), the reminder the day before, no-shows at the tick and the block
they bring."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from yishiting.appointments import services as appointments
from yishiting.appointments.choices import BookingStatus
from yishiting.appointments.models import Booking, Slot
from yishiting.appointments.selectors import blocked_until, day_bounds, free_slots
from yishiting.common.calendar import is_working_day
from yishiting.common.errors import DomainError

from .conftest import first_slot, make_service, next_working_day

pytestmark = pytest.mark.django_db


def test_slots_are_made_on_working_days_only(world):
    service = make_service(world)
    # 2026's 国庆: 1 October (a Thursday) is a holiday; Saturday 10 October is a 调休 workday (the calendar table).
    first, last = date(2026, 9, 28), date(2026, 10, 11)
    appointments.slots_ensure(service=service, first=first, last=last)
    in_span = Slot.objects.filter(service=service, starts_at__date__range=(first, last))
    days = sorted({timezone.localdate(s.starts_at) for s in in_span})
    span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    assert days == [d for d in span if is_working_day(d)]
    assert date(2026, 10, 1) not in days and date(2026, 10, 10) in days and date(2026, 10, 11) not in days
    assert in_span.count() == len(days) * 4  # 09:00–11:00 in 30-minute slots
    assert appointments.slots_ensure(service=service, first=date(2026, 9, 30), last=date(2026, 10, 11)) == 0


def test_a_slot_takes_its_capacity_and_no_more(world, clock):
    service, day = make_service(world, capacity=1, area="S1"), next_working_day()
    clock.set(day - timedelta(days=1), 20)
    slot = first_slot(service, day)
    booking = appointments.booking_create(actor=world.users["resident"], slot=slot, note="办理医保转移")
    assert booking.status == BookingStatus.BOOKED and len(booking.code) == 6
    assert Slot.objects.get(pk=slot.pk).booked == 1 and not free_slots(service).filter(pk=slot.pk).exists()
    with pytest.raises(DomainError) as exc:
        appointments.booking_create(actor=world.users["resident2"], slot=slot)
    assert exc.value.code == "slot_full"
    with pytest.raises(DomainError) as exc:
        appointments.booking_create(actor=world.users["resident"], slot=slot)
    assert exc.value.code in {"already_booked", "slot_full"}


def test_a_resident_of_another_community_cannot_book(world, clock):
    service, day = make_service(world), next_working_day()
    clock.set(day - timedelta(days=1), 20)
    with pytest.raises(DomainError) as exc:
        appointments.booking_create(actor=world.users["resident2"], slot=first_slot(service, day))
    assert exc.value.status == 403


def test_a_street_service_is_bookable_by_its_communities(world, clock):
    service, day = make_service(world, area="S1", name="街道便民服务中心·户籍"), next_working_day()
    clock.set(day - timedelta(days=1), 20)
    for persona in ("resident", "resident2"):
        appointments.booking_create(actor=world.users[persona], slot=first_slot(service, day))
    assert Slot.objects.get(pk=first_slot(service, day).pk).booked == 2


def test_cancel_before_the_cut_off_frees_the_place_and_not_after(world, clock):
    service, day = make_service(world, capacity=1), next_working_day()
    clock.set(day - timedelta(days=1), 20)
    slot = first_slot(service, day)
    booking = appointments.booking_create(actor=world.users["resident"], slot=slot)
    appointments.booking_cancel(actor=world.users["resident"], booking=booking)
    assert Slot.objects.get(pk=slot.pk).booked == 0
    again = appointments.booking_create(actor=world.users["resident"], slot=slot)
    clock.set(day, 8)  # 09:00 slot, 2-hour cut-off
    with pytest.raises(DomainError) as exc:
        appointments.booking_cancel(actor=world.users["resident"], booking=again)
    assert exc.value.code == "too_late"
    done = appointments.booking_cancel(actor=world.users["community_staff"], booking=again)  # staff may
    assert done.status == BookingStatus.CANCELLED
    assert world.people["resident"].notifications.filter(text__contains="已被工作人员取消").exists()


def test_check_in_at_the_desk_by_code_on_the_day(world, clock):
    service, day = make_service(world), next_working_day()
    clock.set(day - timedelta(days=1), 20)
    booking = appointments.booking_create(actor=world.users["resident"], slot=first_slot(service, day))
    with pytest.raises(DomainError):
        appointments.booking_check_in(actor=world.users["community_staff"], booking=booking)  # not today
    clock.set(day, 8, 45)
    with pytest.raises(DomainError):
        appointments.booking_check_in_code(actor=world.users["community_staff"], code="000000" if booking.code != "000000" else "111111")
    with pytest.raises(DomainError) as exc:
        appointments.booking_check_in(actor=world.users["resident"], booking=booking)
    assert exc.value.status == 403
    done = appointments.booking_check_in_code(actor=world.users["community_staff"], code=booking.code)
    assert done.pk == booking.pk and done.status == BookingStatus.CHECKED_IN


@override_settings(MESSAGING_BACKEND="memory")
def test_the_tick_reminds_the_day_before_and_records_no_shows(world, clock, django_capture_on_commit_callbacks):
    from yishiting.common import messaging

    service, day = make_service(world), next_working_day()
    clock.set(day - timedelta(days=1), 0, 10)
    booking = appointments.booking_create(actor=world.users["resident"], slot=first_slot(service, day))
    messaging.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        summary, _ = appointments.appointments_tick(day - timedelta(days=1))
    assert "提醒 1" in summary
    assert [m.to for m in messaging.outbox] == ["13800000001"] and booking.code in messaging.outbox[0].text
    appointments.appointments_tick(day - timedelta(days=1))  # twice: reminded once
    assert len(messaging.outbox) == 1
    clock.set(day + timedelta(days=1), 0, 30)
    summary, _ = appointments.appointments_tick(day + timedelta(days=1))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW and "未到 1" in summary


@override_settings(APPOINTMENT_NO_SHOW_LIMIT=2, APPOINTMENT_BLOCK_DAYS=30)
def test_no_shows_block_online_booking_for_a_while(world, clock):
    service, day = make_service(world, capacity=5), next_working_day()
    clock.set(day - timedelta(days=1), 20)
    slots = list(Slot.objects.filter(pk__in=[first_slot(service, day).pk]))
    appointments.slots_ensure(service=service, first=day, last=day)
    start, end = day_bounds(day)  # the day's slots: the service also has today's, already past by the clock
    slots = list(Slot.objects.filter(service=service, starts_at__gte=start, starts_at__lt=end)
                 .order_by("starts_at")[:3])
    for slot in slots[:2]:
        appointments.booking_create(actor=world.users["resident"], slot=slot)
    clock.set(day + timedelta(days=1), 0, 30)
    appointments.bookings_mark_no_shows(now=clock.set(day + timedelta(days=1), 0, 30))
    until = blocked_until(world.people["resident"])
    assert until == day + timedelta(days=30)
    assert world.people["resident"].notifications.filter(text__contains="不能在线预约").exists()
    later = next_working_day(day + timedelta(days=1))
    clock.set(later - timedelta(days=1), 20)
    with pytest.raises(DomainError) as exc:
        appointments.booking_create(actor=world.users["resident"], slot=first_slot(service, later))
    assert exc.value.code == "blocked"
    clock.set(until + timedelta(days=1), 8)
    assert blocked_until(world.people["resident"]) is None
