"""Training pages of the office (desktop): programmes, a programme's activities and cadres, attendance with
credits, and the monthly ranking with 优秀学员 and the 约谈 of those at the bottom."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.web.guard import idempotent
from yishiting.web.views.common import paginate, permission_required

from .. import selectors, services
from ..models import Activity, Programme
from .forms import ActivityForm, EnrolForm, ProgrammeForm, TalkForm
from .views import PAGES, office_areas, tabs


def _month(value: str | None, programme: Programme) -> date:
    try:
        return date.fromisoformat(f"{value}-01") if value else _default_month(programme)
    except ValueError:
        return _default_month(programme)


def _default_month(programme: Programme) -> date:
    today = timezone.localdate()
    return min(max(today, programme.starts_on), programme.ends_on).replace(day=1)


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.programmes_visible_to(request.user).order_by("-starts_on", "-pk")
    return render(request, PAGES + "programmes.html", {"page": paginate(request, rows), **tabs(request.user)})


@permission_required("cadres.manage")
@idempotent
def programme_new(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, areas=office_areas(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("培训班已创建。"))
            return redirect("web:cadres_programme", pk=programme.pk)
    return render(request, PAGES + "form_page.html", {
        "form": form, "heading": _("新建培训班"), "submit": _("创建"), **tabs(request.user)},
                  status=400 if form.errors else 200)


def _programme(request: HttpRequest, pk: int) -> Programme:
    return get_object_or_404(selectors.programmes_visible_to(request.user), pk=pk)


def _enrol_form(request: HttpRequest, programme: Programme, data=None) -> EnrolForm:
    return EnrolForm(data, people=selectors.trainee_pool(request.user, programme), programme=programme)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    manage = has_perm(request.user, "cadres.manage", programme)
    return render(request, PAGES + "programme.html", {
        "programme": programme, "manage": manage,
        "activities": list(programme.activities.order_by("held_on", "pk")),
        "cadres": list(programme.cadres.select_related("person", "area").order_by("person__name", "pk")),
        "enrol_form": _enrol_form(request, programme) if manage else None,
        "activity_form": ActivityForm() if manage else None, **tabs(request.user)})


@require_POST
@permission_required("cadres.manage")
def programme_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = _enrol_form(request, programme, request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.get("person", [])), _("请选择学员。")))
    else:
        try:
            services.programme_enrol(actor=request.user, programme=programme,
                                     cadre=form.cleaned_data["person"].cadre)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("学员已加入培训班。"))
    return redirect("web:cadres_programme", pk=programme.pk)


@require_POST
@permission_required("cadres.manage")
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写课程活动的类型、名称、日期和学分。"))
        return redirect("web:cadres_programme", pk=programme.pk)
    try:
        activity = services.activity_add(actor=request.user, programme=programme, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:cadres_programme", pk=programme.pk)
    messages.success(request, _("课程活动已添加，请登记出勤。"))
    return redirect("web:cadres_activity", pk=activity.pk)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance of an activity: the office ticks who came (each earns the activity's credits)."""
    activity = get_object_or_404(Activity.objects.filter(programme__in=selectors.programmes_visible_to(request.user))
                                 .select_related("programme"), pk=pk)
    manage = has_perm(request.user, "cadres.manage", activity.programme)
    present = {a.cadre_id: a for a in activity.attendances.all()}
    if request.method == "POST" and manage:
        chosen = set(request.POST.getlist("cadre"))
        recorded = 0
        for cadre in activity.programme.cadres.all():
            if str(cadre.pk) in chosen and cadre.pk not in present:
                try:
                    services.attendance_record(actor=request.user, activity=activity, cadre=cadre)
                    recorded += 1
                except DomainError as exc:
                    messages.error(request, exc.message)
        messages.success(request, _("已登记 %(n)s 人出勤。") % {"n": recorded})
        return redirect("web:cadres_activity", pk=activity.pk)
    cadres = activity.programme.cadres.select_related("person").order_by("person__name", "pk")
    return render(request, PAGES + "activity.html", {
        "activity": activity, "manage": manage,
        "rows": [(c, present.get(c.pk)) for c in cadres], **tabs(request.user)})


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not has_perm(request.user, "cadres.view", programme):
        return redirect("web:cadres_programme", pk=programme.pk)
    month = _month(request.GET.get("month"), programme)
    months, day = [], programme.starts_on.replace(day=1)
    while day <= programme.ends_on and len(months) < 24:
        months.append(day)
        day = selectors.month_bounds(day)[1]
    return render(request, PAGES + "ranking.html", {
        "programme": programme, "month": month, "months": months, "rows": selectors.ranking(programme, month),
        "manage": has_perm(request.user, "cadres.manage", programme), "talk_form": TalkForm(), **tabs(request.user)})


def _back(programme: Programme, month: date) -> HttpResponse:
    return redirect(reverse("web:cadres_ranking", args=[programme.pk]) + f"?month={month:%Y-%m}")


def _cadre_of(programme: Programme, request: HttpRequest):
    return get_object_or_404(programme.cadres.all(), pk=request.POST.get("cadre") or 0)


@require_POST
@permission_required("cadres.manage")
def honour(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    month = _month(request.POST.get("month"), programme)
    try:
        services.honour_award(actor=request.user, programme=programme, cadre=_cadre_of(programme, request),
                              month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已评为本月优秀学员。"))
    return _back(programme, month)


@require_POST
@permission_required("cadres.manage")
def talk(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    month = _month(request.POST.get("month"), programme)
    form = TalkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写约谈情况。"))
        return _back(programme, month)
    try:
        services.talk_record(actor=request.user, programme=programme, cadre=_cadre_of(programme, request),
                             month=month, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("约谈记录已保存。"))
    return _back(programme, month)
