"""Writes on the alliance itself: founding, the 盟约's versions and consultation, membership (apply → office review
→ assembly vote → admitted; withdrawal, removal) and the assembly's votes. Each write appends an event; state
changes go through common.transitions with the tables in transitions.py."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Organization, Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition

from . import transitions as tables
from .choices import AllianceKind, AllianceStatus, Choice, MemberStatus, VersionStatus, VoteMatter, VoteStatus
from .models import (
    Alliance,
    AssemblyBallot,
    AssemblyVote,
    Clause,
    ClauseComment,
    CovenantVersion,
    JointMeeting,
    Member,
)
from .rules import liaison_member, may_manage

GRADE_SCALES = ("ABC", "ABCD")
MAX_CLAUSES = 50


def refuse_unless_office(actor, obj) -> None:
    if actor is not None and not may_manage(actor, obj):
        raise PermissionDeniedError(gettext("只有本联盟联络办（所在区域的社区工作人员、社区书记）可以办理。"))


def _clean_clauses(clauses: list[str]) -> list[str]:
    kept = [c.strip() for c in clauses if c and c.strip()]
    if not kept:
        raise DomainError("required", gettext("盟约至少要有一条条文。"), details={"field": "clauses"})
    if len(kept) > MAX_CLAUSES or any(len(c) > 1000 for c in kept):
        raise DomainError("too_long", gettext("盟约最多 %(n)s 条，每条不超过 1000 字。") % {"n": MAX_CLAUSES},
                          details={"field": "clauses"})
    return kept


@transaction.atomic
def alliance_create(*, actor, area: Area, name: str, kind: str = AllianceKind.COMMUNITY, grades: str = "ABC",
                    title: str, clauses: list[str]) -> Alliance:
    """设立 an alliance at `area` (筹建中) with its 盟约's first draft. Event alliance.founded."""
    refuse_unless_office(actor, area)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("required", gettext("请填写联盟名称（不超过 100 字）。"), details={"field": "name"})
    if kind not in AllianceKind.values:
        raise DomainError("invalid_choice", gettext("联盟类型不正确。"), details={"field": "kind"})
    if grades not in GRADE_SCALES:
        raise DomainError("invalid_choice", gettext("评定等次应为 ABC 或 ABCD。"), details={"field": "grades"})
    alliance = Alliance.objects.create(area=area, path=area.path, name=name, kind=kind, grades=grades)
    event_append(subject=alliance, kind="alliance.founded", actor=actor, new_subject=True,
                 payload={"area": area.pk, "name": name, "kind": kind})
    version_draft(actor=actor, alliance=alliance, title=title, clauses=clauses)
    return alliance


