"""人民调解 in the demo: a people's mediation committee in every community, street and the district, and the
persona community's cases in the states a newcomer should see — one archived after a signed agreement, one a
party refused, one moved up to the street after three community attempts, one whose agreement is signed and
waits for judicial confirmation, the resident's own application being mediated (one attempt left), and one
waiting to be accepted (the dispute screened to mediation in stories.py waits for a mediator to be assigned).

Written through the mediation services, as the people themselves; people are picked by key (no random draw,
so the other stories' draws are unchanged). The `mediator` login (the demo password) is the persona community's
人民调解员; the community's legal adviser (legal.py) and a 法治明白人 sit on the same committee.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from yishiting.accounts.models import User
from yishiting.areas.demo import Login
from yishiting.areas.models import Area, Person
from yishiting.legal.models import AdviserPost
from yishiting.mediation import services as med
from yishiting.mediation.choices import Confirmation, MemberKind, Side
from yishiting.mediation.models import CommitteeMember, DisputeType, MediationCase

from .cast import Cast

MEDIATOR = "mediator"
PLACE = "社区人民调解室"  # zh-only
CAN = "双方情绪平稳，约定下次继续调解。"  # zh-only


def _locals(area: Area, count: int, *, skip: set[int]) -> list[Person]:
    """The first `count` residents of `area` without an account (by key: same people on every build)."""
    found = list(Person.objects.filter(path__startswith=area.path, household__isnull=False, user__isnull=True)
                 .exclude(pk__in=skip).order_by("pk")[:count])
    skip.update(p.pk for p in found)
    return found


def committees_build(cast: Cast, skip: set[int]) -> Person:
    """A committee with two members in every community, street and the district (set up by the district
    office); the persona community's has the `mediator` login, a 法治明白人 and the community's legal adviser.
    Returns the mediator persona's person."""
    office = cast.user("district_official")
    areas = Area.objects.filter(path__startswith=cast.district.path,
                                level__code__in=["district", "street", "community"]).order_by("path")
    kinds = {"district": (MemberKind.MEDIATOR, MemberKind.EXPERT),
             "street": (MemberKind.MEDIATOR, MemberKind.RETIRED_PARTY_MEMBER),
             "community": (MemberKind.MEDIATOR, MemberKind.LEGAL_LITERATE)}
    mediator = None
    for area in areas.select_related("level"):
        committee = med.committee_create(actor=office, area=area)
        for person, kind in zip(_locals(area, 2, skip=skip), kinds[area.level.code], strict=False):
            med.committee_member_add(actor=office, committee=committee, person=person, kind=kind)
            if area.pk == cast.community.pk and kind == MemberKind.MEDIATOR:
                mediator = _login(cast, person)
        if area.pk == cast.community.pk:
            post = AdviserPost.objects.filter(community=area).select_related("expert__person").first()
            if post is not None:
                med.committee_member_add(actor=office, committee=committee, person=post.expert.person,
                                         kind=MemberKind.LEGAL_ADVISER)
    return mediator


def _login(cast: Cast, person: Person) -> Person:
    """The `mediator` account, with the personas' password (the resident's hash: the same password)."""
    user, _ = User.objects.get_or_create(username=MEDIATOR, defaults={"password": cast.user("resident").password})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])
    return person


def mediator_login(district: Area) -> Login | None:
    """The mediator persona's line in `yishiting demo`'s list of logins (when the history has been built)."""
    from yishiting.areas.demo import DEMO_PASSWORD

    member = (CommitteeMember.objects.filter(person__user__username=MEDIATOR, is_active=True,
                                             committee__path__startswith=district.path)
              .select_related("committee__area").first())
    if member is None:
        return None
    return Login(MEDIATOR, DEMO_PASSWORD, str(MemberKind.MEDIATOR.label), member.committee.area.full_name)


