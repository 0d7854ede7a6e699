"""The eight parties of 1+8+N count only when filled by someone who holds them (selectors.parties,
docs/parties.md): each party with a real holder, an ordinary resident labelled as it, and a holder of another
place; the rows-in-hand rules and the query rules agree; the candidates; the check at plan and at notice."""

from __future__ import annotations

import pytest

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Person
from yishiting.areas.services import organization_create, person_create, role_assign
from yishiting.common.errors import DomainError
from yishiting.deliberation.choices import EIGHT_PARTIES, Party
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.selectors.parties import (
    PartyScope,
    count_parties,
    held_parties,
    holder_candidates,
    holders_q,
)
from yishiting.deliberation.services.meetings import meeting_notify

from .test_meetings import party_people, plan

pytestmark = pytest.mark.django_db

ORG_OF = {Party.PROPERTY: OrganizationKind.PROPERTY_COMPANY, Party.OWNERS_COMMITTEE: OrganizationKind.OWNERS_COMMITTEE,
          Party.SOCIAL_ORG: OrganizationKind.SOCIAL_ORGANIZATION,
          Party.DUAL_REGISTRATION: OrganizationKind.DUAL_REGISTRATION_UNIT}
# party → (role, where the role is held, where the organisation serves) of a real holder for a G1 topic at C1
HOLDER = {
    Party.GRID_WORKER: (Role.SECTOR_HEAD, "G1", None), Party.PROPERTY: (Role.ORG_REPRESENTATIVE, "G1", "G1"),
    Party.OWNERS_COMMITTEE: (Role.ORG_REPRESENTATIVE, "G1", "G1"), Party.LEGAL_ADVISER: (Role.LAWYER, "C1", None),
    Party.DEPUTY: (Role.DEPUTY, "S1", None), Party.DUAL_REGISTRATION: (Role.ORG_REPRESENTATIVE, "C1", "D"),
    Party.SOCIAL_ORG: (Role.ORG_REPRESENTATIVE, "C1", "C1"), Party.RESIDENT: (Role.OWNER, "U1", None),
}
# the same capacity held in another place: the neighbouring community's estate or community
ELSEWHERE = {
    Party.GRID_WORKER: (Role.GRID_WORKER, "G2", None), Party.PROPERTY: (Role.ORG_REPRESENTATIVE, "G2", "G2"),
    Party.OWNERS_COMMITTEE: (Role.ORG_REPRESENTATIVE, "G2", "G2"), Party.LEGAL_ADVISER: (Role.LAWYER, "C2", None),
    Party.DEPUTY: (Role.DEPUTY, "C3", None), Party.DUAL_REGISTRATION: (Role.ORG_REPRESENTATIVE, "C2", "D"),
    Party.SOCIAL_ORG: (Role.ORG_REPRESENTATIVE, "C2", "C2"), Party.RESIDENT: (Role.RESIDENT, "U2", None),
}


@pytest.fixture
def scope(world) -> PartyScope:
    """A matter of 幸福苑小区 (G1) deliberated by 幸福苑社区 (C1)."""
    return PartyScope(level=(world.areas["C1"].path,), scope=(world.areas["G1"].path,))


def someone(world, party: str, spec: tuple, tag: str) -> Person:
    role, where, org_area = spec
    person = person_create(actor=None, name=f"{tag}{party}", area=world.areas[where])
    org = None
    if org_area is not None:
        org = organization_create(actor=None, kind=ORG_OF[party], name=f"{tag}{party}单位", area=world.areas[org_area])
    role_assign(actor=None, person=person, role=role, area=world.areas[where], organization=org)
    return person


@pytest.mark.parametrize("party", EIGHT_PARTIES)
def test_a_party_counts_for_its_real_holder_only(world, scope, party):
    holder = someone(world, party, HOLDER[party], "本地")
    elsewhere = someone(world, party, ELSEWHERE[party], "外地")
    ordinary = world.people["resident2"] if party == Party.RESIDENT else world.people["resident"]  # labelled only
    for person, counts in ((holder, True), (elsewhere, False), (ordinary, False)):
        count = count_parties([(person.pk, party)], scope)
        assert (party in count.present) is counts, (party, person.name)
        assert (count.unverified == []) is counts
        # the query form of the rules says the same
        assert Person.objects.filter(holders_q(party, scope), pk=person.pk).exists() is counts, (party, person.name)
    assert held_parties([holder.pk], scope)[holder.pk] >= {party}


