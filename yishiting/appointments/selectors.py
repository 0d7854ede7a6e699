"""Reads of 事务预约: the services a resident may book, the free slots, one's bookings, the desk's day, and
whether someone's no-shows block online booking (settings APPOINTMENT_*, docs/appointments.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from yishiting.areas.models import PATH_STEP
from yishiting.common.rules import scope_for

from .choices import BookingStatus
from .models import Booking, Service, Slot


@dataclass(frozen=True)
class Policy:
    book_ahead_days: int
    no_show_limit: int
    no_show_days: int
    block_days: int


def policy() -> Policy:
    """How far ahead one books; N no-shows within a period block online booking for some days."""
    return Policy(book_ahead_days=int(getattr(settings, "APPOINTMENT_BOOK_AHEAD_DAYS", 14)),
                  no_show_limit=int(getattr(settings, "APPOINTMENT_NO_SHOW_LIMIT", 3)),
                  no_show_days=int(getattr(settings, "APPOINTMENT_NO_SHOW_DAYS", 90)),
                  block_days=int(getattr(settings, "APPOINTMENT_BLOCK_DAYS", 30)))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _ancestors(paths: set[str]) -> set[str]:
    return {p[:n] for p in paths for n in range(PATH_STEP, len(p) + 1, PATH_STEP)}


def services_for(user) -> QuerySet[Service]:
    """Active services a resident may book: those of their community and of the street (district) above it;
    desk staff also see every service of their subtree."""
    book, desk = scope_for(user, "appointments.book"), scope_for(user, "appointments.desk")
    query = Q() if book.everything or desk.everything else Q(path__in=_ancestors(book.paths)) | desk.q("path")
    return Service.objects.filter(query, is_active=True).select_related("area", "venue").order_by("path", "kind", "name")


def free_slots(service: Service, now: datetime | None = None) -> QuerySet[Slot]:
    """Slots of the next book-ahead days not yet started and not full, in time order."""
    now = now or timezone.now()
    last = day_bounds(timezone.localdate(now) + timedelta(days=policy().book_ahead_days))[1]
    return Slot.objects.filter(service=service, starts_at__gt=now, starts_at__lt=last, booked__lt=F("capacity"))


def bookings_of(person) -> QuerySet[Booking]:
    if person is None:
        return Booking.objects.none()
    return (Booking.objects.filter(person=person).select_related("slot", "service", "service__venue")
            .order_by("-slot__starts_at", "-pk"))


def desk_bookings(user, day: date, service: Service | None = None) -> QuerySet[Booking]:
    """The day's bookings (not cancelled) of the services in the desk's subtree, by service and time."""
    start, end = day_bounds(day)
    rows = Booking.objects.filter(scope_for(user, "appointments.desk").q("path"), slot__starts_at__gte=start,
                                  slot__starts_at__lt=end).exclude(status=BookingStatus.CANCELLED)
    if service is not None:
        rows = rows.filter(service=service)
    return rows.select_related("slot", "service", "person").order_by("service__name", "slot__starts_at", "pk")


def desk_services(user) -> QuerySet[Service]:
    return Service.objects.filter(scope_for(user, "appointments.desk").q("path")).order_by("path", "name")


def blocked_until(person, today: date | None = None) -> date | None:
    """The last day online booking is closed to `person` because of no-shows (None: may book)."""
    today, rule = today or timezone.localdate(), policy()
    since = day_bounds(today - timedelta(days=rule.no_show_days))[0]
    starts = list(Booking.objects.filter(person=person, status=BookingStatus.NO_SHOW, slot__starts_at__gte=since)
                  .order_by("-slot__starts_at").values_list("slot__starts_at", flat=True)[: rule.no_show_limit])
    if len(starts) < rule.no_show_limit:
        return None
    until = timezone.localdate(starts[0]) + timedelta(days=rule.block_days)
    return until if until >= today else None


def visible_bookings(user) -> QuerySet[Booking]:
    """One's own bookings and, for desk staff, those of their subtree."""
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    query = scope_for(user, "appointments.desk").q("path")
    person = getattr(user, "person", None)
    if person is not None:
        query |= Q(person=person)
    return Booking.objects.filter(query).select_related("slot", "service", "service__venue", "person")


def book_for_pool(user):
    """Whom staff may book for (an elder without a phone): people where they hold appointments.book_for — the
    people picker searches it (name, pinyin, building/unit, the mobile's last digits)."""
    from yishiting.areas.models import Person

    return Person.objects.filter(scope_for(user, "appointments.book_for").q("path")).select_related("household", "area")
