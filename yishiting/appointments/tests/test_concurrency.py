"""Ten residents booking the last place of a slot at the same moment, on PostgreSQL (SQLite serializes every
write, so there is no race there): the slot ends exactly full — one more booking, nine told it is full."""

from __future__ import annotations

import pytest

from yishiting.appointments import services as appointments
from yishiting.appointments.models import Booking, Slot
from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.errors import Conflict
from yishiting.common.testing import make_user, race

from .conftest import first_slot, make_service, next_working_day

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def test_ten_residents_book_the_last_place_at_once_exactly_capacity(world):
    users = []
    for n in range(12):
        person = areas.person_create(actor=None, name=f"居民{n:02d}", mobile=f"139100000{n:02d}",
                                     household=world.households["H2"])
        areas.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
        users.append(make_user(world, f"booker{n}", person))
    service = make_service(world, capacity=3)
    slot = first_slot(service, next_working_day())
    for user in users[:2]:
        appointments.booking_create(actor=user, slot=slot)
    outcomes = race([lambda user=user: appointments.booking_create(actor=user, slot=Slot.objects.get(pk=slot.pk))
                     for user in users[2:]])
    won = [o for o in outcomes if isinstance(o, Booking)]
    full = [o for o in outcomes if isinstance(o, Conflict) and o.code == "slot_full"]
    assert len(won) == 1 and len(full) == 9, outcomes
    assert Slot.objects.get(pk=slot.pk).booked == 3 == Booking.objects.filter(slot=slot, status="booked").count()
