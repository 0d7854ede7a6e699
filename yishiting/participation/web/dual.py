"""双报到 pages: the units registered with the staff's communities and one unit's agreement with its members and
quarterly reports (the unit's liaison sees their own), a party member's registration, and the quarterly
assessment sheet the community fills in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm, scope_for
from yishiting.web.guard import idempotent
from yishiting.web.views.common import paginate, permission_required

from .. import selectors
from .. import services as part
from ..models import MemberRegistration, UnitRegistration
from ..report import unit_quarter, unit_report_pdf
from ..rules import liaison_org_ids, may_see_unit, person_of
from .forms import AssessmentForm, MemberForm, UnitForm

PAGES = "participation/"


def _quarters(count: int = 4) -> list[tuple[int, int]]:
    """This quarter and the ones before it, newest first."""
    year, quarter = part.quarter_of(timezone.localdate())
    out = []
    for _i in range(count):
        out.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "participation.units") and not liaison_org_ids(request.user):
        raise PermissionDenied("participation.units")
    rows = selectors.units_visible_to(request.user).order_by("path", "organization__name", "pk")
    return render(request, PAGES + "units.html", {"page": paginate(request, rows),
                                                  "may_add": has_perm(request.user, "participation.units")})


def _communities(user):
    return Area.objects.filter(scope_for(user, "participation.units").q(), level__depth=community_depth()).order_by("path")


@permission_required("participation.units")
@idempotent
def unit_new(request: HttpRequest) -> HttpResponse:
    communities = list(_communities(request.user)[:200])
    community = communities[0] if len(communities) == 1 else None
    pick = request.POST.get("community") if request.method == "POST" else None
    if pick is not None:
        community = next((c for c in communities if str(c.pk) == pick), None)
    form = UnitForm(request.POST or None, path=(community or communities[0]).path if communities else "")
    if request.method == "POST" and form.is_valid():
        if community is None:
            form.add_error(None, _("请选择报到社区。"))
        else:
            try:
                registration = part.unit_register(actor=request.user, community=community, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("单位已报到，共建协议已登记。"))
                return redirect("web:participation_unit", pk=registration.pk)
    return render(request, PAGES + "unit_new.html", {"form": form, "communities": communities, "community": community},
                  status=400 if form.errors else 200)


def _unit(request: HttpRequest, pk: int) -> UnitRegistration:
    registration = get_object_or_404(UnitRegistration.objects.select_related("organization", "community"), pk=pk)
    if not may_see_unit(request.user, registration):
        raise Http404
    return registration


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _unit(request, pk)
    year, quarter = part.quarter_of(timezone.localdate())
    return render(request, PAGES + "unit.html", {"u": registration, "quarters": _quarters(),
                                                 **unit_quarter(registration, year, quarter)})


@login_required
def unit_report(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    registration = _unit(request, pk)
    if (year, quarter) > part.quarter_of(timezone.localdate()) or year < 2000 or quarter not in range(1, 5):
        raise Http404
    response = HttpResponse(unit_report_pdf(registration, year, quarter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="unit-{registration.pk}-{year}q{quarter}.pdf"'
    return response


@permission_required("participation.register")
def member_register(request: HttpRequest) -> HttpResponse:
    """在职党员报到: to the community where I live, or to my unit's partner community."""
    person = person_of(request.user)
    current = selectors.registration_of(person)
    units = [r.organization for r in selectors.units_visible_to_member(request.user)]
    form = MemberForm(request.POST or None, initial={"posts": current.posts if current else [],
                                                     "skills": current.skills if current else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = units[0] if units else None
        partner = selectors.partner_community(unit) if d["partner"] and unit else None
        try:
            part.member_register(actor=request.user, person=person, posts=d["posts"], skills=d["skills"], unit=unit,
                                 community=partner or part.community_for(person) or _no_home())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("报到成功，您已加入社区的服务菜单。"))
            return redirect("web:participation_home")
    return render(request, PAGES + "register.html", {"form": form, "current": current, "unit": units[0] if units else None},
                  status=400 if form.errors else 200)


def _no_home():
    raise DomainError("wrong_community", _("请到居住地社区或本单位共建社区报到。"), details={"field": "partner"})


@permission_required("participation.assess")
def assess(request: HttpRequest) -> HttpResponse:
    """考核建议: this quarter's sheet of every unit and member of the staff's communities."""
    year, quarter = part.quarter_of(timezone.localdate())
    scope = scope_for(request.user, "participation.assess").q()
    units = list(UnitRegistration.objects.filter(scope, is_active=True).select_related("organization", "community")[:200])
    members = list(MemberRegistration.objects.filter(scope, is_active=True)
                   .select_related("person", "unit", "community").order_by("path", "pk")[:500])
    found = selectors.assessments_for(year, quarter, units=units, members=members)
    rows = [("unit", u, u.organization.name, found.get(("unit", u.pk))) for u in units]
    rows += [("member", m, m.person.name, found.get(("member", m.pk))) for m in members]
    return render(request, PAGES + "assess.html", {"year": year, "quarter": quarter, "rows": [
        (kind, obj, name, a, AssessmentForm(prefix=f"{kind}{obj.pk}", initial={"grade": a.grade, "reasons": a.reasons}
                                            if a else None)) for kind, obj, name, a in rows]})


@require_POST
@permission_required("participation.assess")
def assess_save(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"unit": UnitRegistration, "member": MemberRegistration}.get(kind)
    if model is None:
        raise Http404
    subject = get_object_or_404(model, pk=pk, is_active=True)
    form = AssessmentForm(request.POST, prefix=f"{kind}{pk}")
    year, quarter = part.quarter_of(timezone.localdate())
    if not form.is_valid():
        messages.error(request, _("请选择考核建议并写明理由。"))
        return redirect("web:participation_assess")
    try:
        part.assessment_write(actor=request.user, year=year, quarter=quarter, **{kind: subject}, **form.cleaned_data)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("考核建议已保存。"))
    return redirect("web:participation_assess")