@transaction.atomic
def version_draft(*, actor, alliance: Alliance, title: str, clauses: list[str]) -> CovenantVersion:
    """起草 a new version of the 盟约 (one draft or consultation at a time). Event covenant.drafted."""
    refuse_unless_office(actor, alliance)
    title = (title or "").strip()[:100] or gettext("盟约")
    clauses = _clean_clauses(clauses)
    Alliance.objects.select_for_update().get(pk=alliance.pk)
    if alliance.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.CONSULTING]).exists():
        raise Conflict("draft_exists", gettext("已有一份盟约草案在起草或征求意见中。"))
    number = (alliance.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = CovenantVersion.objects.create(alliance=alliance, path=alliance.path, number=number, title=title)
    Clause.objects.bulk_create([Clause(version=version, number=i, text=t) for i, t in enumerate(clauses, start=1)])
    event_append(subject=version, kind="covenant.drafted", actor=actor, new_subject=True,
                 payload={"number": number, "clauses": len(clauses)})
    return version


@transaction.atomic
def version_consult(*, actor, version: CovenantVersion) -> CovenantVersion:
    """征求意见: the draft goes to every member unit for comments per clause. draft → consulting."""
    refuse_unless_office(actor, version)
    return transition(version, to=VersionStatus.CONSULTING, actor=actor, table=tables.VERSION,
                      kind="covenant.consulting")


def _commenting_member(actor, alliance: Alliance) -> Member:
    """The unit a comment or ballot speaks for: the admitted unit whose liaison party member the actor is."""
    member = liaison_member(actor, alliance)
    if member is None:
        raise PermissionDeniedError(gettext("只有成员单位的联络党员可以代表本单位提出意见或投票。"))
    return member


@transaction.atomic
def clause_comment(*, actor, clause: Clause, text: str) -> ClauseComment:
    """A member unit's comment on one clause while the draft is being consulted on. Event covenant.commented."""
    version = clause.version
    member = _commenting_member(actor, version.alliance)
    text = (text or "").strip()
    if not text or len(text) > 500:
        raise DomainError("required", gettext("请填写意见（不超过 500 字）。"), details={"field": "text"})
    if CovenantVersion.objects.get(pk=version.pk).status != VersionStatus.CONSULTING:
        raise Conflict("not_consulting", gettext("这一版盟约不在征求意见中。"))
    comment = ClauseComment.objects.create(clause=clause, member=member, author=actor, text=text)
    event_append(subject=version, kind="covenant.commented", actor=actor,
                 payload={"clause": clause.number, "member": member.pk, "comment": comment.pk})
    return comment


def _adopt(actor, version: CovenantVersion) -> None:
    previous = version.alliance.versions.filter(status=VersionStatus.ADOPTED).first()
    if previous is not None:
        transition(previous, to=VersionStatus.SUPERSEDED, actor=actor, table=tables.VERSION,
                   kind="covenant.superseded")
    transition(version, to=VersionStatus.ADOPTED, actor=actor, table=tables.VERSION, kind="covenant.adopted",
               changes={"adopted_at": timezone.now()})
    alliance = version.alliance
    if alliance.status == AllianceStatus.FOUNDING:  # the founders accepted the draft they adopted
        alliance.members.filter(status=MemberStatus.ADMITTED).update(accepted_version=version)
        Alliance.objects.filter(pk=alliance.pk).update(status=AllianceStatus.ACTIVE)
        event_append(subject=alliance, kind="alliance.activated", actor=actor, payload={"covenant": version.number})


def current_version(alliance: Alliance) -> CovenantVersion | None:
    return alliance.versions.filter(status=VersionStatus.ADOPTED).first()


# ---- membership ----

def _clean_unit(alliance: Alliance, organization: Organization, liaison: Person) -> None:
    if not organization.is_active or not (organization.path.startswith(alliance.path)
                                          or alliance.path.startswith(organization.path)):
        raise DomainError("organization_outside", gettext("所选单位不在本联盟所在区域（或其上级区域），或已停用。"),
                          details={"field": "organization"})
    if liaison is None:
        raise DomainError("required", gettext("请指定本单位的联络党员。"), details={"field": "liaison"})
    if alliance.members.filter(organization=organization, status__in=[MemberStatus.APPLIED, MemberStatus.REVIEWED,
                                                                      MemberStatus.ADMITTED]).exists():
        raise Conflict("already_member", gettext("该单位已是成员单位，或申请正在办理中。"))


def _insert_member(alliance: Alliance, **fields) -> Member:
    try:
        with transaction.atomic():
            return Member.objects.create(alliance=alliance, path=alliance.path, **fields)
    except IntegrityError:
        raise Conflict("already_member", gettext("该单位已是成员单位，或申请正在办理中。")) from None


@transaction.atomic
def member_found(*, actor, alliance: Alliance, organization: Organization, liaison: Person,
                 superior: str = "") -> Member:
    """发起单位: while the alliance is being founded, the office enters its founding units (admitted at once;
    they adopt the first 盟约 by the assembly's vote). Event member.founded."""
    refuse_unless_office(actor, alliance)
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if alliance.status != AllianceStatus.FOUNDING:
        raise Conflict("not_founding", gettext("联盟已成立，新单位须提出申请，由联络办审核、大会表决。"))
    _clean_unit(alliance, organization, liaison)
    member = _insert_member(alliance, organization=organization, liaison=liaison, status=MemberStatus.ADMITTED,
                            superior=(superior or "")[:100], admitted_on=timezone.localdate())
    event_append(subject=member, kind="member.founded", actor=actor, new_subject=True,
                 payload={"organization": organization.pk, "liaison": liaison.pk})
    return member


@transaction.atomic
def member_apply(*, actor, alliance: Alliance, organization: Organization, liaison: Person, application: str,
                 accepts_covenant: bool, superior: str = "") -> Member:
    """入盟申请: a unit applies and accepts the current 盟约 (the office may enter a written application).
    Event member.applied."""
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if not (may_manage(actor, alliance) or liaison.user_id == getattr(actor, "pk", None)):
        raise PermissionDeniedError(gettext("入盟申请由单位的联络党员本人提交，或由联络办代为录入书面申请。"))
    version = current_version(alliance)
    if version is None:
        raise Conflict("no_covenant", gettext("联盟尚未通过盟约，暂不接受入盟申请。"))
    if not accepts_covenant:
        raise DomainError("covenant_required", gettext("申请入盟须承诺遵守现行盟约。"),
                          details={"field": "accepts_covenant"})
    _clean_unit(alliance, organization, liaison)
    member = _insert_member(alliance, organization=organization, liaison=liaison, accepted_version=version,
                            application=(application or "").strip()[:1000], superior=(superior or "")[:100])
    event_append(subject=member, kind="member.applied", actor=actor, new_subject=True,
                 payload={"organization": organization.pk, "covenant": version.number})
    return member


@transaction.atomic
def member_review(*, actor, member: Member, approve: bool, note: str = "") -> Member:
    """联络办审核: applied → reviewed (goes to the assembly's vote, opened here) or rejected."""
    refuse_unless_office(actor, member)
    note = (note or "").strip()[:200]
    if not approve:
        if not note:
            raise DomainError("required", gettext("不予通过时请写明理由。"), details={"field": "note"})
        return transition(member, to=MemberStatus.REJECTED, actor=actor, table=tables.MEMBER, kind="member.rejected",
                          payload={"note": note}, changes={"review_note": note})
    member = transition(member, to=MemberStatus.REVIEWED, actor=actor, table=tables.MEMBER, kind="member.reviewed",
                        payload={"note": note}, changes={"review_note": note})
    vote_open(actor=actor, alliance=member.alliance, matter=VoteMatter.ADMISSION, member=member)
    return member


@transaction.atomic
def member_leave(*, actor, member: Member, removed: bool, reason: str) -> Member:
    """退出 (withdrawal, by the unit's liaison or the office) or 除名 (removal, by the office). Event
    member.withdrawn / member.removed."""
    reason = (reason or "").strip()[:200]
    own = member.liaison.user_id == getattr(actor, "pk", None)
    if not (may_manage(actor, member) or (own and not removed)):
        raise PermissionDeniedError(gettext("退出由本单位联络党员或联络办办理；除名由联络办办理。"))
    if removed and not reason:
        raise DomainError("required", gettext("除名须写明理由。"), details={"field": "reason"})
    to = MemberStatus.REMOVED if removed else MemberStatus.WITHDRAWN
    return transition(member, to=to, actor=actor, table=tables.MEMBER, kind=f"member.{to}",
                      payload={"reason": reason}, changes={"ended_on": timezone.localdate(), "end_reason": reason})


@transaction.atomic
def member_accept_version(*, actor, member: Member) -> Member:
    """A member unit accepts the current 盟约 (after a new version was adopted). Event member.accepted_covenant."""
    if member.liaison.user_id != getattr(actor, "pk", None) and not may_manage(actor, member):
        raise PermissionDeniedError(gettext("只有本单位联络党员或联络办可以办理。"))
    version = current_version(member.alliance)
    if version is None or member.status != MemberStatus.ADMITTED:
        raise Conflict("not_member", gettext("只有成员单位可以承诺遵守现行盟约。"))
    Member.objects.filter(pk=member.pk).update(accepted_version=version)
    member.accepted_version = version
    event_append(subject=member, kind="member.accepted_covenant", actor=actor, payload={"covenant": version.number})
    return member


def may_act_for_unit(actor, member: Member) -> bool:
    """The unit's own side: its liaison party member, or a 单位代表 (ORG_REPRESENTATIVE) of the unit."""
    person = person_of_user(actor) if getattr(actor, "is_authenticated", False) else None
    if person is None:
        return False
    return person.pk == member.liaison_id or person.roles.filter(
        role=Role.ORG_REPRESENTATIVE, organization_id=member.organization_id, is_active=True).exists()


@transaction.atomic
def member_liaison_change(*, actor, member: Member, liaison: Person, eligible=None) -> Member:
    """更换联络党员: by the unit's own side (its liaison or a 单位代表 of the unit) or the office, for an admitted
    unit; `eligible` is who may be named (the page's party members of the area). Event member.liaison_changed."""
    if not (may_manage(actor, member) or may_act_for_unit(actor, member)):
        raise PermissionDeniedError(gettext("联络党员由本单位或联络办更换。"))
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.ADMITTED:
        raise Conflict("not_member", gettext("只有在册成员单位可以更换联络党员。"))
    if liaison is None or (eligible is not None and not eligible.filter(pk=liaison.pk).exists()):
        raise DomainError("required", gettext("请从本联盟区域的党员中选择新的联络党员。"), details={"field": "liaison"})
    if liaison.pk == member.liaison_id:
        raise DomainError("same_liaison", gettext("所选党员已是本单位的联络党员。"), details={"field": "liaison"})
    before = member.liaison_id
    member.liaison = liaison
    member.save(update_fields=["liaison"])
    event_append(subject=member, kind="member.liaison_changed", actor=actor, payload={"from": before, "to": liaison.pk})
    return member


# ---- the assembly's votes ----

@transaction.atomic
def vote_open(*, actor, alliance: Alliance, matter: str, member: Member | None = None,
              version: CovenantVersion | None = None, year: int | None = None,
              meeting: JointMeeting | None = None) -> AssemblyVote:
    """发起大会表决 on admitting `member`, adopting `version` of the 盟约, or the ratings of `year`. The electorate
    is the member units admitted now; the quorum is the alliance's share of them. Event assembly.vote_opened."""
    refuse_unless_office(actor, alliance)
    electorate = list(alliance.members.filter(status=MemberStatus.ADMITTED).order_by("pk").values_list("pk", flat=True))
    if not electorate:
        raise Conflict("no_electorate", gettext("联盟还没有成员单位，无法表决。"))
    if matter == VoteMatter.COVENANT and (version is None or version.status != VersionStatus.CONSULTING):
        raise Conflict("not_consulting", gettext("盟约草案须先征求全体成员单位意见，再提交大会表决。"))
    if matter == VoteMatter.ADMISSION and (member is None or member.status != MemberStatus.REVIEWED):
        raise Conflict("not_reviewed", gettext("入盟申请须经联络办审核后才能提交大会表决。"))
    quorum = alliance.quorum_of(len(electorate))
    try:
        with transaction.atomic():
            vote = AssemblyVote.objects.create(alliance=alliance, path=alliance.path, matter=matter, member=member,
                                               version=version, year=year, meeting=meeting, electorate=electorate,
                                               quorum=quorum)
    except IntegrityError:
        raise Conflict("vote_open", gettext("这一事项已在表决中。")) from None
    event_append(subject=vote, kind="assembly.vote_opened", actor=actor, new_subject=True,
                 payload={"matter": matter, "electorate": len(electorate), "quorum": quorum})
    return vote


@transaction.atomic
def ballot_cast(*, actor, vote: AssemblyVote, choice: str, member: Member | None = None) -> AssemblyBallot:
    """A member unit's ballot: cast by its liaison party member, or entered by the office for `member` (a show
    of hands at the assembly). One ballot per unit. Event assembly.ballot_cast."""
    vote = AssemblyVote.objects.select_for_update().select_related("alliance").get(pk=vote.pk)
    if member is not None:
        refuse_unless_office(actor, vote)
    else:
        member = _commenting_member(actor, vote.alliance)
    if vote.status != VoteStatus.OPEN:
        raise Conflict("vote_closed", gettext("表决已经结束。"))
    if choice not in Choice.values:
        raise DomainError("invalid_choice", gettext("请选择同意、反对或弃权。"), details={"field": "choice"})
    if member.pk not in vote.electorate:
        raise PermissionDeniedError(gettext("该单位在表决发起时还不是成员单位，没有表决权。"))
    if vote.ballots.filter(member=member).exists():
        raise Conflict("already_voted", gettext("本单位已经投过票。"))
    ballot = AssemblyBallot.objects.create(vote=vote, member=member, choice=choice, cast_by=actor)
    setattr(vote, choice, getattr(vote, choice) + 1)
    vote.save(update_fields=[choice])
    event_append(subject=vote, kind="assembly.ballot_cast", actor=actor, payload={"member": member.pk, "choice": choice})
    return ballot


@transaction.atomic
def vote_close(*, actor, vote: AssemblyVote) -> AssemblyVote:
    """计票: passes when at least the quorum of units voted and more than half of the votes cast agree; then
    the matter takes effect (admitted, adopted, rated). Event assembly.vote_closed."""
    refuse_unless_office(actor, vote)
    vote = AssemblyVote.objects.select_for_update().select_related("alliance").get(pk=vote.pk)
    if vote.status != VoteStatus.OPEN:
        raise Conflict("vote_closed", gettext("表决已经结束。"))
    passed = vote.cast >= vote.quorum and vote.yes * 2 > vote.cast
    vote.status, vote.closed_at = (VoteStatus.PASSED if passed else VoteStatus.FAILED), timezone.now()
    vote.save(update_fields=["status", "closed_at"])
    event_append(subject=vote, kind="assembly.vote_closed", actor=actor, payload={
        "passed": passed, "yes": vote.yes, "no": vote.no, "abstain": vote.abstain, "quorum": vote.quorum,
        "quorum_met": vote.cast >= vote.quorum})
    _take_effect(actor, vote, passed)
    return vote


def _take_effect(actor, vote: AssemblyVote, passed: bool) -> None:
    if vote.matter == VoteMatter.ADMISSION:
        to = MemberStatus.ADMITTED if passed else MemberStatus.REJECTED
        changes = {"admitted_on": timezone.localdate()} if passed else {"review_note": gettext("大会表决未通过")}
        transition(vote.member, to=to, actor=actor, table=tables.MEMBER, kind=f"member.{to}",
                   payload={"vote": vote.pk}, changes=changes)
    elif vote.matter == VoteMatter.COVENANT:
        if passed:
            _adopt(actor, vote.version)
        else:
            transition(vote.version, to=VersionStatus.DRAFT, actor=actor, table=tables.VERSION,
                       kind="covenant.returned")
    elif vote.matter == VoteMatter.RATING and passed:
        from .work import ratings_adopt

        ratings_adopt(actor=actor, vote=vote)
    elif vote.matter == VoteMatter.AMENDMENT:
        from .work import rating_amendment_close

        rating_amendment_close(actor=actor, vote=vote, passed=passed)
