"""Mediation (调解) pages: the case list of mediators and staff, opening a case (a mediator directly, or a
resident's 申请调解), one case with its "三二一" tiers, agreement and performance, the agreement as PDF/DOCX,
the signed scan, and the parties' rating at the end. The case page's forms post to mediation_actions.

Confidential (人民调解法 art. 15): a case is read only through `case_for` (its parties, its mediators, the
supervising staff); anyone else gets a 404 — the case does not exist for them — and the list is a 403 for
residents who mediate nothing. Parties' details are masked as `parties_for` words them for the viewer."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.selectors import person_for_user, person_of_user
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.mediation import page_selectors as pages
from yishiting.mediation import selectors, services
from yishiting.mediation.agreement_render import (
    agreement_docx,
    agreement_filename,
    agreement_pdf,
    document_from,
)
from yishiting.mediation.models import MediationCase
from yishiting.mediation.rules import is_party, may_manage_case, may_mediate, may_supervise

from ..forms import mediation as forms
from ..guard import idempotent
from .common import paginate_quick
from .home import household_address

PAGES = "web/pages/mediation/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def case_or_404(request: HttpRequest, pk: int) -> MediationCase:
    case = selectors.case_for(request.user, pk)
    if case is None:
        raise Http404
    return case


# ---- the list ----

@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not pages.may_list_cases(request.user):
        raise PermissionDenied("mediation.view")
    form = forms.CaseFilterForm(request.GET or None, types=selectors.dispute_types())
    data = form.cleaned_data if form.is_valid() else {}
    dispute_type = data.get("dispute_type")
    cases = selectors.cases_filter(selectors.cases_visible_to(request.user), status=data.get("status") or None,
                                   tier=data.get("tier"), dispute_type=dispute_type.pk if dispute_type else None)
    cases = pages.case_search(cases, data.get("q", ""))
    return render(request, PAGES + "list.html", {
        "form": form, "page": paginate_quick(request, cases.order_by("-created_at", "-pk")),
        "may_open": bool(pages.open_paths(request.user))})


# ---- opening a case ----

@login_required
@idempotent
def case_new(request: HttpRequest) -> HttpResponse:
    """A mediator or the staff open a case directly (调解员主动调解)."""
    areas = pages.open_areas(request.user)
    if not areas.exists():
        raise PermissionDenied("mediation.open")
    form = forms.OpenForm(request.POST or None, areas=areas, people=pages.party_pool(request.user),
                          types=selectors.dispute_types())
    if form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_open(actor=request.user, area=d["area"], title=d["title"],
                                      dispute_type=d["dispute_type"], hearing=d["hearing"],
                                      parties=[_party(d, "applicant"), _party(d, "respondent")])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已立案，请指派调解员并确认双方是否同意调解。"))
            return redirect("web:mediation_detail", pk=case.pk)
    return render(request, PAGES + "new.html", {"form": form}, status=400 if form.errors else 200)


def _party(d: dict, side: str) -> services.PartyInput:
    person = d.get(side)
    return services.PartyInput(side=side, person=person, name=(d.get(f"{side}_name") or "").strip(),
                               statement=d.get(f"{side}_statement") or "",
                               address=household_address(person.household) if person and person.household_id else "")


@login_required
@idempotent
def case_apply(request: HttpRequest) -> HttpResponse:
    """A resident applies for mediation (当事人申请): free (art. 4), voluntary (art. 17)."""
    person = person_for_user(request.user)
    place = (person.household.unit if person and person.household_id else person.area if person else None)
    if place is None or not has_perm(request.user, "demands.submit"):
        raise PermissionDenied("mediation.apply")
    form = forms.ApplyForm(request.POST or None, types=selectors.dispute_types())
    if form.is_valid():
        d = form.cleaned_data
        respondent = services.PartyInput(side="respondent", kind=d["respondent_kind"], name=d["respondent_name"],
                                         address=d["respondent_address"], mobile=d["respondent_mobile"])
        try:
            case = services.case_apply(actor=request.user, area=place, title=d["title"], statement=d["statement"],
                                       respondent=respondent, dispute_type=d["dispute_type"], hearing=d["hearing"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("调解申请已提交。社区将指派调解员，并征求对方是否同意调解。"))
            return redirect("web:mediation_detail", pk=case.pk)
    return render(request, PAGES + "apply.html", {"form": form}, status=400 if form.errors else 200)


# ---- one case ----

def case_context(request: HttpRequest, case: MediationCase, **bound) -> dict:
    """Everything the case page shows, worded for this viewer: a party sees its case, its attempts and its
    agreement (the other side masked); the mediators and supervising staff see all and get the forms."""
    from .mediation_actions import page_forms

    user = request.user
    mediate, manage = may_mediate(user, case), may_manage_case(user, case)
    agreement = pages.agreement_of(case)
    person = person_of_user(user)
    own_parties = [p for p in case.parties.all() if person and (
        p.person_id == person.pk or (p.household_id and p.household_id == person.household_id))]
    context = {
        "case": case, "number": page_number(case), "parties": selectors.parties_for(user, case),
        "full": selectors.sees_party_details(user, case), "mediate": mediate, "manage": manage,
        "supervise": may_supervise(user, case), "party": is_party(user, case), "own_parties": own_parties,
        "mediators": list(case.mediators.all()), "tiers": pages.tier_progress(case),
        "attempts_left": selectors.attempts_left(case), "agreement": agreement,
        "signed": _signed(agreement), "visits": list(case.visits.select_related("visitor")),
        "demands": selectors.case_demands(case) if mediate or manage else [],
        "may_rate": bool(person) and selectors.cases_to_rate(person).filter(pk=case.pk).exists(),
    }
    context.update(page_forms(request, case, context, bound))
    return context


def page_number(case: MediationCase) -> str:
    """The case number as selectors.case_number prints it (调〔2026〕第 12 号), worded in the reader's language."""
    year = (case.opened_on or timezone.localdate(case.created_at)).year
    return _("调〔%(year)s〕第 %(n)s 号") % {"year": year, "n": case.pk}


