"""Writes of 事务预约. Each service is one transaction; booking status changes go through common.transitions
(BOOKING_TRANSITIONS) and append an event. A booking locks its slot row, so a slot's places are never exceeded
however many residents book its last place at once."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.selectors import person_for_user
from yishiting.common.calendar import is_working_day
from yishiting.common.dates import full_day, page_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify

from .choices import BookingStatus, ServiceKind
from .models import Booking, OpeningHours, Service, Slot
from .rules import is_booker
from .selectors import blocked_until, day_bounds, policy, services_for
from .transitions import BOOKING_TRANSITIONS

B = BookingStatus
CHECK_IN_EARLY = timedelta(minutes=60)  # the desk checks people in from an hour before their time


def _link(booking: Booking) -> str:
    return "/appointments/mine/"


# ---- services -------------------------------------------------------------------------------------------------

@transaction.atomic
def service_save(*, actor, name: str, kind: str, area, hours: list[tuple[int, time, time]], capacity: int = 1,
                 slot_minutes: int = 30, venue=None, place: str = "", description: str = "",
                 cancel_cutoff_hours: int = 2) -> Service:
    """Open a bookable service at a community or street with its weekly hours, and make its slots for the
    booking period. A room names its Venue (deliberation), whose capacity it may not exceed. `actor=None`: the
    system (demo data, imports)."""
    if actor is not None and not has_perm(actor, "appointments.manage", area):
        raise PermissionDeniedError(gettext("只有本级的社区、街道工作人员可以设置预约事项。"))
    if kind not in ServiceKind.values:
        raise DomainError("invalid_choice", gettext("请选择事项类型。"), details={"field": "kind"})
    if venue is not None and capacity > venue.capacity:
        raise DomainError("over_capacity", gettext("每个时段可约人数不能超过场所容纳人数。"), details={"field": "capacity"})
    service = Service.objects.create(name=name.strip()[:100], kind=kind, area=area, path=area.path, venue=venue,
                                     place=place, description=description, slot_minutes=slot_minutes,
                                     capacity=capacity, cancel_cutoff_hours=cancel_cutoff_hours)
    OpeningHours.objects.bulk_create([OpeningHours(service=service, weekday=weekday, opens_at=opens, closes_at=closes)
                                      for weekday, opens, closes in hours])
    event_append(subject=service, kind="service.created", actor=actor, new_subject=True,
                 payload={"area": area.pk, "kind": kind, "capacity": capacity})
    slots_ensure_ahead(service)
    return service


# ---- slots ---------------------------------------------------------------------------------------------------

def _hours_for(service: Service, day: date) -> list:
    hours = [h for h in service.hours.all() if h.weekday == day.weekday()]
    if not hours and day.weekday() >= 5:  # a 调休 weekend workday opens with Monday's hours
        hours = [h for h in service.hours.all() if h.weekday == 0]
    return hours


def slots_ensure(*, service: Service, first: date, last: date) -> int:
    """Make the slots of `service` for the working days first..last from its weekly hours (idempotent: slots
    already there are kept with their bookings). Returns how many were added."""
    rows, step = [], timedelta(minutes=service.slot_minutes)
    day = first
    while day <= last:
        if is_working_day(day):
            for hours in _hours_for(service, day):
                start = timezone.make_aware(datetime.combine(day, hours.opens_at))
                close = timezone.make_aware(datetime.combine(day, hours.closes_at))
                while start + step <= close:
                    rows.append(Slot(service=service, path=service.path, starts_at=start, ends_at=start + step,
                                     capacity=service.capacity))
                    start += step
        day += timedelta(days=1)
    before = Slot.objects.filter(service=service).count()
    Slot.objects.bulk_create(rows, ignore_conflicts=True)
    return Slot.objects.filter(service=service).count() - before


def slots_ensure_ahead(service: Service, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return slots_ensure(service=service, first=today, last=today + timedelta(days=policy().book_ahead_days))


# ---- bookings ------------------------------------------------------------------------------------------------

def _code(slot: Slot) -> str:
    """Six digits, unique among the day's open bookings of the service's area (what the desk types)."""
    start, end = day_bounds(timezone.localdate(slot.starts_at))
    for _attempt in range(20):
        code = f"{secrets.randbelow(1_000_000):06d}"
        if not Booking.objects.filter(path=slot.path, slot__starts_at__gte=start, slot__starts_at__lt=end,
                                      code=code).exists():
            return code
    return code


def _booker(actor, slot: Slot, person):
    """(who the place is for, who booked it for them or None). Staff booking for a resident (an elder without a
    phone) need appointments.book_for over that person, and the service must be one the person could book (their
    community's or an area above it); the no-show block is the window's to weigh, so it does not stop them."""
    own = person_for_user(actor)
    if person is None or (own is not None and person.pk == own.pk):
        if own is None or not has_perm(actor, "appointments.book"):
            raise PermissionDeniedError(gettext("请先登记住户或所在社区后再预约。"))
        if not services_for(actor).filter(pk=slot.service_id).exists():
            raise PermissionDeniedError(gettext("您不能预约这个事项。"))
        return own, None
    if own is None or not has_perm(actor, "appointments.book_for", person):
        raise PermissionDeniedError(gettext("只能为本辖区登记的居民代为预约。"))
    if not slot.service.is_active or not person.path.startswith(slot.path):
        raise DomainError("not_for_person", gettext("该居民不能预约这个事项（不属于其所在社区或街道）。"),
                          details={"field": "person"})
    return person, own


@transaction.atomic
def booking_create(*, actor, slot: Slot, note: str = "", person=None) -> Booking:
    """A resident takes one place of a slot (已预约). The slot row is locked while its places are counted, so of
    ten residents booking its last place at once exactly one gets it (409 slot_full for the others). Staff may
    book for a resident (`person`): the booking is the resident's (on their page), `booked_by` the staff member,
    and the event names both."""
    person, booked_by = _booker(actor, slot, person)
    now = timezone.now()
    if slot.starts_at <= now:
        raise DomainError("slot_started", gettext("这个时段已经开始或已过去，请另选时段。"))
    if timezone.localdate(slot.starts_at) > timezone.localdate(now) + timedelta(days=policy().book_ahead_days):
        raise DomainError("too_far_ahead", gettext("只能预约 %(days)s 天内的时段。") % {"days": policy().book_ahead_days})
    until = blocked_until(person) if booked_by is None else None
    if until is not None:
        raise DomainError("blocked", gettext("您近期多次预约未到，%(date)s 前不能在线预约，请到窗口办理。")
                          % {"date": page_day(until)})
    locked = Slot.objects.select_for_update().select_related("service").get(pk=slot.pk)
    if Booking.objects.filter(slot=locked, person=person, status=B.BOOKED).exists():
        raise Conflict("already_booked", gettext("您已预约了这个时段。") if booked_by is None
                       else gettext("该居民已预约了这个时段。"))
    if locked.booked >= locked.capacity:
        raise Conflict("slot_full", gettext("这个时段已约满，请另选时段。"))
    Slot.objects.filter(pk=locked.pk).update(booked=F("booked") + 1)
    booking = Booking.objects.create(number=uuid.uuid4().hex[:20], slot=locked, service=locked.service,
                                     path=locked.path, person=person, booked_by=booked_by, code=_code(locked),
                                     note=(note or "").strip()[:200])
    booking.number = f"YY{timezone.localdate():%Y}-{booking.pk:06d}"
    booking.save(update_fields=["number"])
    payload = {"service": locked.service_id, "slot": locked.pk, "starts_at": locked.starts_at}
    if booked_by is not None:
        payload.update({"for_person": person.pk, "by_person": booked_by.pk})
        notify(person=person, link=_link(booking), subject=booking, sms=False,
               text=gettext("社区工作人员已为您预约%(service)s（%(when)s），签到码 %(code)s。")
               % {"service": locked.service.name, "when": _when(booking), "code": booking.code})
    event_append(subject=booking, kind="booking.created", actor=actor, new_subject=True, payload=payload)
    return booking


def _release_place(booking: Booking) -> None:
    Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)


@transaction.atomic
def booking_cancel(*, actor, booking: Booking) -> Booking:
    """已预约 → 已取消, freeing the place: the resident up to the service's cut-off before the start; the office
    staff of the service's area at any time (they tell the resident)."""
    staff = has_perm(actor, "appointments.manage", booking)
    if not (is_booker(actor, booking) or staff):
        raise PermissionDeniedError(gettext("只有预约人或社区工作人员可以取消预约。"))
    cutoff = booking.slot.starts_at - timedelta(hours=booking.service.cancel_cutoff_hours)
    if not staff and timezone.now() > cutoff:
        raise DomainError("too_late", gettext("开始前 %(hours)s 小时内不能在线取消，请联系工作人员。")
                          % {"hours": booking.service.cancel_cutoff_hours})
    done = transition(booking, to=B.CANCELLED, actor=actor, table=BOOKING_TRANSITIONS, expected=B.BOOKED,
                      kind="booking.cancelled", changes={"cancelled_at": timezone.now()})
    _release_place(done)
    if staff and not is_booker(actor, booking):
        notify(person=done.person, link=_link(done), subject=done,
               text=gettext("您预约的%(service)s（%(when)s）已被工作人员取消，请重新预约。")
               % {"service": done.service.name, "when": _when(done)})
    return done


def _when(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.starts_at)
    return f"{full_day(start.date())} {start:%H:%M}"


@transaction.atomic
def booking_check_in(*, actor, booking: Booking) -> Booking:
    """已预约 (or 未到, for a late arrival) → 已签到, at the desk of the service's area, on the day, from an hour
    before the slot."""
    if not has_perm(actor, "appointments.desk", booking):
        raise PermissionDeniedError(gettext("只有办理窗口的工作人员可以签到。"))
    now = timezone.now()
    if timezone.localdate(booking.slot.starts_at) != timezone.localdate(now) or now < booking.slot.starts_at - CHECK_IN_EARLY:
        raise DomainError("not_today", gettext("只能在预约当天、开始前一小时内签到。"))
    return transition(booking, to=B.CHECKED_IN, actor=actor, table=BOOKING_TRANSITIONS, expected=booking.status,
                      kind="booking.checked_in", changes={"checked_in_at": now})


@transaction.atomic
def booking_check_in_code(*, actor, code: str) -> Booking:
    """The desk types the code the resident shows: today's open booking with that code in the desk's subtree."""
    from .selectors import desk_bookings

    code = (code or "").strip()
    found = list(desk_bookings(actor, timezone.localdate()).filter(code=code, status=B.BOOKED)[:2])
    if len(found) != 1:
        raise DomainError("code_unknown", gettext("没有找到今天使用这个签到码的预约。"), details={"field": "code"})
    return booking_check_in(actor=actor, booking=found[0])


# ---- the tick: reminders for tomorrow, no-shows of ended slots, slots ahead ---------------------------------

def bookings_remind(*, day: date) -> int:
    """Remind (in-app and SMS) everyone booked on `day` who was not reminded yet."""
    start, end = day_bounds(day)
    sent = 0
    rows = (Booking.objects.filter(status=B.BOOKED, reminded_at__isnull=True, slot__starts_at__gte=start,
                                   slot__starts_at__lt=end).select_related("slot", "service", "service__venue", "person"))
    for booking in rows:
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                continue
            notify(person=booking.person, link=_link(booking), subject=booking,
                   text=gettext("预约提醒：%(service)s，%(when)s，地点%(place)s，签到码 %(code)s。不能前往请提前取消。")
                   % {"service": booking.service.name, "when": _when(booking), "place": booking.service.where or "—",
                      "code": booking.code})
            event_append(subject=booking, kind="booking.reminded", actor=None, payload={})
            sent += 1
    return sent


def bookings_mark_no_shows(*, now: datetime) -> int:
    """已预约 → 未到 for every booking whose slot ended before `now`; the person is told when this closes
    online booking for them."""
    marked = 0
    for booking in Booking.objects.filter(status=B.BOOKED, slot__ends_at__lte=now).select_related("person", "slot"):
        with transaction.atomic():
            try:
                transition(booking, to=B.NO_SHOW, actor=None, table=BOOKING_TRANSITIONS, expected=B.BOOKED,
                           kind="booking.no_show")
            except DomainError:
                continue
            marked += 1
            until = blocked_until(booking.person, timezone.localdate(now))
            if until is not None:
                notify(person=booking.person, link=_link(booking), subject=booking,
                       text=gettext("您近期多次预约未到，%(date)s 前不能在线预约。") % {"date": full_day(until)})
    return marked


def appointments_tick(today: date) -> tuple[str, set[str]]:
    """At night: no-shows of the slots that ended before today, reminders for tomorrow, slots ahead."""
    no_shows = bookings_mark_no_shows(now=day_bounds(today)[0])
    reminded = bookings_remind(day=today + timedelta(days=1))
    for service in Service.objects.filter(is_active=True).prefetch_related("hours"):
        slots_ensure_ahead(service, today)
    return f"事务预约：记录未到 {no_shows} 人次，发送明日提醒 {reminded} 条。", set()  # zh-only: the command prints Chinese


