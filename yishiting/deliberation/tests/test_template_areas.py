"""Templates per area (issue 20): inherited down the tree in one query, set only by admins (every change an
event), a topic's template changed only by an admin with a reason; the locality rules and their validation;
household consultations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.selectors.templates import template_choice, template_for_area, topic_template
from yishiting.deliberation.services.assignments import (
    template_assign,
    template_unassign,
    topic_template_change,
)
from yishiting.deliberation.services.consultations import consultation_record, may_record_consultation
from yishiting.deliberation.services.locality import plan_problems, require_before_resolution
from yishiting.deliberation.services.templates import template_check
from yishiting.deliberation.services.topics import topic_propose

pytestmark = pytest.mark.django_db


def t(code: str) -> ProcessTemplate:
    return ProcessTemplate.objects.get(code=code)


def test_the_nearest_assigned_ancestor_wins_in_one_query(world):
    admin, a = world.users["admin"], world.areas
    assert template_for_area(a["U1"]).code == "kenli-345" and template_choice(a["U1"]).source is None  # default
    template_assign(actor=admin, area=a["S1"], template=t("nanchang-round-table"), reason="街道推行")
    template_assign(actor=admin, area=a["G1"], template=t("cenxi-linli"))
    with CaptureQueriesContext(connection) as queries:
        choice = template_choice(a["U1"])
    assert len(queries) == 1 and (choice.template.code, choice.source) == ("cenxi-linli", a["G1"])
    assert template_choice(a["C2"]).template.code == "nanchang-round-table"  # the neighbour street's community
    assert template_choice(a["C2"]).source == a["S1"]
    assert template_for_area(a["C3"]).code == "kenli-345"  # the other street: the default
    template_unassign(actor=admin, area=a["G1"], reason="回到街道做法")
    assert template_for_area(a["U1"]).code == "nanchang-round-table"
    nanchang = t("nanchang-round-table")
    nanchang.is_active = False
    nanchang.save()
    assert template_for_area(a["U1"]).code == "kenli-345"  # an inactive template is skipped


def test_only_admins_assign_and_each_change_is_an_event(world):
    a, cenxi = world.areas, t("cenxi-linli")
    with pytest.raises(PermissionDeniedError):
        template_assign(actor=world.users["community_secretary"], area=a["C1"], template=cenxi)
    first = template_assign(actor=world.users["admin"], area=a["C1"], template=cenxi, reason="试点")
    assert template_assign(actor=world.users["admin"], area=a["C1"], template=cenxi).pk == first.pk  # no-op
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("yangzhou-5yi"))
    assert [e.kind for e in events_of(cenxi)] == ["template.assigned", "template.unassigned"]
    assert events_of(cenxi).first().payload["area"] == a["C1"].code


def test_staff_do_not_choose_and_an_admin_changes_a_topic_with_a_reason(world):
    a = world.areas
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("yangzhou-5yi"))
    secretary = world.users["community_secretary"]
    with pytest.raises(DomainError) as refused:
        topic_propose(actor=secretary, title="路灯", description="", level_area=a["C1"], template=t("kenli-345"))
    assert refused.value.code == "template_by_area" and "提议-合议-群议-决议-评议" in refused.value.message
    topic = topic_propose(actor=secretary, title="路灯", description="", level_area=a["C1"])
    assert topic.template.code == "yangzhou-5yi" and topic_template(topic).source == a["C1"]
    with pytest.raises(PermissionDeniedError):
        topic_template_change(actor=secretary, topic=topic, template=t("kenli-345"), reason="想换")
    with pytest.raises(DomainError):
        topic_template_change(actor=world.users["admin"], topic=topic, template=t("kenli-345"), reason=" ")
    topic = topic_template_change(actor=world.users["admin"], topic=topic, template=t("kenli-345"),
                                  reason="涉及全街道，按街道做法")
    why = topic_template(topic)
    assert (why.template.code, why.changed_reason) == ("kenli-345", "涉及全街道，按街道做法")


def test_cenxi_proposer_must_be_a_central_household_of_the_area(world):
    a = world.areas
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("cenxi-linli"))
    secretary = world.users["community_secretary"]
    with pytest.raises(DomainError) as refused:
        topic_propose(actor=secretary, title="排水沟", description="", level_area=a["C1"])
    assert refused.value.code == "proposer_role_missing" and "孙书记不是幸福苑社区的党员中心户" in refused.value.message
    elsewhere = areas.person_create(actor=None, name="韦中心", mobile="13770000301", area=a["C3"])
    areas.role_assign(actor=None, person=elsewhere, role=Role.CENTRAL_HOUSEHOLD, area=a["B3"])
    with pytest.raises(DomainError):  # a 中心户 of another community
        topic_propose(actor=secretary, title="排水沟", description="", level_area=a["C1"], proposer=elsewhere,
                      proposal_signed=True)
    here = areas.person_create(actor=None, name="覃中心", mobile="13770000302", area=a["B1"])
    areas.role_assign(actor=None, person=here, role=Role.CENTRAL_HOUSEHOLD, area=a["B1"])
    topic = topic_propose(actor=secretary, title="排水沟", description="", level_area=a["C1"], proposer=here,
                          proposal_signed=True)
    assert topic.template.code == "cenxi-linli"


def test_cenxi_joint_meeting_needs_a_real_owners_committee_member(world):
    a = world.areas
    here = areas.person_create(actor=None, name="覃中心", mobile="13770000302", area=a["B1"])
    areas.role_assign(actor=None, person=here, role=Role.CENTRAL_HOUSEHOLD, area=a["B1"])
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("cenxi-linli"))
    topic = topic_propose(actor=world.users["community_secretary"], title="排水沟", description="",
                          level_area=a["C1"], proposer=here, proposal_signed=True)
    labelled = world.people["resident"].pk
    assert [c for c, _ in plan_problems([topic], "joint", [labelled])] == ["organization_missing"]
    assert plan_problems([topic], "bench", [labelled]) == []  # the rule names the 联议 (joint) form only
    committee = areas.organization_create(actor=None, kind=OrganizationKind.OWNERS_COMMITTEE, name="幸福苑业委会",
                                          area=a["G1"])
    member = areas.person_create(actor=None, name="黎业委", mobile="13770000303", area=a["G1"])
    areas.role_assign(actor=None, person=member, role=Role.ORG_REPRESENTATIVE, area=a["G1"], organization=committee)
    assert plan_problems([topic], "joint", [labelled, member.pk]) == []


def test_yangzhou_needs_the_residents_round_before_the_resolution(world):
    a = world.areas
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("yangzhou-5yi"))
    topic = topic_propose(actor=world.users["community_secretary"], title="加装电梯", description="",
                          level_area=a["C1"])

    class Meeting:  # the resolution check reads the form and the signed-in participants only
        form = "round_table"

    with pytest.raises(DomainError) as refused:
        require_before_resolution(Meeting(), topic)
    assert refused.value.code == "residents_round_missing"


def test_altay_topics_come_from_demands(world):
    template_assign(actor=world.users["admin"], area=world.areas["C1"], template=t("altay-qiaxiu"))
    with pytest.raises(DomainError) as refused:
        topic_propose(actor=world.users["community_secretary"], title="座椅", description="",
                      level_area=world.areas["C1"])
    assert refused.value.code == "collect_first"


def test_household_consultations_are_recorded_once_by_the_council(world):
    a = world.areas
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("nanchang-round-table"))
    topic = topic_propose(actor=world.users["community_secretary"], title="垃圾点迁移", description="",
                          level_area=a["C1"], scope_area=a["G1"])
    today, home = timezone.localdate(), world.households["H1"]
    assert may_record_consultation(world.users["grid_worker"], topic)
    assert not may_record_consultation(world.users["resident"], topic)
    with pytest.raises(PermissionDeniedError):
        consultation_record(actor=world.users["resident"], topic=topic, household=home, visited_on=today, said="好")
    with pytest.raises(DomainError):  # a household outside the topic's scope
        consultation_record(actor=world.users["grid_worker"], topic=topic, household=world.households["H4"],
                            visited_on=today, said="好")
    with pytest.raises(DomainError):  # a visit in the future
        consultation_record(actor=world.users["grid_worker"], topic=topic, household=home,
                            visited_on=today + timedelta(days=1), said="好")
    first = consultation_record(actor=world.users["grid_worker"], topic=topic, household=home, visited_on=today,
                                said="同意，电话 13812345678")
    assert "13812345678" not in first.said
    again = consultation_record(actor=world.users["grid_worker"], topic=topic, household=home, visited_on=today,
                                said="同意，电话 13812345678")
    assert again.pk == first.pk and topic.consultations.count() == 1
    with pytest.raises(Conflict):
        consultation_record(actor=world.users["grid_worker"], topic=topic, household=home, visited_on=today,
                            said="不同意")
    assert [c for c, _ in plan_problems([topic], "round_table", [])] == ["consultations_missing"]


@pytest.mark.parametrize("rules", [{"unknown": 1}, {"proposer_roles": ["king"]}, {"min_consultations": -1},
                                   {"present_organizations": {"kinds": ["guild"]}}, {"from_demands": "yes"}])
def test_rules_name_only_what_exists(world, rules):
    template = t("kenli-345")
    template.rules = rules
    with pytest.raises(DomainError) as refused:
        template_check(template)
    assert refused.value.details == {"field": "rules"}


def test_where_a_people_council_sits_its_members_record_the_visits_and_others_do_not(world):
    """Nanchang: once the community's 民情理事会 is registered (bodies), its current members visit the households;
    a grid worker who is not on it no longer may, and a resident who is, may."""
    from yishiting.bodies.models import BodyKind
    from yishiting.bodies.services import body_create, membership_add, membership_end

    a, staff = world.areas, world.users["community_secretary"]
    template_assign(actor=world.users["admin"], area=a["C1"], template=t("nanchang-round-table"))
    topic = topic_propose(actor=staff, title="垃圾点迁移", description="", level_area=a["C1"], scope_area=a["G1"])
    council = body_create(actor=staff, area=a["C1"], kind=BodyKind.objects.get(code="people_council"))
    seat = membership_add(actor=staff, body=council, person=world.people["resident"])
    assert may_record_consultation(world.users["resident"], topic)
    assert not may_record_consultation(world.users["grid_worker"], topic)
    visit = consultation_record(actor=world.users["resident"], topic=topic, household=world.households["H1"],
                                visited_on=timezone.localdate(), said="同意迁到东门外")
    assert visit.pk
    membership_end(actor=staff, membership=seat)
    assert not may_record_consultation(world.users["resident"], topic)
