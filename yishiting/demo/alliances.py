"""党建联盟 in the demo (issue 21; seed 000, Nanjiang): the persona community's office founds its alliance with the
units of the community — the police station, a resident unit, a 双报到 unit — and their liaison party members
adopt 盟约 v1 by the assembly's vote; the estate's property company applies, is reviewed and admitted; two
committees; last quarter's tasks done with evidence and rated by residents, this quarter's in progress; a joint
meeting whose problem enters as a demand; the year's ratings adopted by the assembly. The resident unit's liaison
party member signs in as `alliance_liaison`. Written through the alliance services, at moments of the history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from yishiting.accounts.models import User
from yishiting.alliances import services, work
from yishiting.alliances.choices import VoteMatter
from yishiting.alliances.models import Alliance, Member
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.demo import Login
from yishiting.areas.models import Area, Organization, Person, RoleAssignment
from yishiting.demands.models import Demand

from .cast import Cast

LOGIN = "alliance_liaison"
CLAUSES = ["组织共建：社区“大党委”与成员单位党组织结对共建，联合开展组织生活。",
           "阵地共用：成员单位的会议室、活动场地向联盟开放，联盟基地设联席会议室。",
           "资源共享：场地、人才、信息等资源建立清单，按需调配。",
           "需求共商：每季度召开联席会，收集居民、单位和社区的需求，梳理形成任务清单。",
           "服务共担：联盟大会把任务分派到专委和责任单位，按期办结、附佐证销号。",
           "成效共评：年终按完成任务、服务时长和居民评价评定 A、B、C 等次，结果函告成员单位的上级党组织。"]
SUPERIOR = {OrganizationKind.COMMUNITY_POLICE: "区公安分局党委", OrganizationKind.RESIDENT_UNIT: "市直机关工委",
            OrganizationKind.DUAL_REGISTRATION_UNIT: "区直属机关工委", OrganizationKind.PROPERTY_COMPANY: "街道非公企业综合党委"}
KINDS = [OrganizationKind.COMMUNITY_POLICE, OrganizationKind.RESIDENT_UNIT, OrganizationKind.DUAL_REGISTRATION_UNIT]
GRADES = ["A", "B", "A", "B"]


def _unit(cast: Cast, kind: str, path: str) -> tuple[Organization, Person] | None:
    role = (RoleAssignment.objects.filter(role=Role.ORG_REPRESENTATIVE, organization__kind=kind, is_active=True,
                                          path__startswith=path).select_related("organization", "person")
            .order_by("pk").first())
    return (role.organization, role.person) if role else None


def _login(person: Person, password: str) -> None:
    user, _ = User.objects.get_or_create(username=LOGIN, defaults={"password": password})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])


def _show_of_hands(office, vote, members: list[Member], no: int = 0) -> None:
    for i, member in enumerate(members):
        services.ballot_cast(actor=office, vote=vote, choice="no" if i < no else "yes", member=member)
    services.vote_close(actor=office, vote=vote)


class AllianceStory:
    def __init__(self, cast: Cast, at: Callable[..., datetime]) -> None:
        self.cast, self.at = cast, at
        self.office = cast.user("community_staff")
        self.alliance: Alliance | None = None
        self.members: list[Member] = []

    def found(self) -> None:
        community = self.cast.community
        self.alliance = services.alliance_create(actor=self.office, area=community, name=f"{community.name}党建联盟",
                                                 title=f"{community.name}党建联盟盟约", clauses=CLAUSES)
        for kind in KINDS:
            found = _unit(self.cast, kind, community.path)
            if found is not None:
                self.members.append(services.member_found(actor=self.office, alliance=self.alliance,
                                                          organization=found[0], liaison=found[1],
                                                          superior=SUPERIOR[kind]))
        version = self.alliance.versions.get()
        services.version_consult(actor=self.office, version=version)

    def adopt(self) -> None:
        version = self.alliance.versions.get()
        vote = services.vote_open(actor=self.office, alliance=self.alliance, matter=VoteMatter.COVENANT,
                                  version=version)
        _show_of_hands(self.office, vote, self.members)

    def admit(self) -> None:
        found = _unit(self.cast, OrganizationKind.PROPERTY_COMPANY, self.cast.community.path)
        if found is None:
            return
        member = services.member_apply(actor=self.office, alliance=self.alliance, organization=found[0],
                                       liaison=found[1], accepts_covenant=True,
                                       superior=SUPERIOR[OrganizationKind.PROPERTY_COMPANY],
                                       application="本公司党支部自愿加入联盟，承诺遵守盟约，开放小区物业服务中心作为共建阵地。")
        services.member_review(actor=self.office, member=member, approve=True, note="材料齐全，同意提交大会表决")
        _show_of_hands(self.office, member.admission_votes.get(), self.members, no=1)
        member.refresh_from_db()
        self.members.append(member)

    def assembly(self, back: int, subject: str):
        return work.meeting_record(actor=self.office, alliance=self.alliance, kind="assembly",
                                   held_on=self.at(back).date(), place="党群服务中心联盟基地联席会议室",
                                   subject=subject, attendees=self.members,
                                   minutes="联络办通报上季度任务完成情况；审议本季度任务清单，分派到专委和责任单位。")

    def committees(self) -> None:
        lead, other = self.members[0], self.members[-1]
        self.env = work.committee_create(actor=self.office, alliance=self.alliance, name="环境共治专委",
                                         lead=other, members=self.members[1:3], duty="背街小巷、楼道环境整治")
        self.safe = work.committee_create(actor=self.office, alliance=self.alliance, name="平安共建专委",
                                          lead=lead, members=self.members[1:2], duty="治安巡逻、反诈宣传、矛盾排查")

    def tasks(self, back: int, titles: list[tuple[str, str]], *, finish: int) -> list:
        day = self.at(back).date()
        year, quarter = day.year, (day.month - 1) // 3 + 1
        meeting = self.assembly(back, f"{year} 年第 {quarter} 季度任务分派大会")
        demand = Demand.objects.filter(path__startswith=self.cast.community.path).order_by("pk").first()
        made = []
        for i, (title, source) in enumerate(titles):
            task = work.task_collect(actor=self.office, alliance=self.alliance, year=year, quarter=quarter,
                                     title=title, source=source, demand=demand if source == "demand" else None,
                                     proposed_by=self.members[1] if source == "unit" else None)
            if i == len(titles) - 1 and finish == 0:
                made.append(task)  # the last one still waits for the office's sorting
                continue
            work.task_sort(actor=self.office, task=task, keep=True)
            committee = self.safe if i % 2 else self.env
            owner = self.members[i % len(self.members)]
            made.append(work.task_assign(actor=self.office, task=task, committee=committee, owner=owner,
                                         deadline=day + timedelta(days=60), meeting=meeting))
        return made

    def work_on(self, tasks: list, *, done: bool) -> None:
        for task in tasks:
            if task.status != "assigned":
                continue
            work.task_report(actor=self.office, task=task, progress=50, note="已完成现场排查，制定实施方案",
                             hours=Decimal("6"))
            if done:
                work.task_complete(actor=self.office, task=task, evidence="整治前后照片、居民签字验收单")
                for person in self.cast.neighbours[:3]:
                    work.task_rate(actor=person.user, task=task, stars=5 if task.pk % 2 else 4)

    def joint_meeting(self, back: int) -> None:
        meeting = work.meeting_record(actor=self.office, alliance=self.alliance, kind="joint",
                                      held_on=self.at(back).date(), place="党群服务中心联盟基地联席会议室",
                                      subject="联席会：辖区单位反映的问题", attendees=self.members,
                                      minutes="各成员单位通报共建情况，警务室提出学校门口上下学时段拥堵问题。")
        work.problem_raise(actor=self.office, meeting=meeting, text="学校门口上下学时段车辆拥堵，存在安全隐患",
                           member=self.members[0])

    def rate(self) -> None:
        year = self.at(2).year
        for member, grade in zip(self.members, GRADES, strict=False):
            work.rating_propose(actor=self.office, member=member, year=year, grade=grade)
        vote = work.rating_submit(actor=self.office, alliance=self.alliance, year=year)
        _show_of_hands(self.office, vote, self.members)


def alliance_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    story = AllianceStory(cast, at)
    yield at(120, 9)
    story.found()
    if len(story.members) < 2:
        return
    login = next((m for m in story.members if m.organization.kind == OrganizationKind.RESIDENT_UNIT
                  and m.liaison.user_id is None), None)  # not the police's: whistles' officer signs in as a person
    if login is not None:
        _login(login.liaison, cast.user("resident").password)
    yield at(112, 15)
    story.adopt()
    yield at(100, 10)
    story.admit()
    story.committees()
    yield at(95, 14)
    done = story.tasks(95, [("背街小巷环境整治", "demand"), ("反诈宣传进楼栋", "unit"), ("楼道堆物清理", "community")],
                       finish=1)
    yield at(70, 16)
    story.work_on(done, done=True)
    yield at(40, 10)
    story.joint_meeting(40)
    yield at(30, 14)
    current = story.tasks(30, [("老旧小区夜间照明补盲", "community"), ("校门口护学岗", "unit"),
                               ("助老服务站共建", "community")], finish=0)
    yield at(10, 11)
    story.work_on(current, done=False)
    yield at(2, 15)
    story.rate()


def alliance_login(district: Area) -> Login | None:
    """The first unit's liaison in `yishiting demo`'s list of logins (when the history has been built)."""
    from yishiting.areas.demo import DEMO_PASSWORD

    member = (Member.objects.filter(liaison__user__username=LOGIN, path__startswith=district.path)
              .select_related("alliance__area").first())
    if member is None:
        return None
    return Login(LOGIN, DEMO_PASSWORD, "联盟成员单位联络党员", member.alliance.area.full_name)  # zh-only: demo list
