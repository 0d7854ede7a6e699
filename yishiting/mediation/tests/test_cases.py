"""Opening, consent (art. 17), mediators and acceptance: each transition, and bad input refused with nothing
written."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.mediation.choices import CaseSource, CaseStatus, Consent, MediatorStatus, Outcome, Side, Tier
from yishiting.mediation.models import CaseMediator, CaseParty, MediationCase
from yishiting.mediation.services import (
    PartyInput,
    case_accept,
    case_apply,
    case_open,
    mediator_assign,
    mediator_refuse,
    mediator_step_aside,
    party_add,
    party_consent,
)

from .world import accepted_case, screened_case

pytestmark = pytest.mark.django_db


def _events(case) -> list[str]:
    return list(Event.objects.filter(subject_type="mediation.mediationcase", subject_id=str(case.pk))
                .order_by("seq").values_list("kind", flat=True))


def test_screening_opens_a_case_waiting_for_a_mediator_with_the_reporter_as_applicant(world, med):
    case = screened_case(world)
    assert case.status == CaseStatus.OPEN and case.get_status_display() == "待受理"
    assert case.tier == Tier.COMMUNITY and case.tier_area == world.areas["C1"] and case.attempt_limits == [3, 2, 1]
    assert case.committee.area == world.areas["C1"] and case.dispute_type.code == "neighbour"
    assert case.deadline > case.opened_on and case.source == CaseSource.SCREENING
    applicant = case.parties.get()
    assert applicant.side == Side.APPLICANT and applicant.person == world.people["resident"]
    assert _events(case) == ["mediation.opened", "mediation.party_added"]


def test_accepting_needs_both_sides_and_every_partys_consent(world, med):
    case = screened_case(world)
    staff, mediator = world.users["community_secretary"], world.users["mediator"]
    mediator_assign(actor=staff, case=case, person=world.people["mediator"])
    with pytest.raises(DomainError) as missing:
        case_accept(actor=mediator, case=case)
    assert missing.value.code == "parties_missing" and "被申请人" in missing.value.message
    party_add(actor=mediator, case=case, party=PartyInput(side=Side.RESPONDENT, person=world.people["neighbour"]))
    before = len(_events(case))
    with pytest.raises(DomainError) as waiting:
        case_accept(actor=mediator, case=case)
    assert waiting.value.code == "consent_missing" and "自愿" in waiting.value.message
    assert len(_events(case)) == before and MediationCase.objects.get(pk=case.pk).status == CaseStatus.OPEN
    for party in case.parties.all():
        party_consent(actor=mediator, case=case, party=party, agreed=True)
    accepted = case_accept(actor=mediator, case=case)
    assert accepted.status == CaseStatus.MEDIATING and accepted.accepted_by == mediator
    demand = case.demands.get()
    assert Event.objects.filter(subject_type="demands.demand", subject_id=str(demand.pk),
                                kind="demand.mediation_accepted").exists()


def test_a_party_refusing_mediation_closes_the_case_with_guidance(world, med):
    case = screened_case(world)
    party = party_add(actor=world.users["community_secretary"], case=case,
                      party=PartyInput(side=Side.RESPONDENT, person=world.people["neighbour"]))
    with pytest.raises(DomainError) as no_guidance:
        party_consent(actor=world.users["neighbour"], case=case, party=party, agreed=False)
    assert no_guidance.value.details == {"field": "guidance"}
    assert CaseParty.objects.get(pk=party.pk).consent == Consent.PENDING
    party_consent(actor=world.users["community_secretary"], case=case, party=party, agreed=False,
                  note="不愿调解", guidance="可以向人民法院起诉，或向物业管理部门投诉。")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.REFUSED and "起诉" in case.guidance
    assert "mediation.refused" in _events(case)


def test_the_party_itself_says_no_but_cannot_answer_for_the_other_side(world, med):
    case = screened_case(world)
    party = party_add(actor=world.users["community_secretary"], case=case,
                      party=PartyInput(side=Side.RESPONDENT, person=world.people["neighbour"]))
    applicant = case.parties.get(side=Side.APPLICANT)
    with pytest.raises(PermissionDeniedError):
        party_consent(actor=world.users["neighbour"], case=case, party=applicant, agreed=True)
    party_consent(actor=world.users["neighbour"], case=case, party=party, agreed=True)
    assert CaseParty.objects.get(pk=party.pk).consent == Consent.AGREED


def test_mediators_come_from_a_committee_covering_the_case(world, med):
    case = screened_case(world)
    staff = world.users["community_secretary"]
    with pytest.raises(DomainError) as outsider:
        mediator_assign(actor=staff, case=case, person=world.people["resident3"])
    assert outsider.value.code == "not_a_member" and "调解委员会" in outsider.value.message
    with pytest.raises(PermissionDeniedError):
        mediator_assign(actor=world.users["grid_worker"], case=case, person=world.people["mediator"])
    mediator_assign(actor=staff, case=case, person=world.people["street_mediator"])  # the street's committee
    with pytest.raises(Conflict):
        mediator_assign(actor=staff, case=case, person=world.people["street_mediator"])
    assert CaseMediator.objects.filter(case=case).count() == 1


def test_a_party_refuses_a_mediator_and_a_mediator_steps_aside(world, med):
    case = accepted_case(world)
    staff = world.users["community_secretary"]
    chosen = mediator_assign(actor=staff, case=case, person=world.people["adviser"],
                             chosen_by=case.parties.get(side=Side.APPLICANT))
    assert chosen.chosen_by.side == Side.APPLICANT
    respondent = case.parties.get(side=Side.RESPONDENT)
    mediator_refuse(actor=world.users["neighbour"], case=case, mediator=chosen, party=respondent, reason="是对方亲戚")
    assert CaseMediator.objects.get(pk=chosen.pk).status == MediatorStatus.REFUSED
    lead = case.mediators.get(person=world.people["mediator"])
    with pytest.raises(DomainError) as no_reason:
        mediator_step_aside(actor=world.users["mediator"], case=case, mediator=lead, reason=" ")
    assert no_reason.value.details == {"field": "reason"}
    mediator_step_aside(actor=world.users["mediator"], case=case, mediator=lead, reason="与被申请人是同事")
    assert not case.mediators.filter(status=MediatorStatus.ACTIVE).exists()
    assert {"mediation.mediator_refused", "mediation.mediator_stepped_aside"} <= set(_events(case))


def test_a_resident_applies_and_a_mediator_opens_directly(world, med):
    case = case_apply(actor=world.users["neighbour"], area=world.areas["B1"], title="楼上漏水纠纷",
                      statement="楼下说我家漏水，我要求查清楚", respondent=PartyInput(side=Side.RESPONDENT,
                                                                         person=world.people["resident"]))
    applicant = case.parties.get(side=Side.APPLICANT)
    assert case.source == CaseSource.APPLICATION and applicant.consent == Consent.AGREED
    direct = case_open(actor=world.users["mediator"], area=world.areas["C1"], title="两户停车位纠纷")
    assert direct.source == CaseSource.MEDIATOR and direct.tier == Tier.COMMUNITY
    with pytest.raises(PermissionDeniedError):
        case_open(actor=world.users["bystander"], area=world.areas["C1"], title="别人的纠纷")
    with pytest.raises(DomainError) as blank:
        case_open(actor=world.users["mediator"], area=world.areas["C1"], title="  ")
    assert blank.value.details == {"field": "title"} and "案由" in blank.value.message


def test_a_case_screened_at_the_street_starts_at_the_street_tier(world, med):
    case = case_open(actor=world.users["street_official"], area=world.areas["S1"], title="街道层面的纠纷")
    assert case.tier == Tier.STREET and case.tier_area == world.areas["S1"]
