"""The alliance's pages: the list, an alliance's page (its members, 盟约, committees, the quarter's tasks, open
votes; a member unit's liaison sees their unit's box on the phone), the 盟约 with its versions and clause
comments, a vote, a task, the meetings and the year's ratings (the office's desktop pages)."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Organization, Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for
from yishiting.web.guard import idempotent
from yishiting.web.views.common import paginate

from .. import selectors, services
from ..choices import AllianceStatus, MeetingKind, TaskStatus, VersionStatus
from ..history import committee_history, member_history
from ..models import Alliance, AssemblyVote, Committee, JointMeeting, Member, Task
from ..rules import liaison_member, may_manage, may_open, may_see_internals
from .forms import (
    AllianceForm,
    AmendForm,
    AssignForm,
    BallotForm,
    CommentForm,
    CommitteeForm,
    CommitteeLeadForm,
    CommitteeRemoveForm,
    CommitteeUnitForm,
    CompleteForm,
    LiaisonForm,
    MeetingForm,
    ProblemForm,
    RatingForm,
    ReportForm,
    TaskForm,
    UnitForm,
    VersionForm,
)

PAGES = "alliances/"
LIAISON_ROLES = [Role.PARTY_MEMBER, Role.INSERVICE_PARTY_MEMBER, Role.ORG_REPRESENTATIVE, Role.ESTATE_BRANCH_SECRETARY,
                 Role.GRID_PARTY_GROUP_LEADER, Role.BUILDING_PARTY_GROUP_LEADER, Role.CENTRAL_HOUSEHOLD]


def alliance_for(request: HttpRequest, pk: int, *, internals: bool = False) -> Alliance:
    """The alliance if the user may open it (else 404: another area's alliance is not even said to exist)."""
    alliance = get_object_or_404(Alliance.objects.select_related("area"), pk=pk)
    if not may_open(request.user, alliance) or (internals and not may_see_internals(request.user, alliance)):
        raise Http404
    return alliance


def _who(request: HttpRequest, alliance: Alliance) -> dict:
    return {"alliance": alliance, "office": may_manage(request.user, alliance),
            "internals": may_see_internals(request.user, alliance), "mine": liaison_member(request.user, alliance)}


def quarter_of(day) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def name_for(who: dict, person: Person | None) -> str:
    """Liaison party members are named in full to the office and the members, masked to everyone else."""
    if person is None:
        return ""
    return person.name if who["internals"] else mask_name(person.name)


@login_required
def alliance_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.alliances_visible_to(request.user).order_by("path", "pk")
    office = bool(scope_for(request.user, "alliances.manage").paths) or request.user.is_superuser
    return render(request, PAGES + "list.html", {"page": paginate(request, rows), "office": office})


@login_required
@idempotent
def alliance_new(request: HttpRequest) -> HttpResponse:
    areas = Area.objects.filter(scope_for(request.user, "alliances.manage").q(), is_active=True,
                                level__code__in=["street", "community"]).order_by("path")
    if not areas.exists():
        raise PermissionDenied("alliances.manage")
    form = AllianceForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "clauses"}
        try:
            alliance = services.alliance_create(actor=request.user, clauses=form.clause_lines(), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("联盟已设立，请登记发起单位，再将盟约草案征求意见、提交表决。"))
            return redirect("web:alliance_detail", pk=alliance.pk)
    return render(request, PAGES + "form.html", {"form": form, "title": _("设立党建联盟")},
                  status=400 if form.errors else 200)


@login_required
def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk)
    who = _who(request, alliance)
    year, quarter = quarter_of(timezone.localdate())
    members = list(selectors.current_members(alliance))
    current = selectors.current_version(alliance)
    return render(request, PAGES + "detail.html", {
        **who, "members": [(m, name_for(who, m.liaison)) for m in members], "current": current,
        "committees": selectors.committees(alliance, with_names=True), "year": year, "quarter": quarter,
        "tasks": selectors.tasks(alliance, year, quarter).exclude(status=TaskStatus.DROPPED),
        "done": selectors.done_share(alliance, year, quarter),
        "votes": selectors.open_votes(alliance) if who["internals"] else [],
        "pending": selectors.pending_members(alliance) if who["internals"] else [],
        "meetings": selectors.meetings(alliance)[:3] if who["internals"] else [],
        "outdated": who["mine"] is not None and current is not None and who["mine"].accepted_version_id != current.pk,
        "founding": alliance.status == AllianceStatus.FOUNDING, "may_apply": _may_apply(request, alliance, who)})


def _may_apply(request: HttpRequest, alliance: Alliance, who: dict) -> bool:
    if who["office"] or who["mine"] is not None or alliance.status == AllianceStatus.FOUNDING:
        return False
    me = person_of_user(request.user)
    return me is not None and liaison_choices(alliance).filter(pk=me.pk).exists()


