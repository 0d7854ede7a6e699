"""A 党建联盟 in every state for the crawl (web/tests/crawl_data.py): 幸福苑社区党建联盟 with three founding units
(盟约 v1 adopted), an application under review and one put to the vote, a draft v2 under consultation with a
comment, two committees, tasks collected, sorted, assigned with progress and done (rated), an assembly and a joint
meeting whose problem became a demand, and this year's rating adopted (its letter can be produced)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from yishiting.alliances import services, work
from yishiting.alliances.choices import TaskSource
from yishiting.common.testing import World

from .conftest import found


def build_states(world: World) -> dict:
    setup = found(world)
    staff, today, alliance = world.users["community_staff"], timezone.localdate(), setup.alliance
    year, quarter = today.year, (today.month - 1) // 3 + 1
    founders = list(setup.members.values())
    assembly = work.meeting_record(actor=staff, alliance=alliance, kind="assembly", held_on=today, place="联盟基地",
                                   subject="季度任务分派大会", minutes="审议本季度任务清单。", attendees=founders)
    joint = work.meeting_record(actor=staff, alliance=alliance, kind="joint", held_on=today, place="联盟基地",
                                subject="商户联席会", attendees=founders[:2])
    work.problem_raise(actor=staff, meeting=joint, text="步行街夜间噪音扰民", member=founders[0])
    env = work.committee_create(actor=staff, alliance=alliance, name="环境共治专委", lead=founders[0], members=founders[1:])
    work.committee_create(actor=staff, alliance=alliance, name="平安共建专委", lead=founders[2], members=[])
    tasks = [work.task_collect(actor=staff, alliance=alliance, year=year, quarter=quarter, title=title,
                               source=TaskSource.COMMUNITY) for title in ("路灯维修", "楼道清理", "助老服务", "反诈宣传")]
    for task in tasks[1:]:
        work.task_sort(actor=staff, task=task, keep=True)
    for task in tasks[2:]:
        work.task_assign(actor=staff, task=task, committee=env, owner=founders[0], deadline=today + timedelta(days=30),
                         meeting=assembly)
    work.task_report(actor=staff, task=tasks[3], progress=50, note="已入户宣传 40 户", hours=Decimal("4"))
    work.task_complete(actor=staff, task=tasks[3], evidence="宣传照片、签到表")
    work.task_rate(actor=world.users["resident"], task=tasks[3], stars=5)
    for member, grade in zip(founders, "ABC", strict=True):
        work.rating_propose(actor=staff, member=member, year=year, grade=grade)
    vote = work.rating_submit(actor=staff, alliance=alliance, year=year)
    for member in founders:
        services.ballot_cast(actor=staff, vote=vote, choice="yes", member=member)
    services.vote_close(actor=staff, vote=vote)
    applied = services.member_apply(actor=world.users["unit_d"], alliance=alliance, organization=setup.orgs["unit_d"],
                                    liaison=setup.people["unit_d"], application="申请入盟", accepts_covenant=True)
    draft = services.version_draft(actor=staff, alliance=alliance, title="盟约（修订稿）", clauses=["新增条文"])
    services.version_consult(actor=staff, version=draft)
    services.clause_comment(actor=world.users["unit_a"], clause=draft.clauses.get(), text="建议写明开放时间")
    return {"alliance": alliance.pk, "applied": applied.pk}
