"""Status table of a 事务预约 booking (docs/states/booking.md).

A booking holds one place of a slot (已预约) until the resident cancels it before the service's cut-off, or staff
cancel it (已取消 — the place is free again); at the desk it is checked in (已签到), by staff or with the
resident's check-in code. A booking still 已预约 when its slot has ended is recorded as 未到 by `yishiting tick`;
too many of those in a period block online booking for a while (docs/appointments.md)."""

from .choices import BookingStatus as B

BOOKING_TRANSITIONS: dict[str, set[str]] = {
    B.BOOKED: {B.CANCELLED, B.CHECKED_IN, B.NO_SHOW},
    B.CANCELLED: set(),
    B.CHECKED_IN: set(),
    B.NO_SHOW: {B.CHECKED_IN},  # the desk corrects a late arrival the tick already counted
}

HOLDS_A_PLACE = {B.BOOKED, B.CHECKED_IN, B.NO_SHOW}

MODEL, TRANSITIONS = "Booking", BOOKING_TRANSITIONS  # docs/states/booking.md (`yishiting states`)
