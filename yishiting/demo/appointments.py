"""事务预约 in the demo: the persona community's 议事厅 lent by the hour (the deliberation Venue), the legal
adviser's duty hours and the street's 户籍 window; the resident booked, was reminded, came and was checked in by
code; a neighbour missed his (the night recorded the no-show); a room booking cancelled; and bookings for the
next working day, so the desk and "my bookings" have something to show. Written through the appointments
services, as the people themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from yishiting.appointments import services as appointments
from yishiting.appointments.models import Service, Slot
from yishiting.appointments.selectors import day_bounds
from yishiting.common.calendar import add_working_days
from yishiting.deliberation.choices import VenueKind
from yishiting.deliberation.models import Venue
from yishiting.deliberation.services.meetings import venue_save

from .cast import Cast

WEEKDAYS = range(5)


def _slot(service: Service, day: date, hour: int) -> Slot:
    appointments.slots_ensure(service=service, first=day, last=day)
    start, end = day_bounds(day)
    return (Slot.objects.filter(service=service, starts_at__gte=start + timedelta(hours=hour), starts_at__lt=end)
            .order_by("starts_at").first())


def appointments_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    def moment(day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    yield at(45, 9)
    secretary = cast.user("community_secretary")
    venue = Venue.objects.filter(area=cast.community, is_active=True).order_by("pk").first() or venue_save(
        actor=secretary, name=f"{cast.community.name}议事厅", kind=VenueKind.HALL, area=cast.community, capacity=40)
    room = appointments.service_save(
        actor=secretary, name="议事厅借用", kind="room", area=cast.community, venue=venue, capacity=1, slot_minutes=60,
        description="楼栋议事会、志愿者培训等公益活动可借用，请写明用途。",
        hours=[(d, time(9), time(12)) for d in WEEKDAYS] + [(d, time(14), time(17)) for d in WEEKDAYS])
    advice = appointments.service_save(
        actor=secretary, name="法律顾问值班咨询", kind="legal", area=cast.community, capacity=2,
        place="党群服务中心调解室", description="社区法律顾问每个工作日上午值班，面对面解答法律问题。",
        hours=[(d, time(9), time(11, 30)) for d in WEEKDAYS])
    window = appointments.service_save(
        actor=cast.user("street_official"), name="户籍业务办理", kind="government", area=cast.street, capacity=3,
        place="街道便民服务中心3号窗口", hours=[(d, time(9), time(12)) for d in WEEKDAYS])
    resident, neighbour, other = cast.user("resident"), cast.neighbours[3].user, cast.neighbours[4].user

    came_day = at(8).date()  # eight working days ago
    yield moment(came_day - timedelta(days=1), 19, 30)
    came = appointments.booking_create(actor=resident, slot=_slot(advice, came_day, 9), note="咨询物业费纠纷")
    appointments.booking_create(actor=neighbour, slot=_slot(window, came_day, 10), note="办理户口迁入")
    lent = appointments.booking_create(actor=other, slot=_slot(room, came_day, 14), note="3栋楼栋议事会")
    yield moment(came_day - timedelta(days=1), 21)
    appointments.booking_cancel(actor=other, booking=lent)
    yield moment(came_day, 0, 35)
    appointments.bookings_remind(day=came_day)
    yield moment(came_day, 9, 5)
    appointments.booking_check_in_code(actor=cast.user("community_staff"), code=came.code)
    yield moment(came_day + timedelta(days=1), 0, 40)
    appointments.bookings_mark_no_shows(now=timezone.now())

    next_day = add_working_days(at(0).date(), 1).date  # the next working day after today
    yield at(1, 20)
    appointments.booking_create(actor=resident, slot=_slot(advice, next_day, 10), note="咨询房屋租赁合同")
    appointments.booking_create(actor=other, slot=_slot(room, next_day, 15), note="志愿者培训")
    appointments.booking_create(actor=neighbour, slot=_slot(window, next_day, 9), note="补办户口本")
