"""Volunteer teams and 公益服务岗 pages, and each volunteer's own record with the printable 志愿服务证明 (PDF):
teams with members and leaders (join, leave), posts with who holds them (claim for a period, release early,
log a shift; the post's organisers confirm shifts with hours and a rating)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Person
from yishiting.volunteers import selectors
from yishiting.volunteers import services as vol
from yishiting.volunteers.choices import ClaimStatus
from yishiting.volunteers.documents import certificate_pdf
from yishiting.volunteers.models import PostClaim, Shift, TeamMember
from yishiting.volunteers.rules import may_confirm_shift, may_join, may_manage, person_of

from ..forms.volunteers import ClaimForm, ConfirmShiftForm, ShiftForm
from .common import permission_required, run_and_tell

PAGES = "web/pages/volunteers/"


@permission_required("volunteers.view")
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_visible_to(request.user).order_by("path", "name")[:100]
    return render(request, PAGES + "teams.html", {"teams": teams})


@permission_required("volunteers.view")
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team, user = get_object_or_404(selectors.teams_visible_to(request.user), pk=pk), request.user
    me = selectors.membership(team, person_of(user))
    activities = selectors.upcoming(selectors.activities_visible_to(user).filter(team=team))[:20]
    return render(request, PAGES + "team.html", {
        "team": team, "members": selectors.members(team)[:200], "me": me, "activities": activities,
        "totals": selectors.community_totals_of_team(team), "may_join": me is None and may_join(user, team)
        and person_of(user) is not None, "manager": may_manage(user, team)})


@require_POST
@login_required
def team_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("join", "leave"):
        raise Http404
    team, user = get_object_or_404(selectors.teams_visible_to(request.user), pk=pk), request.user
    if action == "join":
        run_and_tell(request, lambda: vol.team_join(actor=user, team=team),
                     _("已加入服务队，您已登记为本社区志愿者。"))
    else:
        member = selectors.membership(team, person_of(user))
        if member is None:
            raise Http404
        run_and_tell(request, lambda: vol.team_leave(actor=user, member=member), _("已退出服务队。"))
    return redirect("web:volunteer_team", pk=team.pk)


@require_POST
@login_required
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff name or stand down a leader."""
    if action not in ("lead", "unlead"):
        raise Http404
    member = get_object_or_404(TeamMember.objects.select_related("team").filter(
        team__in=selectors.teams_visible_to(request.user), left_at__isnull=True), pk=pk)
    run_and_tell(request, lambda: vol.team_set_leader(actor=request.user, member=member, leader=action == "lead"),
                 _("已更新队长。"))
    return redirect("web:volunteer_team", pk=member.team_id)


@permission_required("volunteers.view")
def post_list(request: HttpRequest) -> HttpResponse:
    posts = selectors.posts_visible_to(request.user).order_by("path", "name")[:100]
    return render(request, PAGES + "posts.html", {"posts": posts})


@login_required
def post_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    post, user = get_object_or_404(selectors.posts_visible_to(request.user), pk=pk), request.user
    person, forms = person_of(user), forms or {}
    claims = list(selectors.claims_of_post(post)[:50])
    today = timezone.localdate()
    mine = next((c for c in claims if c.person_id == getattr(person, "pk", None) and c.status == ClaimStatus.ACTIVE
                 and c.ends_on >= today), None)
    organiser = may_confirm_shift(user, post)
    return render(request, PAGES + "post.html", {
        "post": post, "claims": claims, "mine": mine, "organiser": organiser, "today": today,
        "full": post.holders >= post.capacity,
        "may_claim": mine is None and person is not None and may_join(user, post),
        "waiting": selectors.shifts_waiting(post)[:50] if organiser else [],
        "my_shifts": selectors.shifts_of_claim(mine)[:20] if mine else [],
        "claim_form": forms.get("claim") or ClaimForm(initial={"starts_on": today}),
        "shift_form": forms.get("shift") or ShiftForm(initial={"day": today}),
        "confirm_form": forms.get("confirm") or ConfirmShiftForm()}, status=status)


@require_POST
@login_required
def post_claim(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(selectors.posts_visible_to(request.user), pk=pk)
    form = ClaimForm(request.POST)
    if form.is_valid():
        refused = run_and_tell(request, lambda: vol.post_claim(actor=request.user, post=post, **form.cleaned_data),
                               _("认岗成功，感谢您的奉献！"), form)
        if refused is None:
            return redirect("web:volunteer_post", pk=post.pk)
    return post_detail(request, post.pk, {"claim": form}, status=400)


@require_POST
@login_required
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("release", "log"):
        raise Http404
    claim = get_object_or_404(PostClaim.objects.select_related("post").filter(
        post__in=selectors.posts_visible_to(request.user)), pk=pk)
    form = ShiftForm(request.POST) if action == "log" else None
    if form is not None and not form.is_valid():
        return post_detail(request, claim.post_id, {"shift": form}, status=400)
    if action == "release":
        run_and_tell(request, lambda: vol.claim_release(actor=request.user, claim=claim), _("已提前退岗。"))
    elif run_and_tell(request, lambda: vol.shift_log(actor=request.user, claim=claim, **form.cleaned_data),
                      _("值岗已登记，待队长或社区确认。"), form) is not None:
        return post_detail(request, claim.post_id, {"shift": form}, status=400)
    return redirect("web:volunteer_post", pk=claim.post_id)


@require_POST
@login_required
def shift_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("confirm", "reject"):
        raise Http404
    shift = get_object_or_404(Shift.objects.select_related("claim__post").filter(
        claim__post__in=selectors.posts_visible_to(request.user)), pk=pk)
    form = ConfirmShiftForm(request.POST)
    if not form.is_valid():
        return post_detail(request, shift.claim.post_id, {"confirm": form}, status=400)
    if action == "confirm":
        run_and_tell(request, lambda: vol.shift_confirm(actor=request.user, shift=shift,
                                                        rating=form.cleaned_data["rating"]), _("值岗时长已确认。"))
    else:
        run_and_tell(request, lambda: vol.shift_reject(actor=request.user, shift=shift,
                                                       reason=form.cleaned_data["reason"]), _("已不予确认。"))
    return redirect("web:volunteer_post", pk=shift.claim.post_id)


@permission_required("volunteers.view")
def mine(request: HttpRequest) -> HttpResponse:
    """我的志愿服务: totals, confirmed activities and shifts, posts held, teams; the certificate to download."""
    person = person_of(request.user)
    record = selectors.record_of(person) if person is not None else None
    return render(request, PAGES + "mine.html", {"record": record,
                                                 "sign_ups": selectors.my_sign_ups(person)[:20]})


@permission_required("volunteers.view")
def certificate(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    return _certificate(person)


def _certificate(person) -> HttpResponse:
    response = HttpResponse(certificate_pdf(selectors.record_of(person)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="volunteer-certificate.pdf"'
    return response


def _volunteer(request: HttpRequest, pk: int):
    """A volunteer whose record the staff of their area may read (and print for them): 404 for anyone else."""
    person = get_object_or_404(Person.objects.select_related("area"), pk=pk)
    if not may_manage(request.user, person):
        raise Http404
    return person


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer's record as the community's staff see it (the name masked), with the certificate to print."""
    person = _volunteer(request, pk)
    return render(request, PAGES + "mine.html", {"record": selectors.record_of(person), "subject": person,
                                                 "sign_ups": selectors.my_sign_ups(person)[:20]})


@login_required
def record_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate(_volunteer(request, pk))
