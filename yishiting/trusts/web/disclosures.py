"""The 业委会's quarterly disclosure pages: one quarter's public income and its use (owners, phone), and for the
committee's representative a new quarter, its lines and the publish button (desktop)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.web.guard import idempotent
from yishiting.web.views.common import run_and_tell

from .. import selectors
from .. import services as trust
from ..choices import DisclosureStatus
from ..rules import committee_of
from .forms import DisclosureForm, LineForm

PAGES = "trusts/"


@login_required
def disclosure(request: HttpRequest, pk: int, line_form: LineForm | None = None, status: int = 200) -> HttpResponse:
    d = get_object_or_404(selectors.disclosures_visible_to(request.user), pk=pk)
    editable = d.status == DisclosureStatus.DRAFT and committee_of(request.user, d.estate) is not None
    lines = list(d.lines.all())
    return render(request, PAGES + "disclosure.html", {
        "d": d, "income": [x for x in lines if x.kind == "income"], "use": [x for x in lines if x.kind == "use"],
        "totals": selectors.disclosure_totals(d), "editable": editable,
        "line_form": line_form or LineForm()}, status=status)


@require_POST
@login_required
def disclosure_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    d = get_object_or_404(selectors.disclosures_visible_to(request.user), pk=pk)
    if action == "line":
        form = LineForm(request.POST)
        if form.is_valid() and run_and_tell(
                request, lambda: trust.disclosure_line_add(actor=request.user, disclosure=d, **form.cleaned_data),
                _("已添加明细。"), form) is None:
            return redirect("web:trust_disclosure", pk=pk)
        return disclosure(request, pk, line_form=form, status=400)
    if action == "publish":
        run_and_tell(request, lambda: trust.disclosure_publish(actor=request.user, disclosure=d),
                     _("已公开，本小区业主可以查看。"))
        return redirect("web:trust_disclosure", pk=pk)
    raise Http404


@login_required
@idempotent
def disclosure_new(request: HttpRequest) -> HttpResponse:
    estates = selectors.committee_estates(request.user)
    if not estates:
        raise PermissionDenied("trusts.disclose")
    today = timezone.localdate()
    form = DisclosureForm(request.POST or None, estates=Area.objects.filter(pk__in=[e.pk for e in estates]),
                          initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    if request.method == "POST" and form.is_valid():
        made = []
        if run_and_tell(request, lambda: made.append(trust.disclosure_create(actor=request.user, **form.cleaned_data)),
                        _("已建立公开表，请添加明细后公开。"), form) is None:
            return redirect("web:trust_disclosure", pk=made[0].pk)
    return render(request, PAGES + "disclosure_new.html", {"form": form}, status=400 if form.errors else 200)
