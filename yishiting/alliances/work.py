"""The alliance's work: committees (专委), the quarterly task lists (collected → sorted by the liaison office →
assigned at the assembly → done with evidence), joint meetings with minutes (a business district's problems
entering as demands through the intake service) and the year-end rating adopted by the assembly's vote."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Sum
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.demands.choices import Channel
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit

from . import transitions as tables
from .choices import MeetingKind, MemberStatus, RatingStatus, TaskSource, TaskStatus, VoteMatter
from .models import (
    Alliance,
    AssemblyVote,
    Committee,
    JointMeeting,
    Member,
    Task,
    TaskRating,
    TaskUpdate,
    UnitRating,
)
from .rules import liaison_member, may_manage
from .services import refuse_unless_office, vote_open


def _admitted(alliance: Alliance, member: Member | None, field: str) -> None:
    if member is not None and (member.alliance_id != alliance.pk or member.status != MemberStatus.ADMITTED):
        raise DomainError("not_member", gettext("所选单位不是本联盟的成员单位。"), details={"field": field})


@transaction.atomic
def committee_create(*, actor, alliance: Alliance, name: str, lead: Member, members: list[Member],
                     duty: str = "") -> Committee:
    """设立专委 with its lead unit and member units. Event committee.created."""
    refuse_unless_office(actor, alliance)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise DomainError("required", gettext("请填写专委名称（不超过 60 字）。"), details={"field": "name"})
    for member in [lead, *members]:
        _admitted(alliance, member, "lead" if member is lead else "members")
    if alliance.committees.filter(name=name).exists():
        raise Conflict("committee_exists", gettext("已有同名专委。"))
    committee = Committee.objects.create(alliance=alliance, path=alliance.path, name=name, lead=lead,
                                         duty=(duty or "").strip()[:300])
    committee.members.set({lead, *members})
    event_append(subject=committee, kind="committee.created", actor=actor, new_subject=True,
                 payload={"lead": lead.pk, "members": sorted(m.pk for m in {lead, *members})})
    return committee


def _committee_unit(alliance: Alliance, member: Member | None, field: str) -> None:
    if member is None or member.alliance_id != alliance.pk or member.status != MemberStatus.ADMITTED:
        raise DomainError("not_member", gettext("该单位不是本联盟在册的成员单位，不能加入专委。"),
                          details={"field": field})


def _locked(committee: Committee) -> Committee:
    return Committee.objects.select_for_update().select_related("alliance").get(pk=committee.pk)


@transaction.atomic
def committee_member_add(*, actor, committee: Committee, member: Member) -> Committee:
    """联络办 adds an admitted member unit to a 专委. Event committee.member_added."""
    refuse_unless_office(actor, committee)
    committee = _locked(committee)
    _committee_unit(committee.alliance, member, "member")
    if committee.members.filter(pk=member.pk).exists():
        raise Conflict("already_in_committee", gettext("该单位已是本专委的成员单位。"))
    committee.members.add(member)
    event_append(subject=committee, kind="committee.member_added", actor=actor, payload={"member": member.pk})
    return committee


@transaction.atomic
def committee_member_remove(*, actor, committee: Committee, member: Member, new_lead: Member | None = None,
                            reason: str = "") -> Committee:
    """联络办 removes a unit from a 专委; removing the lead unit names the new lead (a unit of the alliance, which
    joins the committee if it was not in it). Event committee.member_removed (with the new lead, if any)."""
    refuse_unless_office(actor, committee)
    committee = _locked(committee)
    if member is None or not committee.members.filter(pk=member.pk).exists():
        raise DomainError("not_in_committee", gettext("该单位不是本专委的成员单位。"), details={"field": "member"})
    payload = {"member": member.pk, "reason": (reason or "").strip()[:200]}
    if committee.lead_id == member.pk:
        if new_lead is None:
            raise DomainError("lead_required", gettext("移出牵头单位须同时指定新的牵头单位。"),
                              details={"field": "new_lead"})
        if new_lead.pk == member.pk:
            raise DomainError("lead_required", gettext("新的牵头单位不能是被移出的单位。"), details={"field": "new_lead"})
        _committee_unit(committee.alliance, new_lead, "new_lead")
        committee.lead = new_lead
        committee.save(update_fields=["lead"])
        committee.members.add(new_lead)
        payload["new_lead"] = new_lead.pk
    committee.members.remove(member)
    event_append(subject=committee, kind="committee.member_removed", actor=actor, payload=payload)
    return committee


@transaction.atomic
def committee_lead_change(*, actor, committee: Committee, lead: Member) -> Committee:
    """联络办 changes the 专委's lead unit (an admitted unit of the alliance; it joins the committee if it was not
    in it, and the former lead stays a member). Event committee.lead_changed."""
    refuse_unless_office(actor, committee)
    committee = _locked(committee)
    _committee_unit(committee.alliance, lead, "lead")
    if committee.lead_id == lead.pk:
        raise Conflict("same_lead", gettext("该单位已是本专委的牵头单位。"))
    before = committee.lead_id
    committee.lead = lead
    committee.save(update_fields=["lead"])
    committee.members.add(lead)
    event_append(subject=committee, kind="committee.lead_changed", actor=actor, payload={"from": before, "to": lead.pk})
    return committee


# ---- tasks ----

def _clean_quarter(year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise DomainError("invalid_quarter", gettext("年度或季度不正确。"), details={"field": "quarter"})


@transaction.atomic
def task_collect(*, actor, alliance: Alliance, year: int, quarter: int, title: str, source: str, detail: str = "",
                 demand: Demand | None = None, proposed_by: Member | None = None) -> Task:
    """收集 a task for a quarter's list: from a residents' demand (of the alliance's area), a member unit (its
    liaison proposes it) or the community (the office). Event alliance_task.collected."""
    own = liaison_member(actor, alliance)
    if not may_manage(actor, alliance) and not (source == TaskSource.UNIT and own is not None and own == proposed_by):
        raise PermissionDeniedError(gettext("任务由联络办收集；成员单位的联络党员可以提出本单位的任务。"))
    _clean_quarter(year, quarter)
    title = (title or "").strip()
    if not title or len(title) > 120:
        raise DomainError("required", gettext("请填写任务（不超过 120 字）。"), details={"field": "title"})
    if source not in TaskSource.values:
        raise DomainError("invalid_choice", gettext("任务来源不正确。"), details={"field": "source"})
    if source == TaskSource.DEMAND and (demand is None or not demand.path.startswith(alliance.path)):
        raise DomainError("demand_required", gettext("来自居民诉求的任务须选择本联盟区域内的诉求。"),
                          details={"field": "demand"})
    if source == TaskSource.UNIT and proposed_by is None:
        raise DomainError("required", gettext("请选择提出任务的成员单位。"), details={"field": "proposed_by"})
    _admitted(alliance, proposed_by, "proposed_by")
    task = Task.objects.create(alliance=alliance, path=alliance.path, year=year, quarter=quarter, title=title,
                               detail=(detail or "").strip()[:1000], source=source,
                               demand=demand if source == TaskSource.DEMAND else None, proposed_by=proposed_by)
    event_append(subject=task, kind="alliance_task.collected", actor=actor, new_subject=True,
                 payload={"source": source, "demand": getattr(demand, "pk", None), "year": year, "quarter": quarter})
    return task


@transaction.atomic
def task_sort(*, actor, task: Task, keep: bool, reason: str = "") -> Task:
    """联络办梳理: collected → sorted (on the list for the assembly) or dropped (with a reason)."""
    refuse_unless_office(actor, task)
    if keep:
        return transition(task, to=TaskStatus.SORTED, actor=actor, table=tables.TASK, kind="alliance_task.sorted")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("required", gettext("不列入时请写明原因。"), details={"field": "reason"})
    return transition(task, to=TaskStatus.DROPPED, actor=actor, table=tables.TASK, kind="alliance_task.dropped",
                      payload={"reason": reason}, changes={"drop_reason": reason})


@transaction.atomic
def task_assign(*, actor, task: Task, committee: Committee, owner: Member, deadline, meeting: JointMeeting,
                owner_person: Person | None = None) -> Task:
    """大会分派: a sorted task goes to a committee and an owner unit with a deadline, at an assembly meeting.
    sorted → assigned."""
    refuse_unless_office(actor, task)
    alliance = task.alliance
    if committee.alliance_id != alliance.pk:
        raise DomainError("invalid_choice", gettext("所选专委不属于本联盟。"), details={"field": "committee"})
    _admitted(alliance, owner, "owner")
    if meeting.alliance_id != alliance.pk or meeting.kind != MeetingKind.ASSEMBLY:
        raise DomainError("assembly_required", gettext("任务须在联盟大会上分派，请选择本联盟的大会。"),
                          details={"field": "meeting"})
    if deadline is None or deadline < meeting.held_on:
        raise DomainError("deadline", gettext("请填写不早于大会日期的完成时限。"), details={"field": "deadline"})
    owner_person = owner_person or owner.liaison
    return transition(task, to=TaskStatus.ASSIGNED, actor=actor, table=tables.TASK, kind="alliance_task.assigned",
                      payload={"committee": committee.pk, "owner": owner.pk, "deadline": deadline,
                               "meeting": meeting.pk},
                      changes={"committee": committee, "owner": owner, "owner_person": owner_person,
                               "deadline": deadline, "meeting": meeting})


def _may_work(actor, task: Task) -> bool:
    person = person_of_user(actor)
    return may_manage(actor, task) or (person is not None and person.pk in (task.owner_person_id,
                                                                            getattr(task.owner, "liaison_id", None)))


@transaction.atomic
def task_report(*, actor, task: Task, progress: int, note: str, hours: Decimal = Decimal("0")) -> TaskUpdate:
    """进展: the owner unit (its liaison or the named owner) or the office reports progress and service hours.
    Event alliance_task.progress."""
    if not _may_work(actor, task):
        raise PermissionDeniedError(gettext("只有责任单位和联络办可以填报进展。"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.ASSIGNED:
        raise Conflict("not_assigned", gettext("只有已分派、未完成的任务可以填报进展。"))
    note = (note or "").strip()
    if not note or len(note) > 300:
        raise DomainError("required", gettext("请填写进展（不超过 300 字）。"), details={"field": "note"})
    if not 0 <= progress <= 100 or progress < task.progress:
        raise DomainError("progress", gettext("进度应在 %(n)s 到 100 之间。") % {"n": task.progress},
                          details={"field": "progress"})
    if hours is None or hours < 0 or hours > 1000:
        raise DomainError("hours", gettext("服务时长不正确。"), details={"field": "hours"})
    update = TaskUpdate.objects.create(task=task, progress=progress, hours=hours, note=note, author=actor)
    task.progress, task.hours = progress, task.hours + hours
    task.save(update_fields=["progress", "hours"])
    event_append(subject=task, kind="alliance_task.progress", actor=actor,
                 payload={"progress": progress, "hours": str(hours)})
    return update


@transaction.atomic
def task_complete(*, actor, task: Task, evidence: str) -> Task:
    """销号: done only with evidence. assigned → done."""
    if not _may_work(actor, task):
        raise PermissionDeniedError(gettext("只有责任单位和联络办可以销号。"))
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError("evidence_required", gettext("销号须附完成佐证。"), details={"field": "evidence"})
    return transition(task, to=TaskStatus.DONE, actor=actor, table=tables.TASK, kind="alliance_task.done",
                      changes={"evidence": evidence[:1000], "progress": 100, "done_at": timezone.now()})


@transaction.atomic
def task_rate(*, actor, task: Task, stars: int) -> TaskRating:
    """A resident of the area rates a done task (1–5, once). Event alliance_task.rated."""
    person = person_of_user(actor)
    if person is None or not has_perm(actor, "alliances.view", task):
        raise PermissionDeniedError(gettext("只有本区域的居民可以评价联盟任务。"))
    if task.status != TaskStatus.DONE:
        raise Conflict("not_done", gettext("任务完成后才能评价。"))
    if stars not in (1, 2, 3, 4, 5):
        raise DomainError("invalid_choice", gettext("评分应为 1 到 5 星。"), details={"field": "stars"})
    if task.ratings.filter(person=person).exists():
        raise Conflict("already_rated", gettext("您已经评价过这项任务。"))
    rating = TaskRating.objects.create(task=task, person=person, stars=stars)
    event_append(subject=task, kind="alliance_task.rated", actor=actor, payload={"stars": stars})
    return rating


# ---- meetings ----

@transaction.atomic
def meeting_record(*, actor, alliance: Alliance, kind: str, held_on, place: str, subject: str, minutes: str = "",
                   attendees: list[Member] = ()) -> JointMeeting:
    """记录 a 联席会 or an assembly with its minutes and the units present. Event alliance_meeting.recorded."""
    refuse_unless_office(actor, alliance)
    if kind not in MeetingKind.values:
        raise DomainError("invalid_choice", gettext("会议类型不正确。"), details={"field": "kind"})
    place, subject = (place or "").strip()[:100], (subject or "").strip()[:200]
    if not subject or not place or held_on is None:
        raise DomainError("required", gettext("请填写日期、地点和议题。"), details={"field": "subject"})
    if held_on > timezone.localdate() + timezone.timedelta(days=60):
        raise DomainError("future", gettext("会议日期不能晚于 60 天后。"), details={"field": "held_on"})
    for member in attendees:
        _admitted(alliance, member, "attendees")
    meeting = JointMeeting.objects.create(alliance=alliance, path=alliance.path, kind=kind, held_on=held_on,
                                          place=place, subject=subject, minutes=(minutes or "").strip()[:5000])
    meeting.attendees.set(attendees)
    event_append(subject=meeting, kind="alliance_meeting.recorded", actor=actor, new_subject=True,
                 payload={"kind": kind, "held_on": held_on, "attendees": len(attendees)})
    return meeting


@transaction.atomic
def problem_raise(*, actor, meeting: JointMeeting, text: str, member: Member | None = None) -> Demand:
    """A problem raised at a (business district's) joint meeting enters as a demand through the intake service,
    channel 党建联盟联席会, at the alliance's area. Event alliance_meeting.problem_raised."""
    alliance = meeting.alliance
    if not (may_manage(actor, alliance) or liaison_member(actor, alliance) is not None):
        raise PermissionDeniedError(gettext("只有联络办和成员单位的联络党员可以提交联席会上的问题。"))
    _admitted(alliance, member, "member")
    unit = f"（{member.organization.name}）" if member else ""
    # The demand's text is stored data, in the community's language whatever the screen shows.
    stored = f"【{alliance.name}联席会】{(text or '').strip()}{unit}"  # zh-only: stored text
    demand = demand_submit(actor=actor, submission=Submission(text=stored, area=alliance.area,
                                                              channel=Channel.ALLIANCE))
    event_append(subject=meeting, kind="alliance_meeting.problem_raised", actor=actor,
                 payload={"demand": demand.pk, "number": demand.number, "member": getattr(member, "pk", None)})
    return demand


# ---- the year-end rating ----

def member_figures(member: Member, year: int) -> dict:
    """What the rating rests on: tasks done in `year`, the hours reported on them, residents' average rating."""
    done = Task.objects.filter(owner=member, status=TaskStatus.DONE, year=year)
    hours = done.aggregate(h=Sum("hours"))["h"] or Decimal("0")
    score = TaskRating.objects.filter(task__in=done).aggregate(a=Avg("stars"))["a"]
    return {"tasks_done": done.count(), "hours": hours,
            "resident_score": Decimal(str(round(score, 2))) if score is not None else None}


@transaction.atomic
def rating_propose(*, actor, member: Member, year: int, grade: str) -> UnitRating:
    """联络办初评: the unit's figures for `year` computed, the proposed grade (of the alliance's scale) set;
    proposing again before adoption replaces the grade. Event unit_rating.proposed."""
    refuse_unless_office(actor, member)
    alliance = member.alliance
    if grade not in alliance.grades:
        raise DomainError("invalid_choice", gettext("等次应为 %(g)s 之一。") % {"g": "/".join(alliance.grades)},
                          details={"field": "grade"})
    if member.status != MemberStatus.ADMITTED:
        raise DomainError("not_member", gettext("只有在册成员单位参加年度评定。"), details={"field": "member"})
    rating = UnitRating.objects.select_for_update().filter(alliance=alliance, member=member, year=year).first()
    if rating is not None and rating.status == RatingStatus.ADOPTED:
        raise Conflict("rating_adopted", gettext("该单位本年度的等次已由大会评定。"))
    figures = member_figures(member, year)
    rating, _ = UnitRating.objects.update_or_create(alliance=alliance, member=member, year=year,
                                                    defaults={"path": alliance.path, "grade": grade, **figures})
    event_append(subject=rating, kind="unit_rating.proposed", actor=actor,
                 payload={"grade": grade, "tasks_done": figures["tasks_done"], "hours": str(figures["hours"])})
    return rating


@transaction.atomic
def rating_submit(*, actor, alliance: Alliance, year: int, meeting: JointMeeting | None = None) -> AssemblyVote:
    """提交大会评定: the year's proposed ratings go to the assembly's vote (one vote on the whole list)."""
    refuse_unless_office(actor, alliance)
    if not alliance.ratings.filter(year=year, status=RatingStatus.PROPOSED).exists():
        raise Conflict("no_ratings", gettext("本年度还没有待评定的单位。"))
    return vote_open(actor=actor, alliance=alliance, matter=VoteMatter.RATING, year=year, meeting=meeting)


@transaction.atomic
def rating_amend(*, actor, rating: UnitRating, grade: str, reason: str) -> AssemblyVote:
    """提请更正: an adopted grade of one member unit is changed only by a new vote of the assembly on that unit
    (VoteMatter.AMENDMENT), opened here; the grade stands until the vote passes. The unit's figures are computed
    again. Event unit_rating.amendment_proposed."""
    refuse_unless_office(actor, rating)
    rating = UnitRating.objects.select_for_update().select_related("alliance", "member").get(pk=rating.pk)
    alliance = rating.alliance
    if rating.status != RatingStatus.ADOPTED:
        raise Conflict("rating_not_adopted", gettext("初评等次可直接修改；大会评定后的等次才需提请更正。"))
    if grade not in alliance.grades:
        raise DomainError("invalid_choice", gettext("等次应为 %(g)s 之一。") % {"g": "/".join(alliance.grades)},
                          details={"field": "grade"})
    if grade == rating.grade:
        raise DomainError("same_grade", gettext("更正后的等次与现评定等次相同。"), details={"field": "grade"})
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("required", gettext("请写明更正理由。"), details={"field": "reason"})
    if rating.pending_grade:
        raise Conflict("vote_open", gettext("该单位的等次更正已在表决中。"))
    figures = member_figures(rating.member, rating.year)
    for name, value in {"pending_grade": grade, "amend_reason": reason, **figures}.items():
        setattr(rating, name, value)
    rating.save(update_fields=["pending_grade", "amend_reason", *figures])
    event_append(subject=rating, kind="unit_rating.amendment_proposed", actor=actor,
                 payload={"from": rating.grade, "to": grade, "reason": reason})
    return vote_open(actor=actor, alliance=alliance, matter=VoteMatter.AMENDMENT, member=rating.member,
                     year=rating.year)


def rating_amendment_close(*, actor, vote: AssemblyVote, passed: bool) -> UnitRating | None:
    """The assembly voted on one unit's amendment (called by services.vote_close): passed → the new grade, this
    vote and the grade it replaced are kept (the letter is produced again from them); failed → the adopted grade
    stands. Event unit_rating.amended / unit_rating.amendment_rejected."""
    rating = (vote.alliance.ratings.select_for_update()
              .filter(member=vote.member, year=vote.year, status=RatingStatus.ADOPTED).exclude(pending_grade="")
              .first())
    if rating is None:
        return None
    before, after = rating.grade, rating.pending_grade
    if passed:
        rating.previous_grade, rating.grade, rating.vote = before, after, vote
        event_kind, payload = "unit_rating.amended", {"from": before, "to": after, "vote": vote.pk}
    else:
        event_kind, payload = "unit_rating.amendment_rejected", {"grade": before, "proposed": after, "vote": vote.pk}
    rating.pending_grade = ""
    rating.save(update_fields=["previous_grade", "grade", "vote", "pending_grade"])
    event_append(subject=rating, kind=event_kind, actor=actor, payload=payload)
    return rating


def ratings_adopt(*, actor, vote: AssemblyVote) -> int:
    """The assembly adopted the year's list (called by services.vote_close): proposed → adopted."""
    rows = list(vote.alliance.ratings.select_for_update().filter(year=vote.year, status=RatingStatus.PROPOSED))
    for rating in rows:
        rating.status, rating.vote = RatingStatus.ADOPTED, vote
        rating.save(update_fields=["status", "vote"])
        event_append(subject=rating, kind="unit_rating.adopted", actor=actor, payload={"grade": rating.grade,
                                                                                        "vote": vote.pk})
    return len(rows)