@login_required
def covenant(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk)
    who = _who(request, alliance)
    versions = list(selectors.versions(alliance))
    if not who["internals"]:
        versions = [v for v in versions if v.status in (VersionStatus.ADOPTED, VersionStatus.SUPERSEDED)]
    number = request.GET.get("v", "")
    shown = next((v for v in versions if str(v.number) == number), None) or next(
        (v for v in versions if v.status == VersionStatus.ADOPTED), versions[0] if versions else None)
    members = list(selectors.current_members(alliance)) if who["internals"] and shown else []
    commented = selectors.commented_units(shown) if members else set()
    return render(request, PAGES + "covenant.html", {
        **who, "versions": versions, "shown": shown,
        "clauses": selectors.clauses_with_comments(shown) if shown else [],
        "consulted": [(m, m.pk in commented) for m in members],
        "open_vote": shown.votes.filter(status="open").first() if shown and who["internals"] else None,
        "comment_form": CommentForm() if who["mine"] and shown and shown.status == VersionStatus.CONSULTING else None,
        "version_form": VersionForm() if who["office"] else None})


@login_required
@idempotent
def unit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """发起单位 (office, while founding) or 入盟申请 (a unit's liaison, or the office entering a written one)."""
    alliance = alliance_for(request, pk)
    office, founding = may_manage(request.user, alliance), alliance.status == AllianceStatus.FOUNDING
    me = person_of_user(request.user)
    if not office and (founding or me is None or not liaison_choices(alliance).filter(pk=me.pk).exists()):
        raise PermissionDenied("alliances.apply")  # an applicant is a party member (or unit representative) here
    organizations = unit_choices(alliance)
    people = liaison_choices(alliance) if office else Person.objects.filter(pk=me.pk)
    form = UnitForm(request.POST or None, organizations=organizations, people=people, founding=founding,
                    initial={"liaison": me})
    if request.method == "POST" and form.is_valid():
        try:
            if founding:
                services.member_found(actor=request.user, alliance=alliance, **form.cleaned_data)
            else:
                services.member_apply(actor=request.user, alliance=alliance, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("发起单位已登记。") if founding else _("入盟申请已提交，联络办审核后提交联盟大会表决。"))
            return redirect("web:alliance_detail", pk=alliance.pk)
    return render(request, PAGES + "form.html", {
        "form": form, "alliance": alliance, "current": selectors.current_version(alliance),
        "title": _("登记发起单位") if founding else _("申请加入联盟")}, status=400 if form.errors else 200)


def unit_choices(alliance: Alliance):
    """Units of the area, and units above it registered there (a district's 双报到 unit with people in it)."""
    return (Organization.objects.filter(Q(path__startswith=alliance.path)
                                        | Q(role_assignments__path__startswith=alliance.path,
                                            role_assignments__is_active=True), is_active=True)
            .distinct().order_by("name"))


def liaison_choices(alliance: Alliance):
    """Party members (and units' representatives) holding a role in the area: who may be a unit's liaison."""
    return (Person.objects.filter(roles__path__startswith=alliance.path, roles__is_active=True,
                                  roles__role__in=LIAISON_ROLES).distinct().order_by("name"))


@login_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(AssemblyVote.objects.select_related("alliance", "member__organization", "version"), pk=pk)
    alliance = alliance_for(request, vote.alliance_id, internals=True)
    who = _who(request, alliance)
    ballots = vote.ballots.select_related("member__organization").order_by("cast_at", "pk")
    voted = {b.member_id for b in ballots}
    may_cast = vote.status == "open" and who["mine"] is not None and who["mine"].pk in vote.electorate \
        and who["mine"].pk not in voted
    unvoted = alliance.members.filter(pk__in=[p for p in vote.electorate if p not in voted]).select_related("organization")
    return render(request, PAGES + "vote.html", {
        **who, "vote": vote, "ballots": ballots, "electorate": len(vote.electorate),
        "amendment": alliance.ratings.filter(member=vote.member_id, year=vote.year).first()
        if vote.matter == "amendment" else None,
        "ballot_form": BallotForm() if may_cast else None,
        "entry_form": BallotForm(members=unvoted) if who["office"] and vote.status == "open" and unvoted else None})


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk)
    who = _who(request, alliance)
    year, quarter = quarter_of(timezone.localdate())
    with contextlib.suppress(ValueError):
        year, quarter = int(request.GET.get("year", year)), int(request.GET.get("quarter", quarter))
    rows = selectors.tasks(alliance, year, quarter)
    if not who["internals"]:
        rows = rows.filter(status__in=[TaskStatus.ASSIGNED, TaskStatus.DONE])
    members = selectors.current_members(alliance)
    assign = AssignForm(committees=alliance.committees.all(), members=members,
                        meetings=alliance.meetings.filter(kind=MeetingKind.ASSEMBLY)) if who["office"] else None
    return render(request, PAGES + "tasks.html", {
        **who, "rows": rows, "year": year, "quarter": quarter, "quarters": selectors.quarters(alliance),
        "task_form": TaskForm(members=members, initial={"year": year, "quarter": quarter}) if who["office"] or who["mine"] else None,
        "assign_form": assign})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("alliance", "committee", "owner__organization",
                                                         "owner_person", "proposed_by__organization", "demand",
                                                         "meeting"), pk=pk)
    alliance = alliance_for(request, task.alliance_id)
    who = _who(request, alliance)
    if not who["internals"] and task.status not in (TaskStatus.ASSIGNED, TaskStatus.DONE):
        raise Http404
    me = person_of_user(request.user)
    works = task.status == TaskStatus.ASSIGNED and (who["office"] or (me is not None and me.pk in (
        task.owner_person_id, getattr(task.owner, "liaison_id", None))))
    rated = me is not None and task.ratings.filter(person=me).exists()
    return render(request, PAGES + "task.html", {
        **who, "task": task, "updates": task.updates.order_by("created_at", "pk"),
        "owner_name": name_for(who, task.owner_person), "report_form": ReportForm() if works else None,
        "complete_form": CompleteForm() if works else None, "may_rate": task.status == TaskStatus.DONE and not rated
        and me is not None and not who["internals"], "rated": rated, "score": task.ratings.count()})


