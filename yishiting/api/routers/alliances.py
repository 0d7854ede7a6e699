"""/alliances: the 党建联盟 a caller may open, an alliance with its 盟约, members and committees, its quarterly
tasks, a unit's application, the assembly's votes and ballots, progress on a task — the same selectors, rules and
services as the pages (yishiting/alliances)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.alliances import selectors, services, work
from yishiting.alliances.choices import TaskStatus
from yishiting.alliances.models import Alliance, AssemblyVote, Task
from yishiting.alliances.rules import may_open, may_see_internals
from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.alliances import (
    AllianceApplyIn,
    AllianceBallotIn,
    AllianceDetailOut,
    AllianceMemberOut,
    AllianceOut,
    AllianceProgressIn,
    AllianceTaskOut,
    AllianceTaskQuery,
    AllianceVoteOut,
)
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.areas.models import Organization, Person
from yishiting.common.errors import NotFound
from yishiting.common.masking import mask_name

router = Router(tags=["党建联盟"])
NOT_FOUND = "找不到该党建联盟。"  # zh-only: the API answers in Chinese


def alliance_out(a: Alliance) -> dict:
    return {"id": a.pk, "name": a.name, "kind": a.kind, "kind_label": a.get_kind_display(), "status": a.status,
            "area_id": a.area_id, "area": a.area.full_name, "grades": a.grades}


def _alliance(user, pk: int) -> Alliance:
    alliance = visible_or_404(Alliance.objects.select_related("area"), pk, NOT_FOUND)
    if not may_open(user, alliance):
        raise NotFound(NOT_FOUND)
    return alliance


def member_out(m, internals: bool) -> dict:
    return {"id": m.pk, "organization": m.organization.name, "status": m.status,
            "liaison": m.liaison.name if internals else mask_name(m.liaison.name),
            "accepted_version": m.accepted_version.number if m.accepted_version_id else None,
            "admitted_on": m.admitted_on}


@router.get("", response={200: page_of(AllianceOut), **COMMON_ERRORS}, summary="党建联盟列表")
def list_alliances(request: HttpRequest, query: Query[PageQuery]):
    page = paginate(selectors.alliances_visible_to(actor(request)).order_by("path", "pk"), query)
    return {**page, "items": [alliance_out(a) for a in page["items"]]}


@router.get("/{int:alliance_id}", response={200: AllianceDetailOut, **COMMON_ERRORS}, summary="党建联盟详情")
def get_alliance(request: HttpRequest, alliance_id: int):
    user = actor(request)
    alliance = _alliance(user, alliance_id)
    internals = may_see_internals(user, alliance)
    version = selectors.current_version(alliance)
    covenant = ({"id": version.pk, "number": version.number, "title": version.title, "status": version.status,
                 "clauses": [{"number": c.number, "text": c.text} for c in version.clauses.order_by("number")]}
                if version else None)
    return {**alliance_out(alliance), "covenant": covenant,
            "members": [member_out(m, internals) for m in selectors.current_members(alliance)],
            "committees": [{"id": c.pk, "name": c.name, "lead": c.lead.organization.name,
                            "members": [m.organization.name for m in c.members.all()]}
                           for c in selectors.committees(alliance)]}


@router.get("/{int:alliance_id}/tasks", response={200: page_of(AllianceTaskOut), **COMMON_ERRORS}, summary="季度任务")
def tasks(request: HttpRequest, alliance_id: int, query: Query[AllianceTaskQuery]):
    user = actor(request)
    alliance = _alliance(user, alliance_id)
    rows = selectors.tasks(alliance, query.year, query.quarter)
    if not may_see_internals(user, alliance):
        rows = rows.filter(status__in=[TaskStatus.ASSIGNED, TaskStatus.DONE])
    page = paginate(rows, query)
    return {**page, "items": [{
        "id": t.pk, "year": t.year, "quarter": t.quarter, "title": t.title, "source": t.source, "status": t.status,
        "committee": t.committee.name if t.committee_id else None,
        "owner": t.owner.organization.name if t.owner_id else None, "deadline": t.deadline,
        "progress": t.progress, "hours": t.hours} for t in page["items"]]}


@router.post("/{int:alliance_id}/applications", response={201: AllianceMemberOut, **WRITE_ERRORS}, summary="入盟申请")
def apply(request: HttpRequest, alliance_id: int, payload: AllianceApplyIn):
    """单位申请入盟并承诺遵守现行盟约：由单位的联络党员本人提交，或由联络办录入书面申请。"""
    user = actor(request)
    alliance = _alliance(user, alliance_id)
    organization = visible_or_404(Organization.objects.filter(path__startswith=alliance.path), payload.organization_id)
    liaison = visible_or_404(Person.objects.all(), payload.liaison_id)
    member = services.member_apply(actor=user, alliance=alliance, organization=organization, liaison=liaison,
                                   application=payload.application, accepts_covenant=payload.accepts_covenant,
                                   superior=payload.superior)
    return Status(201, member_out(member, True))


def vote_out(v: AssemblyVote) -> dict:
    return {"id": v.pk, "matter": v.matter, "status": v.status, "electorate": len(v.electorate), "quorum": v.quorum,
            "yes": v.yes, "no": v.no, "abstain": v.abstain}


def _vote(user, pk: int) -> AssemblyVote:
    vote = visible_or_404(AssemblyVote.objects.select_related("alliance"), pk, "找不到该表决。")
    if not may_see_internals(user, vote.alliance):
        raise NotFound("找不到该表决。")
    return vote


@router.get("/votes/{int:vote_id}", response={200: AllianceVoteOut, **COMMON_ERRORS}, summary="大会表决")
def get_vote(request: HttpRequest, vote_id: int):
    return vote_out(_vote(actor(request), vote_id))


@router.post("/votes/{int:vote_id}/ballots", response={201: AllianceVoteOut, **WRITE_ERRORS}, summary="投票")
def cast(request: HttpRequest, vote_id: int, payload: AllianceBallotIn):
    """成员单位的联络党员投本单位一票；联络办可代为录入（填写 member_id）。"""
    user = actor(request)
    vote = _vote(user, vote_id)
    member = visible_or_404(vote.alliance.members.all(), payload.member_id) if payload.member_id else None
    services.ballot_cast(actor=user, vote=vote, choice=payload.choice, member=member)
    return Status(201, vote_out(AssemblyVote.objects.get(pk=vote.pk)))


@router.post("/tasks/{int:task_id}/progress", response={201: AllianceTaskOut, **WRITE_ERRORS}, summary="填报任务进展")
def progress(request: HttpRequest, task_id: int, payload: AllianceProgressIn):
    user = actor(request)
    task = visible_or_404(Task.objects.select_related("alliance", "owner__organization", "committee"), task_id)
    _alliance(user, task.alliance_id)
    work.task_report(actor=user, task=task, progress=payload.progress, note=payload.note, hours=payload.hours)
    task.refresh_from_db()
    return Status(201, {"id": task.pk, "year": task.year, "quarter": task.quarter, "title": task.title,
                        "source": task.source, "status": task.status,
                        "committee": task.committee.name if task.committee_id else None,
                        "owner": task.owner.organization.name if task.owner_id else None,
                        "deadline": task.deadline, "progress": task.progress, "hours": task.hours})
