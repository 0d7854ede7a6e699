"""A hand-built world for 堡垒指数 / 先锋指数, through the real services: 幸福苑 (C1) has a community party
committee and an estate branch, 和平里 (C2) a committee with nothing done; this month in 幸福苑:

- two demands (one screened in time, one left waiting), one of them reported by 党员甲 (a resident party member);
- one closed meeting chaired by 孙书记 (secretary, also a member of the committee), one task handled by 郑经办
  (a party member of the committee) closed on time, and three ratings of the topic: 满意, 基本满意, 不满意.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Organization
from yishiting.common.testing import World, make_user
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.choices import Satisfaction
from yishiting.handling.tests.test_evaluation import evaluating_topic, rate_all, residents

S, B, D = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED


@dataclass
class Party:
    c1: Organization
    c2: Organization
    branch: Organization
    demands: list[Demand]


def party_world(world: World) -> Party:
    a = world.areas
    c1 = areas.organization_create(actor=None, kind=OrganizationKind.PARTY_COMMITTEE, name="中共幸福苑社区委员会", area=a["C1"])
    c2 = areas.organization_create(actor=None, kind=OrganizationKind.PARTY_COMMITTEE, name="中共和平里社区委员会", area=a["C2"])
    branch = areas.organization_create(actor=None, kind=OrganizationKind.PARTY_BRANCH, name="幸福苑小区党支部",
                                       area=a["G1"], parent=c1)
    member = areas.person_create(actor=None, name="党员甲", mobile="13900000099", household=world.households["H2"])
    make_user(world, "member", member)
    areas.role_assign(actor=None, person=member, role=Role.RESIDENT, area=a["U1"])
    areas.role_assign(actor=None, person=member, role=Role.PARTY_MEMBER, area=a["U1"], organization=branch)
    areas.role_assign(actor=None, person=world.people["handler"], role=Role.PARTY_MEMBER, area=a["C1"], organization=c1)
    areas.role_assign(actor=None, person=world.people["community_secretary"], role=Role.PARTY_MEMBER, area=a["C1"],
                      organization=c1)
    first = demand_submit(actor=world.users["member"], submission=Submission(text="3栋楼道灯不亮", area=a["B1"]))
    second = demand_submit(actor=world.users["resident"], submission=Submission(text="小区垃圾桶太少", area=a["B1"]))
    demand_submit(actor=world.users["resident3"], submission=Submission(text="湖滨花园路面破损", area=a["B3"]))
    demand_screen(actor=world.users["community_staff"], demand=first, decision=Decision(
        outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title=first.text))
    _topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 3), [S, B, D])
    assert timezone.localdate() == timezone.localtime(round_.opened_at).date()
    return Party(c1, c2, branch, [first, second])
