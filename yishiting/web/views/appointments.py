"""事务预约 pages: the resident's services, one service's free slots (book), my bookings (code, cancel); the desk's
day — bookings per service, check-in by row or by code, no-shows — printable."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.appointments import selectors
from yishiting.appointments import services as appointments
from yishiting.appointments.choices import BookingStatus
from yishiting.appointments.models import Slot
from yishiting.appointments.rules import is_booker
from yishiting.areas.selectors import person_for_user
from yishiting.common.dates import page_moment
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm

from ..forms.appointments import BookForForm, BookForm, CodeForm, DeskFilter
from ..guard import idempotent
from .common import permission_required

PAGES = "web/pages/appointments/"


def _may_use(user) -> bool:
    return has_perm(user, "appointments.book") or has_perm(user, "appointments.desk")


@login_required
def appointments_home(request: HttpRequest) -> HttpResponse:
    if not _may_use(request.user):
        raise PermissionDenied("appointments.book")
    person = person_for_user(request.user)
    return render(request, PAGES + "home.html", {
        "services": selectors.services_for(request.user), "blocked_until": person and selectors.blocked_until(person),
        "may_desk": has_perm(request.user, "appointments.desk")})


@login_required
def service_detail(request: HttpRequest, pk: int, form: BookForm | None = None, status: int = 200,
                   for_form: BookForForm | None = None) -> HttpResponse:
    if not _may_use(request.user):
        raise PermissionDenied("appointments.book")
    service = get_object_or_404(selectors.services_for(request.user).prefetch_related("hours"), pk=pk)
    slots = list(selectors.free_slots(service))
    days = [(day, list(rows)) for day, rows in groupby(slots, key=lambda s: timezone.localdate(s.starts_at))]
    return render(request, PAGES + "service.html", {
        "service": service, "days": days, "form": form or BookForm(),
        "for_form": for_form or _book_for_form(request, slots, None),
        "may_book": has_perm(request.user, "appointments.book")}, status=status)


def _book_for_form(request: HttpRequest, slots: list, data) -> BookForForm | None:
    """Staff's 代居民预约 form (None for anyone else): the people picker over whom they may book for, the free
    slots."""
    if not has_perm(request.user, "appointments.book_for"):
        return None
    form = BookForForm(data, slots=[(s.pk, f"{page_moment(s.starts_at)}–{timezone.localtime(s.ends_at):%H:%M}")
                                    for s in slots])
    form.fields["person"].configure(selectors.book_for_pool(request.user))
    form.fields["person"].answer_posted_search(data, "person", request.user, request=request)
    return form


@require_POST
@permission_required("appointments.book_for")
@idempotent
def service_book_for(request: HttpRequest, pk: int) -> HttpResponse:
    """代居民预约: staff book a free slot of the service for a resident picked by name (an elder without a phone);
    the booking is the resident's, recorded as booked by the staff member."""
    service = get_object_or_404(selectors.services_for(request.user), pk=pk)
    slots = list(selectors.free_slots(service))
    form = _book_for_form(request, slots, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        slot = next(s for s in slots if s.pk == d["slot"])
        try:
            booking = appointments.booking_create(actor=request.user, slot=slot, note=d["note"], person=d["person"])
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.code) from None
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已为%(who)s预约%(when)s，签到码 %(code)s，请告知居民。") % {
                "who": booking.person, "when": page_moment(booking.slot.starts_at), "code": booking.code})
            return redirect("web:service_detail", pk=service.pk)
    return service_detail(request, service.pk, for_form=form, status=400)


@require_POST
@permission_required("appointments.book")
@idempotent
def slot_book(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(Slot.objects.filter(service__in=selectors.services_for(request.user)), pk=pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        return service_detail(request, slot.service_id, form, status=400)
    try:
        booking = appointments.booking_create(actor=request.user, slot=slot, note=form.cleaned_data["note"])
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
        return redirect("web:service_detail", pk=slot.service_id)
    messages.success(request, _("预约成功，签到码 %(code)s，前一天会提醒您。") % {"code": booking.code})
    return redirect("web:my_bookings")


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    rows = list(selectors.bookings_of(person)[:50])
    now = timezone.now()
    return render(request, PAGES + "mine.html", {
        "upcoming": [b for b in rows if b.status == BookingStatus.BOOKED and b.slot.ends_at > now][::-1],
        "past": [b for b in rows if not (b.status == BookingStatus.BOOKED and b.slot.ends_at > now)],
        "blocked_until": person and selectors.blocked_until(person)})


ACTIONS = {"cancel", "check_in"}


@require_POST
@login_required
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    booking = get_object_or_404(selectors.visible_bookings(request.user), pk=pk)
    try:
        if action == "cancel":
            appointments.booking_cancel(actor=request.user, booking=booking)
            done = _("预约已取消。")
        else:
            appointments.booking_check_in(actor=request.user, booking=booking)
            done = _("已签到。")
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    if is_booker(request.user, booking) and action == "cancel":
        return redirect("web:my_bookings")
    return redirect("web:appointment_desk")


@permission_required("appointments.desk")
def appointment_desk(request: HttpRequest, code_form: CodeForm | None = None, status: int = 200) -> HttpResponse:
    """The day's bookings per service (default today), to work the desk and to print."""
    services = list(selectors.desk_services(request.user))
    filters = DeskFilter(request.GET or None, services=services)
    if request.GET and not filters.is_valid():
        return render(request, PAGES + "desk.html", {"filters": filters, "groups": [], "day": timezone.localdate(),
                                                     "code_form": CodeForm()}, status=400)
    data = filters.cleaned_data if request.GET else {}
    day = data.get("day") or timezone.localdate()
    service = next((s for s in services if s.pk == data.get("service")), None)
    rows = list(selectors.desk_bookings(request.user, day, service))
    groups = [(name, list(items)) for name, items in groupby(rows, key=lambda b: b.service.name)]
    counts = {value: sum(1 for b in rows if b.status == value) for value in BookingStatus.values}
    return render(request, PAGES + "desk.html", {
        "filters": filters, "groups": groups, "day": day, "counts": counts, "today": day == timezone.localdate(),
        "code_form": code_form or CodeForm()}, status=status)


@require_POST
@permission_required("appointments.desk")
def desk_check_in(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            booking = appointments.booking_check_in_code(actor=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("%(service)s %(time)s 的预约已签到。") % {
                "service": booking.service.name, "time": f"{timezone.localtime(booking.slot.starts_at):%H:%M}"})
            return redirect("web:appointment_desk")
    request.GET = request.GET.copy()
    request.GET.clear()
    return appointment_desk(request, form, status=400)


