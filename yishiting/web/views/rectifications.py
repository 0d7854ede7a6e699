"""整改清单 pages: the list (search, pagination) with the items the reader's unit has to do on top, issuing a
list, one list with each item's state, reports, photos and the buttons each persona may press (acknowledge,
report, submit, accept, return, withdraw), the printable PDF and the XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area, Organization
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.oversight import selectors
from yishiting.oversight.documents import rectification_pdf, rectification_xlsx
from yishiting.oversight.models import RectificationItem, RectificationPhoto
from yishiting.oversight.rules import may_decide, may_work
from yishiting.oversight.services import rectification as svc

from ..forms.demands import read_photos
from ..forms.oversight import IssueForm, ListFilter, NoteForm, ReportForm
from ..guard import idempotent
from .common import image_response, paginate_capped, permission_required

PAGES = "web/pages/oversight/"


@permission_required("oversight.rectifications_view")
def rectification_list(request: HttpRequest) -> HttpResponse:
    form = ListFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    lists = selectors.list_search(selectors.lists_visible_to(request.user), text=data.get("q", ""),
                                  status=data.get("status", ""))
    return render(request, PAGES + "rectifications.html", {
        "form": form, "page": paginate_capped(request, lists), "mine": selectors.my_items(request.user)[:20],
        "may_issue": has_perm(request.user, "oversight.rectify"), "today": timezone.localdate()})


def _targets(user) -> list[tuple[str, str]]:
    communities, units = selectors.issuable_targets(user)
    return [(f"area:{a.pk}", a.name) for a in communities] + [(f"org:{o.pk}", o.name) for o in units]


def _target(value: str) -> dict:
    kind, _sep, pk = value.partition(":")
    if kind == "area":
        return {"target_area": Area.objects.get(pk=pk)}
    return {"target_organization": Organization.objects.get(pk=pk)}


@permission_required("oversight.rectify")
@idempotent
def rectification_new(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST or None, targets=_targets(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rect = svc.rectification_issue(actor=request.user, title=d["title"], basis=d["basis"],
                                           items=[svc.ItemInput(text, days) for text, days in form.items()],
                                           **_target(d["target"]))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("整改清单已下发（%(number)s），责任单位已收到通知。") % {"number": rect.number})
            return redirect("web:rectification_detail", pk=rect.pk)
    return render(request, PAGES + "rectification_new.html", {"form": form}, status=400 if form.errors else 200)


def _list(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.lists_visible_to(request.user), pk=pk)


@permission_required("oversight.rectifications_view")
def rectification_detail(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    rect = _list(request, pk)
    items = [(item, may_work(request.user, item), may_decide(request.user, item),
              ReportForm(auto_id=f"id_item{item.pk}_%s")) for item in selectors.items_of(rect)]
    return render(request, PAGES + "rectification_detail.html", {
        "rect": rect, "items": items, "today": timezone.localdate()}, status=status)


ACTIONS = {"acknowledge", "report", "submit", "accept", "return", "cancel"}


def _act(request: HttpRequest, item: RectificationItem, action: str, data: dict) -> str:
    user = request.user
    if action == "acknowledge":
        svc.rectification_acknowledge(actor=user, item=item)
        return _("已签收，请在期限内整改到位。")
    if action in ("report", "submit"):
        photos = read_photos(data.get("photos") or [])
        if action == "report":
            svc.rectification_report(actor=user, item=item, text=data["text"], photos=photos)
            return _("整改进展已报告。")
        svc.rectification_submit(actor=user, item=item, text=data["text"], photos=photos)
        return _("已提交销号，等待下发单位验收。")
    if action == "accept":
        svc.rectification_accept(actor=user, item=item, note=data.get("note", ""))
        return _("已验收销号。")
    if action == "return":
        svc.rectification_return(actor=user, item=item, reason=data.get("note", ""))
        return _("已退回责任单位重新整改。")
    svc.rectification_cancel(actor=user, item=item, reason=data.get("note", ""))
    return _("该整改事项已撤销。")


@require_POST
@permission_required("oversight.rectifications_view")
@idempotent
def rectification_item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    item = get_object_or_404(RectificationItem.objects.filter(list__in=selectors.lists_visible_to(request.user)), pk=pk)
    form = (ReportForm if action in ("report", "submit") else NoteForm)(request.POST, request.FILES or None)
    if action != "acknowledge" and not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("web:rectification_detail", pk=item.list_id)
    try:
        messages.success(request, _act(request, item, action, getattr(form, "cleaned_data", {})))
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    return redirect("web:rectification_detail", pk=item.list_id)


@permission_required("oversight.rectifications_view")
def rectification_photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    photo = get_object_or_404(RectificationPhoto.objects.filter(
        report__item__list__in=selectors.lists_visible_to(request.user)), pk=pk)
    if thumb and photo.thumbnail:
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)


@permission_required("oversight.rectifications_view")
def rectification_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The printable 整改清单 (PDF) or its 台账 (XLSX), in Chinese like every printed record."""
    rect = _list(request, pk)
    if fmt == "pdf":
        response = HttpResponse(rectification_pdf(rect), content_type="application/pdf")
    else:
        response = HttpResponse(rectification_xlsx(rect),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="rectification-{rect.number}.{fmt}"'
    return response