def _signed(agreement) -> dict:
    """Who signed already: party ids and mediator person ids → the signature."""
    if agreement is None:
        return {"parties": {}, "mediators": {}}
    signatures = list(agreement.signatures.all())
    return {"parties": {s.party_id: s for s in signatures if s.party_id},
            "mediators": {s.mediator_id: s for s in signatures if s.mediator_id}}


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    return render(request, PAGES + "detail.html", case_context(request, case))


# ---- the agreement as files, the signed scan ----

@login_required
def agreement_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """调解协议书 (PDF or DOCX) for those who see the case: the parties keep their own copy."""
    case = case_or_404(request, pk)
    document = selectors.agreement_document(case)
    if document is None:
        raise Http404
    view = document_from(document)
    content, kind = (agreement_pdf(view), "application/pdf") if fmt == "pdf" else (agreement_docx(view), DOCX)
    response = HttpResponse(content, content_type=kind)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(agreement_filename(case.pk, fmt))}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_scan(request: HttpRequest, pk: int) -> FileResponse:
    case = case_or_404(request, pk)
    agreement = pages.agreement_of(case)
    if agreement is None or not agreement.signed_scan:
        raise Http404
    name = agreement.signed_scan.name.rsplit("/", 1)[-1]
    kind = "application/pdf" if name.lower().endswith(".pdf") else "image/jpeg" if name.lower().endswith(
        (".jpg", ".jpeg")) else "image/png" if name.lower().endswith(".png") else "application/octet-stream"
    response = FileResponse(agreement.signed_scan.open("rb"), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


# ---- the parties' rating ----

@login_required
@idempotent
def case_rate(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    person = person_for_user(request.user)
    mine = case.ratings.filter(person=person).first() if person else None
    form = forms.RateForm(request.POST or None)
    if mine is None and request.method == "POST" and form.is_valid():
        try:
            services.case_rate(actor=request.user, case=case, value=form.cleaned_data["value"],
                               comment=form.cleaned_data["comment"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("web:mediation_detail", pk=case.pk)
    may_rate = mine is None and bool(person) and selectors.cases_to_rate(person).filter(pk=case.pk).exists()
    return render(request, PAGES + "rate.html", {"case": case, "form": form, "mine": mine, "may_rate": may_rate},
                  status=400 if form.errors else 200)