@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    who = _who(request, alliance)
    return render(request, PAGES + "meetings.html", {
        **who, "page": paginate(request, selectors.meetings(alliance)),
        "form": MeetingForm(members=selectors.current_members(alliance)) if who["office"] else None,
        "committee_form": CommitteeForm(members=selectors.current_members(alliance)) if who["office"] else None})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(JointMeeting.objects.select_related("alliance"), pk=pk)
    alliance = alliance_for(request, meeting.alliance_id, internals=True)
    who = _who(request, alliance)
    from yishiting.common.events import events_of

    raised = [e.payload for e in events_of(meeting).filter(kind="alliance_meeting.problem_raised")]
    return render(request, PAGES + "meeting.html", {
        **who, "meeting": meeting, "attendees": [m.organization.name for m in meeting.attendees.select_related("organization")],
        "raised": raised, "assigned": meeting.assigned_tasks.select_related("committee", "owner__organization"),
        "problem_form": ProblemForm(members=selectors.current_members(alliance))})


@login_required
def rating_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = alliance_for(request, pk, internals=True)
    who = _who(request, alliance)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    rated = {r.member_id: r for r in selectors.ratings(alliance, year)}
    members = selectors.current_members(alliance) if who["office"] else [who["mine"]]
    rows = [(m, rated.get(m.pk)) for m in members]
    if not who["office"]:
        rows = [(m, r) for m, r in rows if r is not None and r.status == "adopted"]
    from ..work import member_figures

    return render(request, PAGES + "ratings.html", {
        **who, "year": year, "rows": [(m, r, member_figures(m, year) if who["office"] and r is None else None)
                                      for m, r in rows],
        "grade_form": RatingForm(grades=alliance.grades) if who["office"] else None,
        "amend_form": AmendForm(grades=alliance.grades) if who["office"] else None,
        "open_vote": alliance.votes.filter(matter="rating", year=year, status="open").first(),
        "has_proposed": any(r is not None and r.status == "proposed" for r in rated.values())})


def committee_forms(committee: Committee, data=None) -> dict:
    """The office's forms on a 专委's page: add a unit, remove one (naming a new lead for the lead), change the lead."""
    alliance = committee.alliance
    members = selectors.current_members(alliance)
    units = committee.members.select_related("organization").order_by("pk")
    return {"add_form": CommitteeUnitForm(data, members=alliance.members.select_related("organization")),
            "remove_form": CommitteeRemoveForm(data, units=units, members=members),
            "lead_form": CommitteeLeadForm(data, members=members)}


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A 专委: its lead, its units, its tasks, its history; the office changes its units and lead here."""
    committee = get_object_or_404(Committee.objects.select_related("alliance", "lead__organization"), pk=pk)
    alliance = alliance_for(request, committee.alliance_id, internals=True)
    who = _who(request, alliance)
    forms = committee_forms(committee) if who["office"] else {}
    return render(request, PAGES + "committee.html", {
        **who, **forms, "committee": committee,
        "units": committee.members.select_related("organization").order_by("pk"),
        "tasks": committee.tasks.select_related("owner__organization").order_by("-year", "-quarter", "pk")[:20],
        "history": committee_history(committee)})


def member_page_access(request: HttpRequest, pk: int) -> tuple[Member, dict]:
    """A member unit's page: the office and the members' liaisons, or the unit's own side (its 单位代表)."""
    member = get_object_or_404(Member.objects.select_related("alliance__area", "organization__parent", "liaison",
                                                             "accepted_version"), pk=pk)
    alliance = member.alliance
    own = services.may_act_for_unit(request.user, member)
    if not (own or may_see_internals(request.user, alliance)):
        raise Http404
    who = _who(request, alliance)
    who["own"] = own
    return member, who


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member, who = member_page_access(request, pk)
    may_change = member.status == "admitted" and (who["office"] or who["own"])
    return render(request, PAGES + "member.html", {
        **who, "member": member,
        "liaison_form": LiaisonForm(people=liaison_choices(member.alliance)) if may_change else None,
        "history": member_history(member)})