def test_the_free_parties_count_for_anyone(world, scope):
    ordinary = world.people["resident2"]
    for party in (Party.STAKEHOLDER, Party.LEADER, Party.STAFF, Party.PROFESSIONAL, Party.CHAIR):
        assert party in count_parties([(ordinary.pk, party)], scope).present


def test_an_inservice_party_member_fills_the_dual_registration_party_and_a_household_makes_a_resident(world, scope):
    member = person_create(actor=None, name="在职党员", area=world.areas["C1"])
    role_assign(actor=None, person=member, role=Role.INSERVICE_PARTY_MEMBER, area=world.areas["C1"])
    lives_here = person_create(actor=None, name="新住户", household=world.households["H2"])  # no role yet
    held = held_parties([member.pk, lives_here.pk], scope)
    assert held[member.pk] == {Party.DUAL_REGISTRATION} and held[lives_here.pk] == {Party.RESIDENT}


def test_candidates_are_a_few_real_holders_of_the_place_the_spokespeople_first(world, scope):
    for i in range(7):
        person_create(actor=None, name=f"住户{i}", household=world.households["H2"])
    head = person_create(actor=None, name="楼栋长", household=world.households["H2"])
    role_assign(actor=None, person=head, role=Role.BUILDING_HEAD, area=world.areas["B1"])
    pool = Person.objects.all()
    pairs, more = holder_candidates(Party.RESIDENT, scope, pool, exclude=[world.people["resident"].pk])
    assert len(pairs) == 5 and more and pairs[0][0] == head and pairs[0][1].role == Role.BUILDING_HEAD
    assert world.people["resident"] not in [p for p, _ in pairs]
    assert all(p.household_id == world.households["H2"].pk for p, _ in pairs)  # nobody of another community
    property_rep = someone(world, Party.PROPERTY, HOLDER[Party.PROPERTY], "本地")
    someone(world, Party.PROPERTY, ELSEWHERE[Party.PROPERTY], "外地")
    pairs, more = holder_candidates(Party.PROPERTY, scope, pool)
    assert [p for p, _ in pairs] == [property_rep] and not more
    assert pairs[0][1].organization.kind == OrganizationKind.PROPERTY_COMPANY
    assert holder_candidates(Party.OWNERS_COMMITTEE, scope, pool) == ([], False)


def test_eight_labelled_residents_do_not_make_a_1_8_n_table(world):
    fake = party_people(world, real=False)
    meeting = plan(world, participants=fake)  # the default template warns (does not block)
    codes = [w["code"] for w in meeting.warnings]
    assert codes.count("party_unverified") == 8  # registered at the community, living nowhere there: not residents
    [missing] = [w for w in meeting.warnings if w["code"] == "parties_missing"]
    assert "物业公司" in missing["message"] and "居民群众" in missing["message"]
    assert any("参***不是管理本小区的物业服务企业的人员，不计入“物业公司”一方" in w["message"] for w in meeting.warnings)


def test_a_blocking_template_refuses_the_plan_and_the_notice(world):
    template = ProcessTemplate.objects.get(code="kenli-345")
    template.parties_block = True
    template.save(update_fields=["parties_block"])
    with pytest.raises(DomainError) as refused:
        plan(world, template=template, participants=party_people(world, real=False))
    details = refused.value.details
    assert "parties_missing" in [e["code"] for e in details["errors"]] and Party.PROPERTY in details["missing_parties"]
    assert len(details["unverified"]) == 8 and set(details["unverified"][0]) == {"person", "party"}
    meeting = plan(world, template=template)  # real holders: planned
    rep = meeting.participants.get(party=Party.PROPERTY).person
    rep.roles.update(is_active=False)  # the manager left the company before the notice went out
    with pytest.raises(DomainError) as at_notice:
        meeting_notify(actor=world.users["community_secretary"], meeting=meeting)
    assert at_notice.value.code == "parties_missing" and "物业公司" in at_notice.value.message
    assert at_notice.value.details["missing_parties"] == [Party.PROPERTY]
