"""Staff booking for a resident without a phone (issue 19): the booking is the resident's, on their page, recorded
as booked by the staff member (the event names both); staff book only for people of their area, and only
services the resident could book; a resident cannot book for someone else."""

from __future__ import annotations

import pytest

from yishiting.appointments import services as appointments
from yishiting.appointments.models import Booking
from yishiting.appointments.selectors import bookings_of
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.models import Event

from .conftest import first_slot, make_service, next_working_day

pytestmark = pytest.mark.django_db


def test_staff_book_for_a_resident_who_sees_it_as_their_own(world):
    slot = first_slot(make_service(world), next_working_day())
    booking = appointments.booking_create(actor=world.users["community_staff"], slot=slot, note="办理养老认证",
                                          person=world.people["resident"])
    assert booking.person == world.people["resident"] and booking.booked_by == world.people["community_staff"]
    assert list(bookings_of(world.people["resident"])) == [booking]
    event = Event.objects.get(kind="booking.created")
    assert event.actor_id == world.users["community_staff"].pk
    assert event.payload["for_person"] == world.people["resident"].pk
    assert event.payload["by_person"] == world.people["community_staff"].pk
    assert world.people["resident"].notifications.filter(text__contains=booking.code).exists()
    with pytest.raises(DomainError) as exc:  # the same resident twice in the slot
        appointments.booking_create(actor=world.users["grid_worker"], slot=slot, person=world.people["resident"])
    assert exc.value.code == "already_booked" and "该居民" in exc.value.message


def test_staff_book_only_for_people_of_their_area_and_services_they_could_book(world):
    slot = first_slot(make_service(world), next_working_day())
    with pytest.raises(PermissionDeniedError):  # 和平里 (C2) is not the 幸福苑 staff's
        appointments.booking_create(actor=world.users["community_staff"], slot=slot, person=world.people["resident2"])
    with pytest.raises(DomainError) as exc:  # the street may book for C2's resident, but not 幸福苑's own service
        appointments.booking_create(actor=world.users["street_official"], slot=slot, person=world.people["resident2"])
    assert exc.value.code == "not_for_person"
    with pytest.raises(PermissionDeniedError):  # a resident books for themselves only
        appointments.booking_create(actor=world.users["resident"], slot=slot, person=world.people["resident2"])
    assert not Booking.objects.exists()
    slot.refresh_from_db()
    assert slot.booked == 0


def test_booking_oneself_with_person_set_to_oneself_is_a_plain_booking(world):
    slot = first_slot(make_service(world), next_working_day())
    booking = appointments.booking_create(actor=world.users["resident"], slot=slot, person=world.people["resident"])
    assert booking.booked_by is None and "for_person" not in Event.objects.get(kind="booking.created").payload


@pytest.mark.parametrize("persona, own_resident, other_community, other_street", [
    ("resident", False, False, False), ("grid_worker", True, False, False), ("community_staff", True, False, False),
    ("street_official", True, True, False), ("district_official", True, True, True), ("handler", False, False, False)])
def test_who_may_book_for_whom(world, persona, own_resident, other_community, other_street):
    from yishiting.common.rules import has_perm

    user = world.users[persona]
    assert has_perm(user, "appointments.book_for", world.people["resident"]) is own_resident
    assert has_perm(user, "appointments.book_for", world.people["resident2"]) is other_community
    assert has_perm(user, "appointments.book_for", world.people["resident3"]) is other_street
