"""/appointments: 事务预约 — the services one may book, their free slots, booking and cancelling, one's bookings,
and the desk's day with check-in — the same services, selectors and rules as the pages (/appointments/…)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.appointments import (
    BookIn,
    BookingOut,
    CheckInCodeIn,
    DeskQuery,
    ServiceOut,
    SlotOut,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.appointments import selectors
from yishiting.appointments import services as appointments
from yishiting.appointments.models import Booking, Service, Slot
from yishiting.appointments.rules import is_booker
from yishiting.common.masking import mask_name

router = Router(tags=["事务预约"])


def service_out(s: Service) -> dict:
    return {"id": s.pk, "name": s.name, "kind": s.kind, "area": s.area.name, "place": s.where,
            "slot_minutes": s.slot_minutes, "capacity": s.capacity, "cancel_cutoff_hours": s.cancel_cutoff_hours}


def booking_out(user, b: Booking) -> dict:
    own = is_booker(user, b) or (b.booked_by_id is not None and b.booked_by_id == getattr(
        getattr(user, "person", None), "pk", None))  # the staff member who booked it tells the resident the code
    return {"id": b.pk, "number": b.number, "service": b.service.name, "starts_at": b.slot.starts_at,
            "status": b.status, "code": b.code if own else None, "person": None if is_booker(user, b) else mask_name(b.person.name),
            "note": b.note}


@router.get("/services", response={200: list[ServiceOut], **COMMON_ERRORS}, summary="可预约的事项")
def services(request: HttpRequest):
    return [service_out(s) for s in selectors.services_for(actor(request))]


@router.get("/services/{int:service_id}/slots", response={200: list[SlotOut], **COMMON_ERRORS}, summary="空闲时段")
def slots(request: HttpRequest, service_id: int):
    """近两周（APPOINTMENT_BOOK_AHEAD_DAYS）尚未开始、未约满的时段；只在工作日开放。"""
    service = visible_or_404(selectors.services_for(actor(request)), service_id, "找不到该预约事项。")
    return [{"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "free": s.free}
            for s in selectors.free_slots(service)[:500]]


@router.post("/slots/{int:slot_id}/book", response={201: BookingOut, **WRITE_ERRORS}, summary="预约一个时段")
def book(request: HttpRequest, slot_id: int, payload: BookIn):
    """约满时 409 slot_full；多次未到期间 400 blocked。"""
    user = actor(request)
    slot = visible_or_404(Slot.objects.filter(service__in=selectors.services_for(user)), slot_id, "找不到该时段。")
    person = None
    if payload.person is not None:  # staff booking for a resident: someone in their book-for pool, else 404
        require(user, "appointments.book_for")
        person = visible_or_404(selectors.book_for_pool(user), payload.person, "找不到该居民。")
    booking = appointments.booking_create(actor=user, slot=slot, note=payload.note, person=person)
    return Status(201, booking_out(user, booking))


@router.get("/bookings", response={200: page_of(BookingOut), **COMMON_ERRORS}, summary="我的预约")
def my_bookings(request: HttpRequest, query: Query[PageQuery]):
    user = actor(request)
    page = paginate(selectors.bookings_of(getattr(user, "person", None)), query)
    page["items"] = [booking_out(user, b) for b in page["items"]]
    return page


@router.post("/bookings/{int:booking_id}/cancel", response={200: BookingOut, **WRITE_ERRORS}, summary="取消预约")
def cancel(request: HttpRequest, booking_id: int):
    user = actor(request)
    booking = visible_or_404(selectors.visible_bookings(user), booking_id, "找不到该预约。")
    return booking_out(user, appointments.booking_cancel(actor=user, booking=booking))


@router.get("/desk", response={200: page_of(BookingOut), **COMMON_ERRORS}, summary="窗口：某日的预约")
def desk(request: HttpRequest, query: Query[DeskQuery]):
    user = actor(request)
    require(user, "appointments.desk")
    service = None
    if query.service is not None:
        service = visible_or_404(selectors.desk_services(user), query.service, "找不到该预约事项。")
    page = paginate(selectors.desk_bookings(user, query.day or timezone.localdate(), service), query)
    page["items"] = [booking_out(user, b) for b in page["items"]]
    return page


@router.post("/desk/check-in", response={200: BookingOut, **WRITE_ERRORS}, summary="窗口：按签到码签到")
def check_in(request: HttpRequest, payload: CheckInCodeIn):
    user = actor(request)
    require(user, "appointments.desk")
    return booking_out(user, appointments.booking_check_in_code(actor=user, code=payload.code))
