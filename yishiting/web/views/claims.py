"""Household claims (住户申报): the resident's page (their claim's state, or find a building and claim a room)
and the verifiers' inbox (community staff and the area's grid worker approve or reject with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from yishiting.areas.choices import ClaimStatus, Role
from yishiting.areas.claims import (
    claim_for_verifier,
    household_claim_approve,
    household_claim_reject,
    household_claim_submit,
    household_claim_withdraw,
)
from yishiting.areas.models import Area
from yishiting.areas.selectors import (
    building_depth,
    building_households,
    claim_buildings,
    claims_of_user,
    claims_to_verify,
    owner_list_names,
    person_for_user,
)
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_mobile
from yishiting.common.rules import active_roles, has_perm

from ..forms.claims import ClaimForm, RejectForm
from .common import paginate_capped, parse_pk, permission_required

PAGE = "web/pages/claims/mine.html"


def _building(value) -> Area | None:
    depth, pk = building_depth(), parse_pk(value)
    if pk is None or depth is None:
        return None
    return Area.objects.select_related("parent").filter(pk=pk, level__depth=depth, is_active=True).first()


def _claim_page(request: HttpRequest, form: ClaimForm | None = None, building: Area | None = None,
                status: int = 200) -> HttpResponse:
    claims = list(claims_of_user(request.user)[:5])
    person = person_for_user(request.user)
    latest = claims[0] if claims else None
    may_claim = person is not None and not person.household_id and \
        (latest is None or latest.status not in (ClaimStatus.PENDING, ClaimStatus.APPROVED))
    term = request.GET.get("q", "").strip()[:30]
    building = building or _building(request.GET.get("building"))
    if may_claim and building is not None and form is None:
        form = ClaimForm(households=building_households(building))
    return render(request, PAGE, {
        "claims": claims, "latest": latest, "person": person, "may_claim": may_claim, "term": term,
        "buildings": claim_buildings(term) if may_claim and term and building is None else [],
        "building": building, "form": form}, status=status)


@login_required
def claim_mine(request: HttpRequest) -> HttpResponse:
    """GET: my claim's state, or the building search (?q=) and the room form (?building=)."""
    if request.method != "POST":
        return _claim_page(request)
    building = _building(request.POST.get("building"))
    if building is None:
        messages.error(request, gettext("请先查找并选择您住的楼栋。"))
        return redirect("web:claims")
    form = ClaimForm(request.POST, households=building_households(building))
    if form.is_valid():
        try:
            claim = household_claim_submit(actor=request.user, household=form.cleaned_data["household"],
                                           relation=form.cleaned_data["relation"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, gettext("已认证：与业主名册一致。") if claim.status == ClaimStatus.APPROVED
                             else gettext("申报已提交，社区工作人员或网格员核实后即认证。"))
            return redirect("web:claims")
    return _claim_page(request, form, building, status=400)


@login_required
def claim_building_search(request: HttpRequest) -> HttpResponse:
    """htmx: buildings matching what is typed (estate or building, name or pinyin initials), at most 20."""
    term = request.GET.get("q", "").strip()[:30]
    return render(request, "web/partials/claims/buildings.html", {"buildings": claim_buildings(term), "term": term})


@require_POST
@login_required
def claim_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(claims_of_user(request.user), pk=pk)
    try:
        household_claim_withdraw(actor=request.user, claim=claim)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, gettext("申报已撤回。"))
    return redirect("web:claims")


@permission_required("households.verify_claim")
def claim_inbox(request: HttpRequest, reject_form: RejectForm | None = None, form_for: int | None = None,
                status: int = 200) -> HttpResponse:
    page = paginate_capped(request, claims_to_verify(request.user))
    owners = owner_list_names([claim.household_id for claim in page])
    rows = [(claim, mask_mobile(claim.person.mobile),
             [(str(o), o.name == claim.person.name, bool(o.mobile) and o.mobile == claim.person.mobile)
              for o in owners.get(claim.household_id, []) if o.pk != claim.person_id],
             _reject_form(claim.pk, reject_form if form_for == claim.pk else None)) for claim in page]
    return render(request, "web/pages/claims/inbox.html", {"page": page, "rows": rows}, status=status)


def _reject_form(pk: int, bound: RejectForm | None) -> RejectForm:
    """Each claim's 退回 form with ids of its own (a page lists many claims; one `id_reason` each would clash)."""
    form = bound or RejectForm()
    form.auto_id = f"id_claim{pk}_%s"
    return form


@require_POST
@permission_required("households.verify_claim")
def claim_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        claim = claim_for_verifier(request.user, pk)
        if action == "approve":
            household_claim_approve(actor=request.user, claim=claim)
            messages.success(request, gettext("已认证，申报人已登记到该户。"))
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                return claim_inbox(request, form, pk, status=400)
            household_claim_reject(actor=request.user, claim=claim, reason=form.cleaned_data["reason"])
            messages.info(request, gettext("已退回申报，申报人会看到原因。"))
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
    return redirect("web:claim_inbox")


def claim_home_context(user, person) -> dict:
    """For the home page: the person's latest claim (or an invitation to claim when they have no household),
    and for verifiers how many claims wait."""
    registrant = any(r.role == Role.REGISTRANT for r in active_roles(user))
    # Only a registrant or someone with a household can have a claim to show: others cost no query.
    latest = claims_of_user(user).first() if person is not None and (registrant or person.household_id) else None
    waiting = claims_to_verify(user).count() if has_perm(user, "households.verify_claim") else None
    invite = registrant and person is not None and not person.household_id and latest is None
    return {"claim": latest, "claim_invite": invite, "claims_waiting": waiting}
