"""A community with its people's mediation committee, a street and a district committee, two neighbours in a
dispute and a third resident of the same community who must see nothing (test data built through services)."""

from __future__ import annotations

from dataclasses import dataclass

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import World, make_user
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.mediation.choices import MemberKind
from yishiting.mediation.models import DisputeType, MediationCase
from yishiting.mediation.services import committee_create, committee_member_add

DISPUTE = "楼上邻居王某家卫生间漏水，把我家天花板泡坏了，协商多次没有结果，请社区帮忙调解。"


@dataclass
class MediationWorld:
    world: World

    def user(self, name: str):
        return self.world.users[name]

    def person(self, name: str):
        return self.world.people[name]


def _resident(world: World, username: str, name: str, mobile: str, household: str, unit: str, *,
              role: str = Role.RESIDENT) -> None:
    person = areas.person_create(actor=None, name=name, mobile=mobile, household=world.households[household])
    make_user(world, username, person)
    areas.role_assign(actor=None, person=person, role=role, area=world.areas[unit])


def _member(world: World, username: str, name: str, mobile: str, area: str, kind: str, committee) -> None:
    # A world that already has this persona (the crawl data builds the legal pool first, whose C1 adviser is also
    # "adviser") reuses the person: the community's legal adviser sits on its mediation committee as in real life.
    person = world.people.get(username)
    if person is None:
        person = areas.person_create(actor=None, name=name, mobile=mobile, area=world.areas[area])
        make_user(world, username, person)
    areas.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas[area])
    office = {"C1": "community_secretary", "S1": "street_official", "D": "district_official"}[area]
    committee_member_add(actor=world.users[office], committee=committee, person=person, kind=kind)


def build(world: World) -> MediationWorld:
    """Committees at 幸福苑社区 (C1), 东风街道 (S1) and 幸福区 (D); the neighbour (王邻居, household H2 above
    张三's) and another resident of the same building (刘旁人) who is nobody in the case."""
    _resident(world, "neighbour", "王邻居", "13900000001", "H2", "U1")
    _resident(world, "bystander", "刘旁人", "13900000002", "H2", "U1")
    c1 = committee_create(actor=world.users["community_secretary"], area=world.areas["C1"])
    s1 = committee_create(actor=world.users["street_official"], area=world.areas["S1"])
    d = committee_create(actor=world.users["district_official"], area=world.areas["D"])
    _member(world, "mediator", "黄明白", "13900000011", "C1", MemberKind.LEGAL_LITERATE, c1)
    _member(world, "adviser", "陈律师", "13900000012", "C1", MemberKind.LEGAL_ADVISER, c1)
    _member(world, "street_mediator", "林调解", "13900000013", "S1", MemberKind.MEDIATOR, s1)
    _member(world, "street_mediator2", "何老党员", "13900000014", "S1", MemberKind.RETIRED_PARTY_MEMBER, s1)
    _member(world, "district_mediator", "郭专家", "13900000015", "D", MemberKind.EXPERT, d)
    return MediationWorld(world)


def dispute_demand(world: World, *, persona: str = "resident", text: str = DISPUTE) -> Demand:
    return demand_submit(actor=world.users[persona], submission=Submission(text=text, area=world.areas["B1"]))


def screened_case(world: World, demand: Demand | None = None) -> MediationCase:
    """A neighbour dispute screened to mediation by the community secretary: a case 待受理 at C1."""
    demand = demand or dispute_demand(world)
    demand_screen(actor=world.users["community_secretary"], demand=demand, decision=Decision(
        outcome="mediation", nature="dispute", reason="邻里纠纷，适合调解",
        dispute_type=DisputeType.objects.get(code="neighbour")))
    demand.refresh_from_db()
    return demand.mediation


def accepted_case(world: World) -> MediationCase:
    """The screened case with the neighbour as respondent, 黄明白 assigned, both parties agreeing, accepted."""
    from yishiting.mediation.choices import Side
    from yishiting.mediation.services import (
        PartyInput,
        case_accept,
        mediator_assign,
        party_add,
        party_consent,
    )

    case = screened_case(world)
    staff, mediator = world.users["community_secretary"], world.users["mediator"]
    party_add(actor=staff, case=case, party=PartyInput(side=Side.RESPONDENT, person=world.people["neighbour"],
                                                       statement="漏水不是我家造成的，是公共管道的问题。"))
    mediator_assign(actor=staff, case=case, person=world.people["mediator"], lead=True)
    for party in case.parties.all():
        party_consent(actor=mediator, case=case, party=party, agreed=True)
    return case_accept(actor=mediator, case=case)


def fail_tier(world: World, case: MediationCase, mediator: str, times: int) -> None:
    """`times` failed attempts by `mediator` (who must be assigned at the current tier)."""
    from datetime import date

    from yishiting.mediation.services import attempt_record

    for _ in range(times):
        attempt_record(actor=world.users[mediator], case=case, held_on=date.today(), place="社区调解室",
                       mediators=[world.people[mediator]], parties_present=list(case.parties.all()),
                       applicant_said="要求赔偿维修费", respondent_said="不同意", result="failed")