class MediationStory:
    """The persona community's cases, each a generator step by step (see stories.py for how they run)."""

    def __init__(self, cast: Cast, at: Callable[..., datetime]) -> None:
        self.cast, self.at = cast, at
        self.skip = {p.pk for p in cast.neighbours} | {p.pk for p in cast.people.values()}

    def day(self, back: int) -> date:
        return self.at(back).date()

    def all(self) -> list[Iterator[datetime]]:
        """The committees first (40 working days back), then each case, interleaved by the scheduler."""
        return [self.setup(), self.archived(), self.refused(), self.escalated(), self.awaiting_confirmation(),
                self.mediating(), self.pending()]

    def setup(self) -> Iterator[datetime]:
        yield self.at(40, 10)  # after legal.py appointed the community's adviser (at 9:00)
        self.mediator = committees_build(self.cast, self.skip)
        self.me = self.mediator.user
        self.staff = self.cast.user("community_staff")
        self.types = {t.code: t for t in DisputeType.objects.all()}

    # ---- helpers ----

    def open(self, title: str, kind: str, applicant: Person, respondent: Person, *, said: tuple[str, str]):
        return med.case_open(actor=self.me, area=self.cast.building, title=title, dispute_type=self.types.get(kind),
                             parties=[med.PartyInput(side=Side.APPLICANT, person=applicant, statement=said[0]),
                                      med.PartyInput(side=Side.RESPONDENT, person=respondent, statement=said[1])])

    def accept(self, case: MediationCase) -> MediationCase:
        med.mediator_assign(actor=self.staff, case=case, person=self.mediator, lead=True)
        for party in case.parties.all():
            med.party_consent(actor=self.me, case=case, party=party, agreed=True)
        return med.case_accept(actor=self.me, case=case)

    def attempt(self, case: MediationCase, back: int, result: str, said: tuple[str, str], *, actor=None,
                mediator: Person | None = None) -> None:
        med.attempt_record(actor=actor or self.me, case=case, held_on=self.day(back), place=PLACE,
                           mediators=[mediator or self.mediator], parties_present=list(case.parties.all()),
                           applicant_said=said[0], respondent_said=said[1], result=result,
                           note="" if result == "success" else CAN)

    def agreement(self, case: MediationCase, back: int, content: str, obligation: str, due: date):
        respondent = case.parties.get(side=Side.RESPONDENT)
        agreement = med.agreement_draft(
            actor=self.me, case=case, content=content, facts=case.parties.get(side=Side.APPLICANT).statement,
            disputed_points="损失由谁承担、赔偿多少。", responsibilities="被申请人未尽到注意义务，承担主要责任。",
            performance="被申请人按约定期限一次性履行，调解员回访核实。", perform_by=due,
            obligations=[med.ObligationInput(party=respondent, text=obligation, due_on=due)])
        for party in case.parties.all():
            med.agreement_sign(actor=self.me, agreement=agreement, party=party, signed_on=self.day(back))
        med.agreement_sign(actor=self.me, agreement=agreement, mediator=self.mediator, signed_on=self.day(back))
        med.agreement_stamp(actor=self.me, agreement=agreement)
        return agreement

    # ---- the cases ----

    def archived(self) -> Iterator[datetime]:
        """Noise from a neighbour's dog: agreed at the first attempt, performed, visited, rated, archived."""
        a, b = self.cast.neighbours[0], self.cast.neighbours[1]
        yield self.at(36, 10)
        case = self.open("邻居家犬只夜间吠叫扰民", "neighbour", a, b,
                         said=("对门的狗每天夜里叫，老人睡不好觉，多次沟通无果。", "狗刚领养不久，正在训练，没想到影响这么大。"))
        self.accept(case)
        yield self.at(34, 15)
        self.attempt(case, 34, "success", ("希望晚上十点后管好狗。", "愿意加装隔音门帘，晚上把狗关在里屋。"))
        agreement = self.agreement(case, 34, "被申请人加装隔音门帘，晚上十点后将犬只关在室内，并向申请人致歉。",
                                   "加装隔音门帘", self.day(26))
        yield self.at(30, 10)
        med.agreement_confirmation_record(actor=self.me, agreement=agreement, result=Confirmation.WAIVED,
                                          note="双方表示自觉履行，不申请司法确认。")
        yield self.at(26, 16)
        med.obligation_check(actor=self.me, obligation=agreement.obligations.get(), performed=True,
                             note="上门查看，门帘已装好。")
        yield self.at(24, 10)
        med.visit_record(actor=self.me, case=case, visited_on=self.day(24), note="回访申请人，夜里已安静，双方和好。")
        med.case_close(actor=self.me, case=case)
        yield self.at(23, 20)
        med.case_rate(actor=a.user, case=case, value="satisfied", comment="调解员很耐心，问题解决了。")
        yield self.at(21, 10)
        med.case_archive(actor=self.cast.user("community_secretary"), case=case)

    def refused(self) -> Iterator[datetime]:
        """The respondent will not be mediated (art. 17): closed with the other ways told to the applicant."""
        a, b = _locals(self.cast.community, 2, skip=self.skip)
        yield self.at(30, 11)
        case = self.open("租客拖欠房租退房纠纷", "land", a, b,
                         said=("租客退房时拖欠两个月房租。", "房东不退押金，我才没交最后两个月房租。"))
        med.mediator_assign(actor=self.staff, case=case, person=self.mediator, lead=True)
        yield self.at(29, 15)
        med.party_consent(actor=self.me, case=case, party=case.parties.get(side=Side.RESPONDENT), agreed=False,
                          note="被申请人表示不接受调解，要去法院。",
                          guidance="已告知申请人可向人民法院起诉，或申请劳动人事以外的仲裁途径（如合同约定仲裁）；"
                                   "社区可协助准备租赁合同、转账记录等证据。")

    def escalated(self) -> Iterator[datetime]:
        """Three community attempts fail, the case moves up to the street, whose mediator has tried once."""
        a, b = _locals(self.cast.community, 2, skip=self.skip)
        yield self.at(28, 9, 30)
        case = self.open("装修损坏楼下墙面赔偿纠纷", "neighbour", a, b,
                         said=("楼上装修打孔把我家墙面震裂，要求赔偿 8000 元。", "裂缝是老房子本来就有的，最多出 1000 元。"))
        self.accept(case)
        for back, said in ((26, ("坚持 8000 元。", "只同意 1000 元。")), (22, ("可以降到 6000 元。", "最多 2000 元。")),
                           (18, ("5000 元，不能再少。", "2500 元，不能再多。"))):
            yield self.at(back, 19)
            self.attempt(case, back, "failed", said)
        street = self.cast.street
        member = CommitteeMember.objects.filter(committee__area=street, kind=MemberKind.MEDIATOR).first()
        yield self.at(17, 10)
        official = self.cast.user("street_official")
        med.mediator_assign(actor=official, case=case, person=member.person, lead=True)
        yield self.at(12, 15)
        self.attempt(case, 12, "failed", ("同意请第三方鉴定裂缝成因。", "同意鉴定，费用双方各半。"),
                     actor=official, mediator=member.person)

    def awaiting_confirmation(self) -> Iterator[datetime]:
        """Agreed at the second attempt; signed and stamped: the parties are reminded of judicial confirmation."""
        a, b = _locals(self.cast.community, 2, skip=self.skip)
        yield self.at(14, 10)
        case = self.open("车位被占用引发的邻里纠纷", "property", a, b,
                         said=("自家产权车位长期被邻居停车占用。", "以为是公共车位，不知道是私人的。"))
        self.accept(case)
        yield self.at(11, 19)
        self.attempt(case, 11, "failed", ("要求赔偿停车费。", "不同意赔偿，可以不再停。"))
        yield self.at(8, 19)
        self.attempt(case, 8, "success", ("不再要求赔偿，只要不再占用。", "道歉并保证不再占用。"))
        self.agreement(case, 8, "被申请人向申请人赔礼道歉，自即日起不再占用该车位；申请人放弃停车费主张。",
                       "不再占用申请人车位", self.day(0) + timedelta(days=20))

    def mediating(self) -> Iterator[datetime]:
        """The resident's own application against the flat upstairs: two attempts so far, one left here."""
        upstairs = self.cast.neighbours[2]
        yield self.at(9, 20)
        case = med.case_apply(actor=self.cast.user("resident"), area=self.cast.unit, dispute_type=self.types.get("neighbour"),
                              title="楼上装修致卫生间顶棚开裂", statement="楼上装修把我家卫生间顶棚弄裂了，要求修复并赔偿。",
                              respondent=med.PartyInput(side=Side.RESPONDENT, person=upstairs,
                                                        statement="施工队说不是他们弄的。"))
        yield self.at(8, 10)
        med.mediator_assign(actor=self.staff, case=case, person=self.mediator, lead=True)
        med.party_consent(actor=self.me, case=case, party=case.parties.get(side=Side.RESPONDENT), agreed=True)
        med.case_accept(actor=self.me, case=case)
        yield self.at(6, 19)
        self.attempt(case, 6, "failed", ("要求修复顶棚并赔偿 3000 元。", "只同意修复。"))
        yield self.at(3, 19)
        self.attempt(case, 3, "failed", ("修复加 2000 元。", "修复加 500 元。"))

    def pending(self) -> Iterator[datetime]:
        """Opened by the mediator yesterday: the applicant agreed, the respondent has not answered yet."""
        a, b = _locals(self.cast.community, 2, skip=self.skip)
        yield self.at(1, 10)
        case = self.open("空调外机噪音扰民", "neighbour", a, b,
                         said=("邻居空调外机正对我家卧室窗户，噪音大。", ""))
        med.mediator_assign(actor=self.staff, case=case, person=self.mediator, lead=True)
        med.party_consent(actor=self.me, case=case, party=case.parties.get(side=Side.APPLICANT), agreed=True)
