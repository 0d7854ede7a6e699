"""破题报告 and 践诺清单 pages: a cadre writes a report and publishes pledges on the phone, updates their progress
and completes them; experts review reports; the office selects examples; the public page (no login) lists an
area's pledges with each cadre's name and post only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.web.guard import idempotent
from yishiting.web.views.common import paginate

from .. import selectors, services
from ..choices import ReportStatus
from .forms import CompleteForm, PledgeForm, ProgressForm, ReportForm, ReviewForm
from .views import PAGES, tabs


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.reports_visible_to(request.user)
    examples = request.GET.get("show") == "examples"
    if examples:
        rows = rows.filter(status=ReportStatus.PUBLISHED)
    return render(request, PAGES + "reports.html", {
        "page": paginate(request, rows.order_by("-submitted_at", "-pk")), "examples": examples, **tabs(request.user)})


@login_required
@idempotent
def report_new(request: HttpRequest) -> HttpResponse:
    if selectors.own_archive(request.user) is None:
        raise PermissionDenied("cadres.report")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("破题报告已提交，等待专家点评。"))
            return redirect("web:cadres_report", pk=report.pk)
    return render(request, PAGES + "form_page.html", {
        "form": form, "heading": _("写破题报告"), "submit": _("提交"),
        "hint": _("结合辖区治理实情，查摆问题、分析原因、提出破解思路。"), **tabs(request.user)},
                  status=400 if form.errors else 200)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    mentor = selectors.mentor_of(request.user)
    may_review = (mentor is not None and report.path.startswith(mentor.path) and report.status != ReportStatus.PUBLISHED
                  and mentor.person_id != report.cadre.person_id and not report.reviews.filter(reviewer=mentor).exists())
    return render(request, PAGES + "report.html", {
        "report": report, "reviews": list(report.reviews.select_related("reviewer__person")),
        "review_form": ReviewForm() if may_review else None,
        "may_publish": report.status == ReportStatus.REVIEWED and has_perm(request.user, "cadres.manage", report),
        **tabs(request.user)})


@require_POST
@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写 1 到 100 的评分和点评意见。"))
        return redirect("web:cadres_report", pk=report.pk)
    try:
        services.report_review(actor=request.user, report=report, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("点评已保存。"))
    return redirect("web:cadres_report", pk=report.pk)


@require_POST
@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    try:
        services.report_publish(actor=request.user, report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("报告已入选示范，所有干部可以查看。"))
    return redirect("web:cadres_report", pk=report.pk)


@login_required
@idempotent
def pledge_list(request: HttpRequest) -> HttpResponse:
    """我的践诺清单 (the cadre's own, with a new pledge); the office reads its area's."""
    own = selectors.own_archive(request.user)
    if own is None and not has_perm(request.user, "cadres.view"):
        raise PermissionDenied("cadres.pledges")
    form = PledgeForm(request.POST or None) if own is not None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            pledge = services.pledge_publish(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("践诺事项已公布。"))
            return redirect("web:cadres_pledge", pk=pledge.pk)
    rows = selectors.pledges_visible_to(request.user)
    if own is not None and request.GET.get("show") != "area":
        rows = rows.filter(cadre=own)
    return render(request, PAGES + "pledges.html", {
        "form": form, "page": paginate(request, rows.order_by("status", "due_on", "pk")),
        "counts": selectors.pledge_counts(rows), **tabs(request.user)}, status=400 if form and form.errors else 200)


@login_required
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_object_or_404(selectors.pledges_visible_to(request.user).select_related("cadre__area"), pk=pk)
    own = selectors.own_archive(request.user)
    mine = own is not None and own.pk == pledge.cadre_id and pledge.status == "active"
    return render(request, PAGES + "pledge.html", {
        "pledge": pledge, "updates": list(pledge.updates.all()), "mine": mine,
        "progress_form": ProgressForm(initial={"progress": pledge.progress}) if mine else None,
        "complete_form": CompleteForm() if mine else None, "today": timezone.localdate(), **tabs(request.user)})


def _pledge_post(request: HttpRequest, pk: int, form_class, service, done: str) -> HttpResponse:
    pledge = get_object_or_404(selectors.pledges_visible_to(request.user), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("web:cadres_pledge", pk=pledge.pk)
    try:
        service(actor=request.user, pledge=pledge, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("web:cadres_pledge", pk=pledge.pk)


@require_POST
@login_required
def pledge_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _pledge_post(request, pk, ProgressForm, services.pledge_update, _("进展已公布。"))


@require_POST
@login_required
def pledge_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _pledge_post(request, pk, CompleteForm, services.pledge_complete, _("践诺事项已兑现。"))


def public_pledges(request: HttpRequest, area_pk: int) -> HttpResponse:
    """践诺公示 of an area (no login): each cadre's name and post, their pledges and progress — nothing else."""
    area = get_object_or_404(Area.objects.filter(is_active=True), pk=area_pk)
    rows = selectors.public_pledges(area.path)
    return render(request, PAGES + "public.html", {
        "area": area, "page": paginate(request, rows), "counts": selectors.pledge_counts(rows),
        "today": timezone.localdate()})
