"""吹哨·应哨 pages: the list (staff: every whistle of their area with filters; blowers: theirs), blowing a whistle
on the phone, a unit's whistles to answer, one whistle with each unit's 报到 and answer and the buttons each
persona may press (report, answer with photos, close with a summary, withdraw), and the answers' photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.areas.selectors import community_depth
from yishiting.common.dates import page_day
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm, scope_for
from yishiting.whistles import selectors
from yishiting.whistles import services as whistles
from yishiting.whistles.links import linked_matter
from yishiting.whistles.models import ResponsePhoto, WhistleResponse
from yishiting.whistles.rules import may_add_unit, may_cancel, may_close, may_respond, responder_org_ids

from ..forms.demands import read_photos
from ..forms.whistles import AddUnitForm, BlowForm, CancelForm, ListFilter, RespondForm, SummaryForm
from ..guard import idempotent
from .common import image_response, paginate, query_pk

PAGES = "web/pages/whistles/"


def _may_list(user) -> bool:
    return has_perm(user, "whistles.view")


@login_required
def whistle_list(request: HttpRequest) -> HttpResponse:
    if not _may_list(request.user):
        raise PermissionDenied("whistles.view")
    form = ListFilter(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    rows = selectors.whistle_list(request.user, status=d.get("status", ""), late=d.get("late", False),
                                  term=d.get("q", ""), mine=d.get("mine", False))
    return render(request, PAGES + "list.html", {
        "form": form, "page": paginate(request, rows), "may_blow": has_perm(request.user, "whistles.blow"),
        "answers": bool(responder_org_ids(request.user))})


def blow_areas(user):
    """Where a whistle may be blown without a demand: the communities and estates (grids) of the blower's scope."""
    depth = community_depth()
    return (Area.objects.filter(scope_for(user, "whistles.blow").q("path"),
                                level__depth__in=[depth, depth + 1]).order_by("path"))


def unit_pool_for(user):
    return selectors.unit_pool(sorted(scope_for(user, "whistles.blow").paths))


def _blow_form(request: HttpRequest) -> BlowForm:
    return BlowForm(request.POST or None, initial={"demand": request.GET.get("number", "")},
                    areas=blow_areas(request.user), units=unit_pool_for(request.user))


@login_required
@idempotent
def whistle_new(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "whistles.blow"):
        raise PermissionDenied("whistles.blow")
    form = _blow_form(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            found = linked_matter(request.user, demand_number=d["demand"], topic_id=query_pk(request, "topic"),
                                  task_id=query_pk(request, "task"))
            if not found and d["area"] is None:
                raise DomainError("area_required", _("请填写诉求编号，或选择发生地。"), details={"field": "area"})
            w = whistles.whistle_blow(actor=request.user, text=d["text"], units=form.units(), days=d["days"],
                                      area=d["area"], **found)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.code) from None
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已吹哨，应哨单位须于 %(day)s 前报到并反馈。") % {"day": page_day(w.deadline)})
            return redirect("web:whistle_detail", pk=w.pk)
    return render(request, PAGES + "new.html", {"form": form, "topic": query_pk(request, "topic"),
                                                "task": query_pk(request, "task")},
                  status=400 if form.errors else 200)


@login_required
def whistle_answer(request: HttpRequest) -> HttpResponse:
    """A unit's handler or 单位代表: the whistles naming their units, waiting ones first."""
    if not has_perm(request.user, "whistles.respond"):
        raise PermissionDenied("whistles.respond")
    return render(request, PAGES + "answer.html", {"page": paginate(request, selectors.to_answer(request.user))})


def _whistle(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.whistles_visible_to(request.user), pk=pk)


@login_required
def whistle_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    w, user, forms = _whistle(request, pk), request.user, forms or {}
    responses = selectors.responses_of(w)
    for r in responses:
        r.may_respond = may_respond(user, r)
        r.form = forms.get(r.pk) or RespondForm(auto_id=f"id_r{r.pk}_%s")
    add_unit = may_add_unit(user, w) and len(responses) < whistles.MAX_UNITS
    return render(request, PAGES + "detail.html", {
        "w": w, "responses": responses, "links": _links(user, w), "may_close": may_close(user, w), "may_cancel": may_cancel(user, w),
        "summary_form": forms.get("close") or SummaryForm(), "cancel_form": forms.get("cancel") or CancelForm(),
        "max_units": whistles.MAX_UNITS, "add_form": (forms.get("add_unit") or AddUnitForm(units=_add_pool(w))) if add_unit else None},
        status=status)


