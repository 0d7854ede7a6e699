"""The alliance's POST actions: each parses, calls one service and goes back to the page it came from with the
service's message (a refusal shows its Chinese message)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.common.errors import DomainError
from yishiting.demands.models import Demand
from yishiting.web.guard import idempotent

from .. import selectors, services, work
from ..choices import MeetingKind, VoteMatter
from ..letters import letter_pdf
from ..models import AssemblyVote, Clause, Committee, CovenantVersion, JointMeeting, Member, Task, UnitRating
from .forms import (
    AmendForm,
    AssignForm,
    BallotForm,
    CommentForm,
    CommitteeForm,
    CompleteForm,
    LiaisonForm,
    MeetingForm,
    ProblemForm,
    RatingForm,
    ReportForm,
    TaskForm,
    VersionForm,
)
from .views import alliance_for, committee_forms, liaison_choices, member_page_access


def _run(request: HttpRequest, call, done: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


def _invalid(request: HttpRequest, form) -> None:
    errors = [str(e) for field in form.errors.values() for e in field]
    messages.error(request, errors[0] if errors else _("请检查填写的内容。"))


@require_POST
@login_required
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    form = VersionForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.version_draft(actor=request.user, alliance=alliance,
                                                     title=form.cleaned_data["title"], clauses=form.clause_lines()),
             _("盟约新草案已保存。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_covenant", pk=alliance.pk)


def _version(request: HttpRequest, pk: int) -> CovenantVersion:
    version = get_object_or_404(CovenantVersion, pk=pk)
    alliance_for(request, version.alliance_id, internals=True)
    return version


def _back_to(version: CovenantVersion) -> HttpResponse:
    return redirect(f"/alliances/{version.alliance_id}/covenant/?v={version.number}")


@require_POST
@login_required
def version_consult(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    _run(request, lambda: services.version_consult(actor=request.user, version=version),
         _("草案已发给全体成员单位征求意见。"))
    return _back_to(version)


@require_POST
@login_required
def version_vote(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    _run(request, lambda: services.vote_open(actor=request.user, alliance=version.alliance,
                                             matter=VoteMatter.COVENANT, version=version),
         _("已提交联盟大会表决。"))
    return _back_to(version)


@require_POST
@login_required
def clause_comment(request: HttpRequest, pk: int) -> HttpResponse:
    clause = get_object_or_404(Clause.objects.select_related("version"), pk=pk)
    alliance_for(request, clause.version.alliance_id, internals=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.clause_comment(actor=request.user, clause=clause,
                                                      text=form.cleaned_data["text"]), _("意见已提交。"))
    else:
        _invalid(request, form)
    return _back_to(clause.version)


def _member(request: HttpRequest, pk: int) -> Member:
    member = get_object_or_404(Member.objects.select_related("alliance", "liaison"), pk=pk)
    alliance_for(request, member.alliance_id, internals=True)
    return member


@require_POST
@login_required
def member_review(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    approve = request.POST.get("approve") == "1"
    _run(request, lambda: services.member_review(actor=request.user, member=member, approve=approve,
                                                 note=request.POST.get("note", "")),
         _("审核通过，已提交联盟大会表决。") if approve else _("已不予通过。"))
    return redirect("web:alliance_detail", pk=member.alliance_id)


@require_POST
@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    removed = request.POST.get("removed") == "1"
    _run(request, lambda: services.member_leave(actor=request.user, member=member, removed=removed,
                                                reason=request.POST.get("reason", "")),
         _("已除名。") if removed else _("已退出联盟。"))
    return redirect("web:alliance_detail", pk=member.alliance_id)


@require_POST
@login_required
def member_accept(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    _run(request, lambda: services.member_accept_version(actor=request.user, member=member),
         _("本单位已承诺遵守现行盟约。"))
    return redirect("web:alliance_detail", pk=member.alliance_id)


def _vote(request: HttpRequest, pk: int) -> AssemblyVote:
    vote = get_object_or_404(AssemblyVote, pk=pk)
    alliance_for(request, vote.alliance_id, internals=True)
    return vote


@require_POST
@login_required
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk)
    members = vote.alliance.members.filter(pk__in=vote.electorate) if "member" in request.POST else None
    form = BallotForm(request.POST, members=members)
    if form.is_valid():
        member = form.cleaned_data.get("member")
        _run(request, lambda: services.ballot_cast(actor=request.user, vote=vote, choice=form.cleaned_data["choice"],
                                                   member=member), _("已投票。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_vote", pk=vote.pk)


@require_POST
@login_required
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk)
    _run(request, lambda: services.vote_close(actor=request.user, vote=vote), _("已计票，结果已生效。"))
    return redirect("web:alliance_vote", pk=vote.pk)


@require_POST
@login_required
@idempotent
def committee_new(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    form = CommitteeForm(request.POST, members=selectors.current_members(alliance))
    if form.is_valid():
        _run(request, lambda: work.committee_create(actor=request.user, alliance=alliance, **form.cleaned_data),
             _("专委已设立。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_detail", pk=alliance.pk)


@require_POST
@login_required
@idempotent
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    form = TaskForm(request.POST, members=selectors.current_members(alliance))
    if form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("demand_number").strip()
        demand = Demand.objects.filter(number=number, path__startswith=alliance.path).first() if number else None
        _run(request, lambda: work.task_collect(actor=request.user, alliance=alliance, demand=demand, **data),
             _("任务已收集，待联络办梳理。"))
        return redirect(f"/alliances/{alliance.pk}/tasks/?year={data['year']}&quarter={data['quarter']}")
    _invalid(request, form)
    return redirect("web:alliance_tasks", pk=alliance.pk)


def _task(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("alliance", "owner"), pk=pk)
    alliance_for(request, task.alliance_id)
    return task


def _to_list(task: Task) -> HttpResponse:
    return redirect(f"/alliances/{task.alliance_id}/tasks/?year={task.year}&quarter={task.quarter}")


@require_POST
@login_required
def task_sort(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    keep = request.POST.get("keep") == "1"
    _run(request, lambda: work.task_sort(actor=request.user, task=task, keep=keep, reason=request.POST.get("reason", "")),
         _("已列入任务清单，待大会分派。") if keep else _("已不列入。"))
    return _to_list(task)


@require_POST
@login_required
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    alliance = task.alliance
    form = AssignForm(request.POST, committees=alliance.committees.all(), members=selectors.current_members(alliance),
                      meetings=alliance.meetings.filter(kind=MeetingKind.ASSEMBLY))
    if form.is_valid():
        _run(request, lambda: work.task_assign(actor=request.user, task=task, **form.cleaned_data), _("任务已分派。"))
    else:
        _invalid(request, form)
    return _to_list(task)


@require_POST
@login_required
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        _run(request, lambda: work.task_report(actor=request.user, task=task, **form.cleaned_data), _("进展已填报。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_task", pk=task.pk)


@require_POST
@login_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        _run(request, lambda: work.task_complete(actor=request.user, task=task, **form.cleaned_data), _("任务已销号。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_task", pk=task.pk)


@require_POST
@login_required
def task_rate(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        stars = int(request.POST.get("stars", ""))
    except ValueError:
        stars = 0
    _run(request, lambda: work.task_rate(actor=request.user, task=task, stars=stars), _("谢谢您的评价。"))
    return redirect("web:alliance_task", pk=task.pk)


@require_POST
@login_required
@idempotent
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    form = MeetingForm(request.POST, members=selectors.current_members(alliance))
    if form.is_valid():
        data = {**form.cleaned_data, "attendees": list(form.cleaned_data["attendees"])}
        _run(request, lambda: work.meeting_record(actor=request.user, alliance=alliance, **data), _("会议已记录。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_meetings", pk=alliance.pk)


@require_POST
@login_required
def meeting_problem(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(JointMeeting.objects.select_related("alliance__area"), pk=pk)
    alliance_for(request, meeting.alliance_id, internals=True)
    form = ProblemForm(request.POST, members=selectors.current_members(meeting.alliance))
    if form.is_valid():
        holder = {}

        def raise_it() -> None:
            holder["demand"] = work.problem_raise(actor=request.user, meeting=meeting, **form.cleaned_data)

        if _run(request, raise_it, _("已转为诉求，社区将按时筛选。")):
            messages.info(request, _("诉求编号 %(n)s") % {"n": holder["demand"].number})
    else:
        _invalid(request, form)
    return redirect("web:alliance_meeting", pk=meeting.pk)


@require_POST
@login_required
def rating_propose(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = RatingForm(request.POST, grades=member.alliance.grades)
    year = int(request.POST.get("year") or 0)
    if form.is_valid():
        _run(request, lambda: work.rating_propose(actor=request.user, member=member, year=year,
                                                  grade=form.cleaned_data["grade"]), _("初评等次已保存。"))
    else:
        _invalid(request, form)
    return redirect(f"/alliances/{member.alliance_id}/ratings/?year={year}")


@require_POST
@login_required
def rating_submit(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    year = int(request.POST.get("year") or 0)
    holder = {}

    def submit() -> None:
        holder["vote"] = work.rating_submit(actor=request.user, alliance=alliance, year=year)

    if _run(request, submit, _("年度评定已提交联盟大会表决。")):
        return redirect("web:alliance_vote", pk=holder["vote"].pk)
    return redirect(f"/alliances/{alliance.pk}/ratings/?year={year}")


@login_required
def rating_letter(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(UnitRating.objects.select_related("alliance", "member__organization__parent", "vote"),
                               pk=pk)
    alliance = alliance_for(request, rating.alliance_id, internals=True)
    from ..rules import liaison_member, may_manage

    if not (may_manage(request.user, alliance) or getattr(liaison_member(request.user, alliance), "pk", None)
            == rating.member_id):
        raise Http404
    try:
        pdf = letter_pdf(actor=request.user, rating=rating)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"/alliances/{alliance.pk}/ratings/?year={rating.year}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="alliance-rating-{rating.pk}.pdf"'
    return response


def _committee(request: HttpRequest, pk: int) -> Committee:
    committee = get_object_or_404(Committee.objects.select_related("alliance"), pk=pk)
    alliance_for(request, committee.alliance_id, internals=True)
    return committee


def _committee_change(request: HttpRequest, pk: int, name: str, call, done: str) -> HttpResponse:
    committee = _committee(request, pk)
    form = committee_forms(committee, request.POST)[name]
    if form.is_valid():
        _run(request, lambda: call(committee, form.cleaned_data), done)
    else:
        _invalid(request, form)
    return redirect("web:alliance_committee", pk=committee.pk)


@require_POST
@login_required
def committee_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _committee_change(request, pk, "add_form", lambda c, d: work.committee_member_add(
        actor=request.user, committee=c, member=d["member"]), _("成员单位已加入专委。"))


@require_POST
@login_required
def committee_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _committee_change(request, pk, "remove_form", lambda c, d: work.committee_member_remove(
        actor=request.user, committee=c, member=d["member"], new_lead=d["new_lead"], reason=d["reason"]),
        _("已将该单位移出专委。"))


@require_POST
@login_required
def committee_lead(request: HttpRequest, pk: int) -> HttpResponse:
    return _committee_change(request, pk, "lead_form", lambda c, d: work.committee_lead_change(
        actor=request.user, committee=c, lead=d["lead"]), _("牵头单位已更换。"))


@require_POST
@login_required
def member_liaison(request: HttpRequest, pk: int) -> HttpResponse:
    member, _who = member_page_access(request, pk)
    people = liaison_choices(member.alliance)
    form = LiaisonForm(request.POST, people=people)
    if form.is_valid():
        _run(request, lambda: services.member_liaison_change(actor=request.user, member=member,
                                                             liaison=form.cleaned_data["liaison"], eligible=people),
             _("联络党员已更换。"))
    else:
        _invalid(request, form)
    return redirect("web:alliance_member", pk=member.pk)


@require_POST
@login_required
def rating_amend(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(UnitRating.objects.select_related("alliance"), pk=pk)
    alliance_for(request, rating.alliance_id, internals=True)
    form = AmendForm(request.POST, grades=rating.alliance.grades)
    holder = {}

    def amend() -> None:
        holder["vote"] = work.rating_amend(actor=request.user, rating=rating, **form.cleaned_data)

    if form.is_valid():
        if _run(request, amend, _("等次更正已提交联盟大会表决。")):
            return redirect("web:alliance_vote", pk=holder["vote"].pk)
    else:
        _invalid(request, form)
    return redirect(f"/alliances/{rating.alliance_id}/ratings/?year={rating.year}")
