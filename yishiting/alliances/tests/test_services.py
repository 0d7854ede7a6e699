"""The alliance's services: founding and the 盟约, membership by vote, tasks, the rating and its letter; each
refusal is a DomainError with a stable code and nothing written."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest

from yishiting.alliances import services, work
from yishiting.alliances.choices import (
    AllianceStatus,
    MemberStatus,
    RatingStatus,
    TaskSource,
    TaskStatus,
    VersionStatus,
    VoteMatter,
    VoteStatus,
)
from yishiting.alliances.letters import letter_context, letter_pdf
from yishiting.alliances.models import Member, Task
from yishiting.common.errors import DomainError
from yishiting.common.events import events_of
from yishiting.demands.choices import Channel

pytestmark = pytest.mark.django_db


def _staff(world):
    return world.users["community_staff"]


def test_founders_adopt_v1_and_the_alliance_becomes_active(world, setup):
    version = setup.alliance.versions.get()
    assert setup.alliance.status == AllianceStatus.ACTIVE
    assert version.status == VersionStatus.ADOPTED and version.adopted_at is not None
    assert {m.accepted_version_id for m in setup.alliance.members.all()} == {version.pk}
    assert [e.kind for e in events_of(version)][-1] == "covenant.adopted"


def test_comments_per_clause_only_while_consulting_and_only_by_members(world, setup):
    staff = _staff(world)
    draft = services.version_draft(actor=staff, alliance=setup.alliance, title="盟约（修订）",
                                   clauses=["第一条", "第二条"])
    clause = draft.clauses.first()
    with pytest.raises(DomainError) as refused:
        services.clause_comment(actor=world.users["unit_a"], clause=clause, text="建议增加共建阵地")
    assert refused.value.code == "not_consulting"
    services.version_consult(actor=staff, version=draft)
    comment = services.clause_comment(actor=world.users["unit_a"], clause=clause, text="建议增加共建阵地")
    assert comment.member == setup.members["unit_a"]
    with pytest.raises(DomainError) as refused:
        services.clause_comment(actor=world.users["resident"], clause=clause, text="我也想提")
    assert refused.value.code == "permission_denied"
    assert clause.comments.count() == 1


def test_a_new_version_supersedes_and_members_keep_what_they_accepted(world, setup):
    staff = _staff(world)
    v1 = setup.alliance.versions.get()
    v2 = services.version_draft(actor=staff, alliance=setup.alliance, title="盟约（第二版）", clauses=["新条文"])
    services.version_consult(actor=staff, version=v2)
    vote = services.vote_open(actor=staff, alliance=setup.alliance, matter=VoteMatter.COVENANT, version=v2)
    for key in ("unit_a", "unit_b"):
        services.ballot_cast(actor=world.users[key], vote=vote, choice="yes")
    services.vote_close(actor=staff, vote=vote)
    v1.refresh_from_db(), v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.SUPERSEDED, VersionStatus.ADOPTED)
    member = Member.objects.get(pk=setup.members["unit_a"].pk)
    assert member.accepted_version == v1
    services.member_accept_version(actor=world.users["unit_a"], member=member)
    assert Member.objects.get(pk=member.pk).accepted_version == v2


def _apply(world, setup, key="unit_d"):
    return services.member_apply(actor=world.users[key], alliance=setup.alliance, organization=setup.orgs[key],
                                 liaison=setup.people[key], application="申请加入联盟", accepts_covenant=True)


def test_admission_by_vote(world, setup):
    member = _apply(world, setup)
    assert member.status == MemberStatus.APPLIED and member.accepted_version.number == 1
    services.member_review(actor=_staff(world), member=member, approve=True)
    vote = member.admission_votes.get()
    assert vote.electorate == sorted(m.pk for m in setup.members.values()) and vote.quorum == 2  # ⌈3 × 2/3⌉
    for key, choice in (("unit_a", "yes"), ("unit_b", "yes"), ("unit_c", "no")):
        services.ballot_cast(actor=world.users[key], vote=vote, choice=choice)
    services.vote_close(actor=_staff(world), vote=vote)
    member.refresh_from_db()
    assert member.status == MemberStatus.ADMITTED and member.admitted_on == date.today()
    assert [e.kind for e in events_of(member)] == ["member.applied", "member.reviewed", "member.admitted"]


def test_without_quorum_the_application_fails(world, setup):
    member = _apply(world, setup)
    services.member_review(actor=_staff(world), member=member, approve=True)
    vote = member.admission_votes.get()
    services.ballot_cast(actor=world.users["unit_a"], vote=vote, choice="yes")  # 1 of 3: below the quorum of 2
    vote = services.vote_close(actor=_staff(world), vote=vote)
    member.refresh_from_db()
    assert vote.status == VoteStatus.FAILED and member.status == MemberStatus.REJECTED


def test_ballot_refusals(world, setup):
    member = _apply(world, setup)
    services.member_review(actor=_staff(world), member=member, approve=True)
    vote = member.admission_votes.get()
    services.ballot_cast(actor=world.users["unit_a"], vote=vote, choice="yes")
    for actor, choice, code in ((world.users["unit_a"], "no", "already_voted"),
                                (world.users["unit_d"], "yes", "permission_denied"),
                                (world.users["resident"], "yes", "permission_denied"),
                                (world.users["unit_b"], "maybe", "invalid_choice")):
        with pytest.raises(DomainError) as refused:
            services.ballot_cast(actor=actor, vote=vote, choice=choice)
        assert refused.value.code == code
    vote.refresh_from_db()
    assert (vote.yes, vote.no, vote.abstain, vote.ballots.count()) == (1, 0, 0, 1)


def test_apply_refusals(world, setup):
    with pytest.raises(DomainError) as refused:
        services.member_apply(actor=world.users["unit_d"], alliance=setup.alliance, organization=setup.orgs["unit_d"],
                              liaison=setup.people["unit_d"], application="", accepts_covenant=False)
    assert refused.value.code == "covenant_required"
    with pytest.raises(DomainError) as refused:
        _apply(world, setup, "unit_a")
    assert refused.value.code == "already_member"
    with pytest.raises(DomainError) as refused:
        services.member_apply(actor=world.users["resident"], alliance=setup.alliance, organization=setup.orgs["unit_d"],
                              liaison=setup.people["unit_d"], application="", accepts_covenant=True)
    assert refused.value.code == "permission_denied"
    assert not setup.alliance.members.filter(organization=setup.orgs["unit_d"]).exists()


def test_withdrawal_and_removal_are_events(world, setup):
    a = services.member_leave(actor=world.users["unit_a"], member=setup.members["unit_a"], removed=False, reason="")
    assert a.status == MemberStatus.WITHDRAWN and a.ended_on == date.today()
    with pytest.raises(DomainError) as refused:
        services.member_leave(actor=world.users["unit_b"], member=setup.members["unit_b"], removed=True, reason="x")
    assert refused.value.code == "permission_denied"
    b = services.member_leave(actor=_staff(world), member=setup.members["unit_b"], removed=True, reason="连续两年未履约")
    assert b.status == MemberStatus.REMOVED
    assert [e.kind for e in events_of(b)][-1] == "member.removed"


def assembly(world, setup):
    return work.meeting_record(actor=_staff(world), alliance=setup.alliance, kind="assembly", held_on=date.today(),
                               place="党群服务中心", subject="第一季度任务分派",
                               attendees=list(setup.members.values()))


def assigned_task(world, setup) -> Task:
    staff = _staff(world)
    committee = work.committee_create(actor=staff, alliance=setup.alliance, name="环境共治专委",
                                      lead=setup.members["unit_a"], members=[setup.members["unit_b"]])
    task = work.task_collect(actor=staff, alliance=setup.alliance, year=date.today().year, quarter=1,
                             title="背街小巷路灯维修", source=TaskSource.COMMUNITY)
    work.task_sort(actor=staff, task=task, keep=True)
    return work.task_assign(actor=staff, task=task, committee=committee, owner=setup.members["unit_a"],
                            deadline=date.today() + timedelta(days=30), meeting=assembly(world, setup))


def test_task_from_collection_to_done_with_evidence(world, setup):
    task = assigned_task(world, setup)
    assert task.status == TaskStatus.ASSIGNED and task.owner_person == setup.people["unit_a"]
    work.task_report(actor=world.users["unit_a"], task=task, progress=50, note="已排查 12 盏", hours=Decimal("6"))
    with pytest.raises(DomainError) as refused:
        work.task_report(actor=world.users["unit_b"], task=task, progress=60, note="x")
    assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as refused:
        work.task_complete(actor=world.users["unit_a"], task=task, evidence=" ")
    assert refused.value.code == "evidence_required"
    task = work.task_complete(actor=world.users["unit_a"], task=task, evidence="维修前后照片 12 组，验收单一份")
    assert task.status == TaskStatus.DONE and task.progress == 100 and task.hours == Decimal("6")
    work.task_rate(actor=world.users["resident"], task=task, stars=4)
    with pytest.raises(DomainError) as refused:
        work.task_rate(actor=world.users["resident3"], task=task, stars=5)  # another community
    assert refused.value.code == "permission_denied"


def test_assignment_needs_an_assembly(world, setup):
    staff = _staff(world)
    committee = work.committee_create(actor=staff, alliance=setup.alliance, name="平安共建专委",
                                      lead=setup.members["unit_c"], members=[])
    task = work.task_collect(actor=world.users["unit_b"], alliance=setup.alliance, year=2026, quarter=2,
                             title="校园周边交通疏导", source=TaskSource.UNIT, proposed_by=setup.members["unit_b"])
    work.task_sort(actor=staff, task=task, keep=True)
    joint = work.meeting_record(actor=staff, alliance=setup.alliance, kind="joint", held_on=date.today(),
                                place="联盟阵地", subject="联席会")
    with pytest.raises(DomainError) as refused:
        work.task_assign(actor=staff, task=task, committee=committee, owner=setup.members["unit_c"],
                         deadline=date.today(), meeting=joint)
    assert refused.value.code == "assembly_required"
    assert Task.objects.get(pk=task.pk).status == TaskStatus.SORTED


def test_rating_adopted_by_vote_and_letter_to_the_superior(world, setup, tmp_path):
    staff = _staff(world)
    task = assigned_task(world, setup)
    work.task_report(actor=world.users["unit_a"], task=task, progress=80, note="进展", hours=Decimal("12.5"))
    work.task_complete(actor=staff, task=task, evidence="验收单")
    work.task_rate(actor=world.users["resident"], task=task, stars=5)
    year = date.today().year
    with pytest.raises(DomainError) as refused:
        work.rating_propose(actor=staff, member=setup.members["unit_a"], year=year, grade="D")  # scale is ABC
    assert refused.value.code == "invalid_choice"
    rating = work.rating_propose(actor=staff, member=setup.members["unit_a"], year=year, grade="B")
    assert (rating.tasks_done, rating.hours, rating.resident_score) == (1, Decimal("12.5"), Decimal("5"))
    with pytest.raises(DomainError) as refused:
        letter_context(rating)
    assert refused.value.code == "rating_not_adopted"
    vote = work.rating_submit(actor=staff, alliance=setup.alliance, year=year)
    for key in ("unit_a", "unit_b", "unit_c"):
        services.ballot_cast(actor=staff, vote=vote, choice="yes", member=setup.members[key])  # show of hands
    services.vote_close(actor=staff, vote=vote)
    rating.refresh_from_db()
    assert rating.status == RatingStatus.ADOPTED and rating.grade == "B"
    context = letter_context(rating)
    assert context["addressee"] == "市国资委党委"
    pdf = letter_pdf(actor=staff, rating=rating)
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert any(face in fonts for face in ("Droid-Sans-Fallback", "CJK"))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "市国资委党委" in text and "B等" in text.replace(" ", "")


def test_business_district_problem_enters_as_a_demand(world, setup):
    meeting = work.meeting_record(actor=_staff(world), alliance=setup.alliance, kind="joint", held_on=date.today(),
                                  place="商圈党群服务站", subject="商户反映问题")
    demand = work.problem_raise(actor=_staff(world), meeting=meeting, text="步行街夜间噪音扰民",
                                member=setup.members["unit_c"])
    assert demand.channel == Channel.ALLIANCE and demand.area == setup.alliance.area
    assert "步行街夜间噪音扰民" in demand.text and demand.status == "pending"
    with pytest.raises(DomainError) as refused:
        work.problem_raise(actor=world.users["resident"], meeting=meeting, text="x")
    assert refused.value.code == "permission_denied"


def test_office_only_outside_its_area_refused(world, setup):
    with pytest.raises(DomainError) as refused:
        services.alliance_create(actor=world.users["community_staff"], area=world.areas["C3"], name="湖滨联盟",
                                 title="盟约", clauses=["一"])
    assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as refused:
        services.member_review(actor=world.users["grid_worker"], member=_apply(world, setup), approve=True)
    assert refused.value.code == "permission_denied"
