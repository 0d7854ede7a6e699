"""Running a meeting from a tablet (the clerk's page): sign-in by code or by tapping a name, the quorum, the
recorded steps, votes opened and counted at the table, and the resolution. A participant signs in by the QR
code on their invitation and votes on their phone (the vote page, shared with owners' votes)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.common.text import posted_text
from yishiting.deliberation.choices import VoteMethod, VoteRule, VoteStatus
from yishiting.deliberation.rules import ballot_refusal
from yishiting.deliberation.selectors.meetings import meeting_details, meetings_visible_to
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.selectors.votes import (
    live_counts,
    my_ballot,
    people_in_vote_scope,
    shown_result,
    units_votable_by,
    vote_tally,
    votes_visible_to,
)
from yishiting.deliberation.services import procedure, votes
from yishiting.deliberation.tally import option_text

from ..forms.meetings import (
    OwnersVoteForm,
    PaperBallotForm,
    ProxyForm,
    ResolutionForm,
    StepForm,
    VoteOpenForm,
)
from ..guard import idempotent
from .common import parse_pk, permission_required
from .meetings import meeting_context


def _meeting(request: HttpRequest, pk: int):
    return get_object_or_404(meeting_details(meetings_visible_to(request.user)), pk=pk)


def _run_context(request: HttpRequest, meeting, **forms) -> dict:
    open_votes = [v for v in meeting.votes.all() if v.status == VoteStatus.OPEN]
    for vote in meeting.votes.all():
        vote.option_texts = [(option, option_text(option)) for option in vote.options]
        vote.live = vote_tally(vote) if vote.status == VoteStatus.OPEN else shown_result(vote.result)
    return {**meeting_context(request, meeting), "open_votes": open_votes,
            "step_form": forms.get("step_form") or StepForm(meeting=meeting),
            "vote_form": forms.get("vote_form") or VoteOpenForm(meeting=meeting),
            "resolution_form": forms.get("resolution_form") or ResolutionForm(meeting=meeting)}


@permission_required("deliberation.manage")
def meeting_run(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/pages/deliberation/meeting_run.html", _run_context(request, _meeting(request, pk)))


def _done(request: HttpRequest, pk: int, call, ok: str) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("web:meeting_run", pk=pk)


@require_POST
def meeting_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk taps a name (code of that participant) or a participant signs in with their own code."""
    if not request.user.is_authenticated:
        return redirect(f"/login/?next=/meetings/{pk}/sign-in/?code={request.POST.get('code', '')}")
    meeting = _meeting(request, pk)
    try:
        participant = procedure.participant_sign_in(actor=request.user, meeting=meeting, code=posted_text(request.POST, "code"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s 已签到。") % {"name": f"{participant.person.name[:1]}*"})
    clerk = has_perm(request.user, "deliberation.manage", meeting)
    return redirect("web:meeting_run" if clerk and request.POST.get("from") == "run" else "web:meeting_detail", pk=pk)


def meeting_sign_in_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the invitation's QR code leads: one button to sign in with the code it carries."""
    if not request.user.is_authenticated:
        return redirect(f"/login/?next=/meetings/{pk}/sign-in/%3Fcode%3D{request.GET.get('code', '')}")
    meeting = _meeting(request, pk)
    return render(request, "web/pages/deliberation/sign_in.html", {"meeting": meeting, "code": request.GET.get("code", "")})


def _form_post(request: HttpRequest, pk: int, form_name: str, make, save, ok: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = make(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            save(meeting, form)
        except DomainError as exc:
            field = exc.details.get("field") if isinstance(exc.details, dict) else None
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, ok)
            return redirect("web:meeting_run", pk=pk)
    return render(request, "web/pages/deliberation/meeting_run.html",
                  _run_context(request, meeting, **{form_name: form}), status=400)


@require_POST
@permission_required("deliberation.manage")
@idempotent
def meeting_step(request: HttpRequest, pk: int) -> HttpResponse:
    def save(meeting, form):
        d = form.cleaned_data
        speaker = d["speaker"]
        procedure.step_record(actor=request.user, meeting=meeting, kind=d["kind"], text=d["text"], topic=d["topic"],
                              speaker=speaker.person if speaker else None, party=speaker.party if speaker else "")
    return _form_post(request, pk, "step_form", StepForm, save, _("已记录。"))


@require_POST
@permission_required("deliberation.votes")
@idempotent
def meeting_vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    def save(meeting, form):
        d = form.cleaned_data
        votes.vote_open(actor=request.user, topic=d["topic"], question=d["question"], method=d["method"],
                        rule=d["rule"], options=form.option_list(), meeting=meeting,
                        threshold_numerator=d["threshold_numerator"], threshold_denominator=d["threshold_denominator"])
    return _form_post(request, pk, "vote_form", VoteOpenForm, save, _("表决已发起。"))


@require_POST
@permission_required("deliberation.manage")
@idempotent
def meeting_resolution(request: HttpRequest, pk: int) -> HttpResponse:
    def save(meeting, form):
        d = form.cleaned_data
        procedure.resolution_record(actor=request.user, meeting=meeting, topic=d["topic"], text=d["text"],
                                    next_step=d["next_step"], reason=d["reason"])
    return _form_post(request, pk, "resolution_form", ResolutionForm, save, _("决议已形成。"))


@require_POST
@permission_required("deliberation.votes")
@idempotent
def vote_hands(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(votes_visible_to(request.user), pk=pk)
    try:
        counts = {option: int(request.POST.get(f"count-{i}") or 0) for i, option in enumerate(vote.options)}
    except ValueError:
        messages.error(request, _("举手人数须为整数。"))
        return redirect("web:meeting_run", pk=vote.meeting_id)
    return _done(request, vote.meeting_id, lambda: votes.hands_record(actor=request.user, vote=vote, counts=counts),
                 _("举手计数已记录。"))


@require_POST
@permission_required("deliberation.votes")
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(votes_visible_to(request.user), pk=pk)
    call = lambda: votes.vote_close(actor=request.user, vote=vote)  # noqa: E731
    if vote.meeting_id:
        return _done(request, vote.meeting_id, call, _("表决已结束，结果见下。"))
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:vote_detail", pk=pk)


def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's or owner's phone: the question, the options, their ballot; the result once closed."""
    if not request.user.is_authenticated:
        return redirect(f"/login/?next=/votes/{pk}/")
    vote = get_object_or_404(votes_visible_to(request.user).select_related("topic", "meeting", "scope_area"), pk=pk)
    person = person_for_user(request.user)
    mine = my_ballot(vote, person)
    context = {"vote": vote, "mine": mine, "secret": vote.method == VoteMethod.SECRET,
               "options": [(option, option_text(option)) for option in vote.options],
               "my_choice": option_text(mine["choice"]) if mine and mine.get("choice") else "",
               "counts": None, "result": shown_result(vote.result) if vote.status == VoteStatus.CLOSED else None,
               "may_manage": has_perm(request.user, "deliberation.votes", vote), **_vote_forms(request, vote)}
    if vote.method == VoteMethod.OWNERS and person is not None:
        context["my_units"] = units_votable_by(vote, person)
    elif vote.method != VoteMethod.OWNERS and vote.status == VoteStatus.OPEN:
        context["refusal"] = ballot_refusal(vote, person)  # rules `deliberation.cast_vote`, as the service checks
    if vote.status == VoteStatus.OPEN and vote.method not in (VoteMethod.SECRET, VoteMethod.HANDS):
        context["counts"] = [(option_text(option), n) for option, n in live_counts(vote).items()]
    return render(request, "web/pages/deliberation/vote.html", context)


@require_POST
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/login/?next=/votes/{pk}/")
    vote = get_object_or_404(votes_visible_to(request.user), pk=pk)
    household = request.POST.get("household_id")
    try:
        votes.vote_cast(actor=request.user, vote=vote, choice=posted_text(request.POST, "choice"),
                        household_id=parse_pk(household))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已投票。") if vote.method != VoteMethod.SECRET else _("已投票（无记名：系统只记录您已投票，不记录您的选择）。"))
    return redirect("web:vote_detail", pk=pk)


# ---- owners' joint decisions (Civil Code Art. 278): opened on a topic, paper ballots and proxies on the vote

@permission_required("deliberation.votes")
@idempotent
def owners_vote_new(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    form = OwnersVoteForm(request.POST or None, topic=topic)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            vote = votes.vote_open(actor=request.user, topic=topic, question=d["question"], method=VoteMethod.OWNERS,
                                   rule=VoteRule.ART278, matter=d["matter"], scope_area=d["scope_area"],
                                   closes_at=d["closes_at"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("业主表决已发起：范围内的业主可在手机上投票，工作人员可录入纸质票和书面委托。"))
            return redirect("web:vote_detail", pk=vote.pk)
    return render(request, "web/pages/deliberation/owners_vote_new.html", {"form": form, "topic": topic},
                  status=400 if form.errors else 200)


def _vote_forms(request: HttpRequest, vote, **forms) -> dict:
    if vote.method != VoteMethod.OWNERS or not has_perm(request.user, "deliberation.votes", vote):
        return {}
    people = people_in_vote_scope(vote)
    return {"paper_form": forms.get("paper_form") or PaperBallotForm(vote=vote),
            "proxy_form": forms.get("proxy_form") or ProxyForm(vote=vote, people=people), "people": people}


@require_POST
@permission_required("deliberation.votes")
@idempotent
def vote_paper(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(votes_visible_to(request.user), pk=pk)
    form = PaperBallotForm(request.POST, vote=vote)
    if form.is_valid():
        try:
            votes.ballot_enter_paper(actor=request.user, vote=vote, choice=form.cleaned_data["choice"],
                                     household_id=form.cleaned_data["household"].pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("纸质票已录入。"))
    else:
        messages.error(request, _("请选择户和纸质票上的选择。"))
    return redirect("web:vote_detail", pk=pk)


@require_POST
@permission_required("deliberation.votes")
@idempotent
def vote_proxy(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(votes_visible_to(request.user), pk=pk)
    people = people_in_vote_scope(vote)
    form = ProxyForm(request.POST, vote=vote, people=people)
    if form.is_valid():
        d = form.cleaned_data
        try:
            votes.proxy_record(actor=request.user, vote=vote, household_id=d["household"].pk, grantor=d["grantor"],
                               holder=d["holder"], document=d["document"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("书面委托已登记：受托人可代该户投票。"))
    else:
        messages.error(request, _("；").join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("web:vote_detail", pk=pk)
