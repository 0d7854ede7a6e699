"""幸福食堂 pages for the canteen's staff and the community: the day's orders board (accept, assign a courier, hand
over) with the daily counts, eligibility registrations verified by community staff (who and when), and the subsidy
ledger — per order and per month, exportable to XLSX ("企业让一点、个人付一点")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Person
from yishiting.canteens import selectors
from yishiting.canteens import services as canteens
from yishiting.canteens.choices import Fulfilment
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.common.xlsx import Column, xlsx_of

from ..forms.canteens import AssignForm, DayForm, MonthForm, RegistrationForm
from ..guard import idempotent
from .common import paginate, permission_required

PAGES = "web/pages/canteens/"


@permission_required("canteens.work")
def canteen_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The day's orders (those waiting first) with the buttons, and the day's counts."""
    canteen = get_object_or_404(selectors.canteens_worked_by(request.user), pk=pk)
    day_form = DayForm(request.GET or None)
    day = day_form.day_or_today()
    couriers = list(canteens.couriers_for(canteen)[:100]) if canteen.delivers else []
    return render(request, PAGES + "board.html", {
        "canteen": canteen, "day": day, "day_form": day_form, "orders": list(selectors.board(canteen, day)[:300]),
        "counts": selectors.daily_counts(canteen, day), "menu": list(selectors.menu_of(canteen, day)),
        "assign_form": AssignForm(couriers=couriers), "delivery": Fulfilment.DELIVERY})


@permission_required("canteens.eligibility")
@idempotent
def eligibility_list(request: HttpRequest) -> HttpResponse:
    """Register a status the record cannot show (by ID number, within one's area), and verify those waiting."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = Person.objects.filter(id_number=d["id_number"]).first()
        try:
            if person is None or not has_perm(request.user, "canteens.eligibility", person):
                raise DomainError("person_not_found", _("本辖区没有登记这个身份证号的居民。"), details={"field": "person"})
            canteens.registration_file(actor=request.user, person=person, eligibility=d["eligibility"], note=d["note"],
                                       valid_until=d["valid_until"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已登记，核实后用餐即享优惠。"))
            return redirect("web:canteen_eligibility")
    rows = selectors.registrations_visible_to(request.user)
    return render(request, PAGES + "eligibility.html", {
        "form": form, "waiting": list(rows.filter(status="pending")[:100]),
        "page": paginate(request, rows.exclude(status="pending"))}, status=400 if form.errors else 200)


DECISIONS = {"verify": canteens.registration_verify, "reject": canteens.registration_reject,
             "revoke": canteens.registration_revoke}


@require_POST
@permission_required("canteens.eligibility")
def eligibility_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DECISIONS:
        raise Http404
    registration = get_object_or_404(selectors.registrations_visible_to(request.user), pk=pk)
    try:
        DECISIONS[action](actor=request.user, registration=registration)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录。"))
    return redirect("web:canteen_eligibility")


@permission_required("canteens.ledger")
def ledger(request: HttpRequest) -> HttpResponse:
    """The month's totals per canteen and its orders: listed, paid by the person, given up by the canteen."""
    form = MonthForm(request.GET or None)
    month = form.month_or_current()
    totals = selectors.ledger_totals(request.user, month)
    return render(request, PAGES + "ledger.html", {
        "form": form, "month": month, "totals": totals, "page": paginate(request, selectors.ledger_orders(request.user, month)),
        "sum_listed": sum(t.listed for t in totals), "sum_paid": sum(t.paid for t in totals),
        "sum_given_up": sum(t.given_up for t in totals), "sum_orders": sum(t.orders for t in totals)})


LEDGER_COLUMNS = [  # the 台账 stays Chinese (docs/i18n.md: printable records)
    Column("食堂", 24, lambda t: t.canteen.name),  # zh-only
    Column("社区", 18, lambda t: t.canteen.area.name),  # zh-only
    Column("订单数", 10, lambda t: t.orders),  # zh-only
    Column("享受优惠", 10, lambda t: t.discounted),  # zh-only
    Column("标价合计（元）", 16, lambda t: t.listed),  # zh-only
    Column("个人支付（元）", 16, lambda t: t.paid),  # zh-only
    Column("食堂让利（元）", 16, lambda t: t.given_up),  # zh-only
]


@permission_required("canteens.ledger")
def ledger_export(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    month = form.month_or_current()
    body = xlsx_of(selectors.ledger_totals(request.user, month), LEDGER_COLUMNS, title=f"{month:%Y-%m} 助餐让利台账")  # zh-only
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="canteen-ledger-{month:%Y-%m}.xlsx"'
    return response