def _add_pool(w):
    return selectors.unit_pool([w.path]).exclude(pk__in=w.responses.values("organization_id"))


def _links(user, w) -> dict[str, bool]:
    """Which of the matter's pages the viewer may open (a unit's handler reads the number, not the demand)."""
    from yishiting.deliberation.selectors.topics import topics_visible_to
    from yishiting.demands.selectors import demands_visible_to
    from yishiting.handling.selectors.tasks import tasks_visible_to

    return {"demand": bool(w.demand_id) and demands_visible_to(user).filter(pk=w.demand_id).exists(),
            "topic": bool(w.topic_id) and topics_visible_to(user).filter(pk=w.topic_id).exists(),
            "task": bool(w.task_id) and tasks_visible_to(user).filter(pk=w.task_id).exists()}


@require_POST
@login_required
@idempotent
def whistle_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("close", "cancel", "add_unit"):
        raise Http404
    w = _whistle(request, pk)
    if action == "add_unit":
        return _add_unit(request, w)
    form = SummaryForm(request.POST) if action == "close" else CancelForm(request.POST)
    if not form.is_valid():
        return whistle_detail(request, pk, {action: form}, status=400)
    try:
        if action == "close":
            whistles.whistle_close(actor=request.user, whistle=w, summary=form.cleaned_data["summary"])
        else:
            whistles.whistle_cancel(actor=request.user, whistle=w, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
        return redirect("web:whistle_detail", pk=w.pk)
    messages.success(request, _("吹哨已办结。") if action == "close" else _("吹哨已撤回，已告知各单位。"))
    return redirect("web:whistle_detail", pk=w.pk)


def _add_unit(request: HttpRequest, w) -> HttpResponse:
    form = AddUnitForm(request.POST, units=_add_pool(w))
    if form.is_valid():
        try:
            r = whistles.whistle_add_unit(actor=request.user, whistle=w, unit=form.cleaned_data["unit"],
                                          days=form.cleaned_data["days"])
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.code) from None
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已增加应哨单位%(unit)s，须于 %(day)s 前报到并反馈。")
                             % {"unit": r.organization.name, "day": page_day(r.deadline)})
            return redirect("web:whistle_detail", pk=w.pk)
    return whistle_detail(request, w.pk, {"add_unit": form}, status=400)


def _response(request: HttpRequest, pk: int) -> WhistleResponse:
    visible = selectors.whistles_visible_to(request.user).values("pk")
    return get_object_or_404(WhistleResponse.objects.select_related("whistle", "organization"), pk=pk,
                             whistle__in=visible)


@require_POST
@login_required
@idempotent
def response_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("arrive", "respond"):
        raise Http404
    r = _response(request, pk)
    form = RespondForm(request.POST, request.FILES, auto_id=f"id_r{r.pk}_%s") if action == "respond" else None
    if form is not None and not form.is_valid():
        return whistle_detail(request, r.whistle_id, {r.pk: form}, status=400)
    try:
        if action == "arrive":
            whistles.response_arrive(actor=request.user, response=r)
        else:
            whistles.response_record(actor=request.user, response=r, note=form.cleaned_data["note"],
                                     photos=read_photos(form.cleaned_data["photos"]))
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        if form is not None and exc.details.get("field") in form.fields:
            form.add_domain_error(exc)
            return whistle_detail(request, r.whistle_id, {r.pk: form}, status=400)
        messages.error(request, exc.message)
        return redirect("web:whistle_detail", pk=r.whistle_id)
    messages.success(request, _("已报到。") if action == "arrive" else _("已应哨，吹哨人会收到处置情况。"))
    return redirect("web:whistle_detail", pk=r.whistle_id)


@login_required
def response_photo(request: HttpRequest, pk: int, photo_pk: int, thumb: bool = False) -> HttpResponse:
    r = _response(request, pk)
    photo = get_object_or_404(ResponsePhoto, pk=photo_pk, response=r)
    if thumb and photo.thumbnail:
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)
