"""The 事务预约 pages as each persona meets them: a resident sees the services of their community and street and
their codes; the desk is the staff's, masks names, and costs the same queries at any volume."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.appointments import services as appointments
from yishiting.appointments.models import Slot
from yishiting.appointments.tests.conftest import make_service, next_working_day
from yishiting.appointments.tests.flows import bookings_in_every_state

pytestmark = pytest.mark.django_db

def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm up: the per-process header cache, the session renewal
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)

def test_a_resident_sees_their_services_slots_and_codes(world, as_persona):
    states = bookings_in_every_state(world)
    client = as_persona("resident")
    home = client.get("/appointments/").content.decode()
    assert "多功能室借用" in home and "户籍业务办理" in home
    service = states["booked"].service
    page = client.get(f"/appointments/services/{service.pk}/").content.decode()
    assert "/book/" in page and "余 " in page
    mine = client.get("/appointments/mine/").content.decode()
    assert states["booked"].code in mine and "已签到" in mine and "已取消" in mine
    assert client.get("/appointments/desk/").status_code == 403
    assert as_persona("resident").get(f"/appointments/services/{service.pk}/").status_code == 200
    assert Client().get("/appointments/").status_code == 302

def test_the_desk_shows_the_day_masked_and_refuses_junk(world, as_persona):
    states = bookings_in_every_state(world)
    day = timezone.localdate(states["booked"].slot.starts_at)
    staff = as_persona("community_staff")
    desk = staff.get(f"/appointments/desk/?day={day:%Y-%m-%d}").content.decode()
    assert "法律顾问值班咨询" in desk and "张*" in desk and "张三" not in desk
    assert staff.get("/appointments/desk/?day=2026-13-45").status_code == 400
    assert staff.get("/appointments/desk/?service=abc").status_code == 400

def test_the_desk_costs_the_same_queries_at_any_volume(world, as_persona):
    service, day = make_service(world, capacity=20, area="S1"), next_working_day()
    slots = list(Slot.objects.filter(service=service, starts_at__date=day).order_by("starts_at"))
    url = f"/appointments/desk/?day={day:%Y-%m-%d}"
    appointments.booking_create(actor=world.users["resident"], slot=slots[0])
    few = _queries(as_persona("street_official"), url)
    for slot in slots[1:]:
        for persona in ("resident", "resident2"):
            appointments.booking_create(actor=world.users[persona], slot=slot)
    assert _queries(as_persona("street_official"), url) == few
