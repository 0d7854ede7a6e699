"""Service-menu pages (居民点单·社区派单·党员接单·组织晒单): the resident's menu and orders, one order with the
buttons each person may press, the provider's inbox, the staff's dispatch board, and the public showcase."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.web.forms.demands import read_photos
from yishiting.web.guard import idempotent
from yishiting.web.views.common import image_response, paginate, permission_required, query_pk

from .. import selectors
from .. import services as part
from ..choices import OrderStatus
from ..models import MenuItem, OrderPhoto
from ..rules import (
    is_resident,
    may_accept,
    may_cancel,
    may_dispatch,
    may_rate,
    may_report,
    person_of,
    provider_ids,
)
from .forms import DispatchForm, OrderForm, RateForm, ReportForm

PAGES = "participation/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """为民服务: my community's menu, my orders, services to rate, and the way to each role's own page."""
    user = request.user
    if not has_perm(user, "participation.view") and not provider_ids(user):
        raise PermissionDenied("participation.view")
    person = person_of(user)
    return render(request, PAGES + "home.html", {
        "items": selectors.menu_items(part.community_for(person)), "may_order": has_perm(user, "participation.order"),
        "may_order_for": has_perm(user, "participation.order_for"),
        "mine": selectors.orders_of(person)[:20], "to_rate": selectors.records_to_rate(person)[:10],
        "provider": bool(provider_ids(user)), "staff": has_perm(user, "participation.dispatch"),
        "units": has_perm(user, "participation.units") or bool(selectors.units_visible_to(user)[:1]),
        "may_register": has_perm(user, "participation.register"), "registration": selectors.registration_of(person)})


@login_required
@idempotent
def order_new(request: HttpRequest) -> HttpResponse:
    """点单 — a resident's own, or staff's for a resident without a phone (picked by name, pinyin, building/unit
    or the mobile's last digits): the order is the resident's, recorded as placed by the staff member."""
    user = request.user
    own, for_others = has_perm(user, "participation.order"), has_perm(user, "participation.order_for")
    if not (own or for_others):
        raise PermissionDenied("participation.order")
    item_pk = query_pk(request, "item")
    item = get_object_or_404(MenuItem.objects.select_related("provider__person", "provider__organization"),
                             pk=item_pk, is_active=True) if item_pk is not None else None
    form = OrderForm(request.POST or None, item=item, for_others=for_others, own=own,
                     items=selectors.menu_items_for_staff(user) if for_others else None)
    if for_others:
        form.fields["resident"].configure(selectors.order_for_pool(user))
        form.fields["resident"].answer_posted_search(request.POST or None, "resident", user, request=request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = part.order_place(actor=user, item=item or d.get("menu_item"), title=d.get("title", ""),
                                     text=d["text"], wanted=d["wanted"], resident=d.get("resident"))
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.code) from None
            form.add_domain_error(exc)
        else:
            if order.placed_by_id:
                messages.success(request, _("已为%(who)s点单，社区将尽快派单。") % {"who": order.resident})
            else:
                messages.success(request, _("已点单，社区将尽快派单。"))
            return redirect("web:participation_order", pk=order.pk)
    return render(request, PAGES + "order_new.html", {"form": form, "item": item, "for_others": for_others},
                  status=400 if form.errors else 200)


def _order(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.orders_visible_to(request.user), pk=pk)


@login_required
def order_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    order, user, forms = _order(request, pk), request.user, forms or {}
    dispatch = may_dispatch(user, order)
    return render(request, PAGES + "order.html", {
        "o": order, "photos": list(order.photos.all()), "resident": is_resident(user, order),
        "sees_resident": dispatch or has_perm(user, "participation.dispatch", order) or order.served_by_id == getattr(
            person_of(user), "pk", None) or may_accept(user, order),
        "offered": list(order.offered_to.select_related("person", "organization")),
        "may_accept": may_accept(user, order), "may_report": may_report(user, order), "may_rate": may_rate(user, order),
        "may_cancel": may_cancel(user, order), "may_dispatch": dispatch,
        "dispatch_form": forms.get("dispatch") or (DispatchForm(providers=selectors.providers_of(order.community))
                                                   if dispatch else None),
        "report_form": forms.get("report") or ReportForm(), "rate_form": forms.get("rate") or RateForm()},
        status=status)


ACTIONS = {"dispatch", "accept", "report", "rate", "cancel"}


@require_POST
@login_required
@idempotent
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    order = _order(request, pk)
    form = _action_form(request, order, action)
    if form is not None and not form.is_valid():
        return order_detail(request, pk, {action: form}, status=400)
    try:
        done = _act(request, order, action, form)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
        return redirect("web:participation_order", pk=order.pk)
    messages.success(request, done)
    return redirect("web:participation_order", pk=order.pk)


def _action_form(request: HttpRequest, order, action: str):
    if action == "dispatch":
        return DispatchForm(request.POST, providers=selectors.providers_of(order.community))
    if action == "report":
        return ReportForm(request.POST, request.FILES)
    return RateForm(request.POST) if action == "rate" else None


def _act(request: HttpRequest, order, action: str, form) -> str:
    user, d = request.user, getattr(form, "cleaned_data", {})
    if action == "dispatch":
        part.order_dispatch(actor=user, order=order, providers=list(d["providers"]))
        return _("已派单，服务方接单后会通知居民。")
    if action == "accept":
        part.order_accept(actor=user, order=order)
        return _("已接单，请按约定时间上门服务。")
    if action == "report":
        part.order_report(actor=user, order=order, report=part.Report(text=d["text"], hours=d["hours"],
                                                                        photos=read_photos(d["photos"])))
        return _("服务情况已反馈，等待居民确认。")
    if action == "rate":
        part.order_rate(actor=user, order=order, stars=d["stars"], comment=d["comment"])
        return _("感谢您的评价。")
    part.order_cancel(actor=user, order=order)
    return _("订单已取消。")


@login_required
def order_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    order = _order(request, pk)
    photo = get_object_or_404(OrderPhoto, pk=photo_pk, order=order)
    return image_response(photo.thumbnail or photo.image, "image/jpeg" if photo.thumbnail else photo.content_type)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """接单: the orders offered to me (or my unit) and those I took."""
    if not provider_ids(request.user):
        raise PermissionDenied("participation.provider")
    rows = list(selectors.inbox(request.user)[:100])
    return render(request, PAGES + "inbox.html", {
        "waiting": [o for o in rows if o.status == OrderStatus.DISPATCHED],
        "taken": [o for o in rows if o.status != OrderStatus.DISPATCHED]})


BOARD_STATUSES = [OrderStatus.SUBMITTED, OrderStatus.ESCALATED, OrderStatus.DISPATCHED, OrderStatus.ACCEPTED,
                  OrderStatus.REPORTED, OrderStatus.RATED, OrderStatus.CANCELLED]


@permission_required("participation.dispatch")
def board(request: HttpRequest) -> HttpResponse:
    """派单台: what waits for the staff (待派单, 超时转社区) first, then what is under way."""
    status = request.GET.get("status") or None
    if status is not None and status not in OrderStatus.values:
        raise Http404
    counts = selectors.board_counts(request.user)
    tabs = [(s.value, s.label, counts.get(s.value, 0)) for s in BOARD_STATUSES]
    rows = selectors.board(request.user, status).order_by("status", "created_at", "pk")
    return render(request, PAGES + "board.html", {"page": paginate(request, rows), "tabs": tabs, "status": status})


def showcase(request: HttpRequest) -> HttpResponse:
    """晒单 (public): each provider's rated services, how many and how well rated; nobody served is named."""
    return render(request, PAGES + "showcase.html", {"page": paginate(request, selectors.showcase())})


def _sees_photos(request: HttpRequest, community) -> bool:
    """A service photo may show a face or a home: the public showcase shows it only to people signed in who
    may see the provider's community (its residents, its staff), never to anyone on the internet."""
    return request.user.is_authenticated and has_perm(request.user, "participation.view", community)


def showcase_provider(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(selectors.showcase(), pk=pk)
    return render(request, PAGES + "showcase_provider.html", {
        "provider": provider, "page": paginate(request, selectors.showcase_orders(provider)),
        "show_photos": _sees_photos(request, provider.community)})


def showcase_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A rated service's thumbnail on the showcase, for those `_sees_photos` lets (the stored image has no EXIF:
    demands.photos); anyone else gets the same 404 as for a photo that does not exist."""
    photo = get_object_or_404(OrderPhoto.objects.filter(order__status=OrderStatus.RATED)
                              .select_related("order__provider__community"), pk=photo_pk, order_id=pk)
    provider = photo.order.provider
    if not photo.thumbnail or provider is None or not _sees_photos(request, provider.community):
        raise Http404
    return image_response(photo.thumbnail, "image/jpeg")

