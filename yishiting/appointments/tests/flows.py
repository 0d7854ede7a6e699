"""事务预约 in every state over the personas' world (the crawl's data uses this too): a room of 幸福苑's 党群服务中心
(a deliberation Venue), a street service; the resident's bookings booked, cancelled, checked in and a no-show."""

from __future__ import annotations

from datetime import time, timedelta
from unittest import mock

from django.utils import timezone

from yishiting.appointments import services as appointments
from yishiting.appointments.models import Slot
from yishiting.appointments.selectors import day_bounds
from yishiting.deliberation.models import Venue

from .conftest import first_slot, next_working_day


def bookings_in_every_state(world) -> dict:
    c1, resident = world.areas["C1"], world.users["resident"]
    room = Venue.objects.create(name="党群服务中心多功能室", kind="hall", area=c1, path=c1.path, capacity=30)
    weekdays = [(weekday, time(9), time(12)) for weekday in range(5)]
    hall = appointments.service_save(actor=None, name="多功能室借用", kind="room", area=c1, venue=room, capacity=1,
                                     slot_minutes=60, hours=weekdays)
    advice = appointments.service_save(actor=None, name="法律顾问值班咨询", kind="legal", area=c1, capacity=2,
                                       place="党群服务中心调解室", hours=weekdays)
    street = appointments.service_save(actor=None, name="户籍业务办理", kind="government", area=world.areas["S1"],
                              capacity=3, place="街道便民服务中心3号窗口", hours=weekdays)
    day = next_working_day()
    # both on `day`: the service's slots start today, and before its hours today's would come first
    start, end = day_bounds(day)
    early = first_slot(advice, day)
    later = Slot.objects.filter(service=advice, starts_at__gte=start, starts_at__lt=end).order_by("starts_at")[3]
    states = {"booked": appointments.booking_create(actor=resident, slot=later, note="咨询房屋租赁合同")}
    cancelled = appointments.booking_create(actor=resident, slot=first_slot(hall, day), note="楼栋议事会借用")
    states["cancelled"] = appointments.booking_cancel(actor=resident, booking=cancelled)
    came = appointments.booking_create(actor=resident, slot=early, note="代老人咨询赡养")
    missed = appointments.booking_create(actor=world.users["resident2"], slot=first_slot(street, day))
    with mock.patch.object(timezone, "now", return_value=early.starts_at + timedelta(minutes=5)):
        states["checked_in"] = appointments.booking_check_in(actor=world.users["community_staff"], booking=came)
    appointments.bookings_mark_no_shows(now=early.ends_at)  # the street's 09:00 slot ended unattended
    states["no_show"] = missed
    return states
