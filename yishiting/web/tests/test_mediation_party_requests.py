"""What a party asks for on its case page (人民调解法 art. 19, 23): refusing a named mediator, and a public or
non-public session — itself, or the community staff recording it on its behalf. The mediators see the result;
another resident gets a 404 and changes nothing."""

from __future__ import annotations

import pytest

from yishiting.mediation.choices import Hearing, MediatorStatus, Side
from yishiting.mediation.models import CaseMediator, MediationCase
from yishiting.mediation.services import mediator_assign
from yishiting.mediation.tests.world import accepted_case, build

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world) -> MediationCase:
    """Accepted at the community, mediated by 黄明白 with the legal adviser 陈律师 beside him."""
    build(world)
    case = accepted_case(world)
    mediator_assign(actor=world.users["community_secretary"], case=case, person=world.people["adviser"])
    return case


def _adviser(case: MediationCase) -> CaseMediator:
    return case.mediators.get(person__name="陈律师")


def test_a_party_refuses_a_named_mediator_and_the_other_mediator_sees_it(world, case, as_persona):
    resident, adviser = as_persona("resident"), _adviser(case)
    page = main(resident.get(f"/mediation/{case.pk}/"))
    assert "不同意由该调解员调解" in page and "不需要说明理由" in page
    assert "记录当事人拒绝该调解员" not in page  # a party refuses for itself only
    own, other = case.parties.get(side=Side.APPLICANT), case.parties.get(side=Side.RESPONDENT)
    not_mine = resident.post(f"/mediation/{case.pk}/refuse/", {"mediator": adviser.pk, "party": other.pk})
    assert not_mine.status_code == 400
    response = resident.post(f"/mediation/{case.pk}/refuse/", {"mediator": adviser.pk, "party": own.pk,
                                                                "reason": "与对方是亲戚"}, follow=True)
    assert "已记录拒绝该调解员" in main(response)
    adviser.refresh_from_db()
    assert adviser.status == MediatorStatus.REFUSED and adviser.reason == "与对方是亲戚"
    seen = main(as_persona("mediator").get(f"/mediation/{case.pk}/"))
    assert "陈律师" in seen and "当事人拒绝" in seen and "与对方是亲戚" in seen
    # The refused mediator is out of the case: it no longer exists for them.
    assert as_persona("adviser").get(f"/mediation/{case.pk}/").status_code == 404


def test_the_staff_record_a_refusal_for_a_party_and_a_mediator_alone_cannot(world, case, as_persona):
    adviser, neighbour = _adviser(case), case.parties.get(side=Side.RESPONDENT)
    assert "记录当事人拒绝该调解员" not in main(as_persona("mediator").get(f"/mediation/{case.pk}/"))
    staff = as_persona("community_secretary")
    assert "记录当事人拒绝该调解员" in main(staff.get(f"/mediation/{case.pk}/"))
    missing = staff.post(f"/mediation/{case.pk}/refuse/", {"mediator": adviser.pk, "party": ""})
    assert missing.status_code == 400 and "请选择提出拒绝的当事人" in main(missing)
    assert staff.post(f"/mediation/{case.pk}/refuse/", {"mediator": adviser.pk, "party": neighbour.pk}).status_code == 302
    adviser.refresh_from_db()
    assert adviser.status == MediatorStatus.REFUSED


@pytest.mark.parametrize("persona", ["bystander", "resident2"])
def test_another_resident_can_neither_refuse_nor_change_the_hearing(world, case, as_persona, persona):
    client, adviser = as_persona(persona), _adviser(case)
    party = case.parties.get(side=Side.APPLICANT)
    assert client.post(f"/mediation/{case.pk}/refuse/", {"mediator": adviser.pk, "party": party.pk}).status_code == 404
    assert client.post(f"/mediation/{case.pk}/hearing/", {"hearing": "public", "party": party.pk}).status_code == 404
    adviser.refresh_from_db()
    case.refresh_from_db()
    assert adviser.status == MediatorStatus.ACTIVE and case.hearing == Hearing.PRIVATE


def test_a_party_asks_for_a_public_session_and_the_mediator_sees_it(world, case, as_persona):
    neighbour = as_persona("neighbour")
    page = main(neighbour.get(f"/mediation/{case.pk}/"))
    assert "申请公开或不公开调解" in page and "现在为：不公开调解" in page
    own = case.parties.get(side=Side.RESPONDENT)
    response = neighbour.post(f"/mediation/{case.pk}/hearing/", {"hearing": "public", "party": own.pk}, follow=True)
    assert "调解方式已更改" in main(response)
    case.refresh_from_db()
    assert case.hearing == Hearing.PUBLIC
    assert "· 公开调解" in main(as_persona("mediator").get(f"/mediation/{case.pk}/"))
    # Asking without naming itself is asking as the mediator: refused, nothing changes.
    refused = neighbour.post(f"/mediation/{case.pk}/hearing/", {"hearing": "private"}, follow=True)
    case.refresh_from_db()
    assert "只有该案件的调解员" in main(refused) and case.hearing == Hearing.PUBLIC


def test_the_staff_record_a_partys_wish_for_a_private_session(world, case, as_persona):
    staff = as_persona("community_staff")
    page = main(staff.get(f"/mediation/{case.pk}/"))
    assert "更改调解方式（公开或不公开）" in page and "无（调解员决定）" in page
    applicant = case.parties.get(side=Side.APPLICANT)
    assert staff.post(f"/mediation/{case.pk}/hearing/", {"hearing": "public", "party": applicant.pk}).status_code == 302
    case.refresh_from_db()
    assert case.hearing == Hearing.PUBLIC
    bad = staff.post(f"/mediation/{case.pk}/hearing/", {"hearing": "loud"})
    assert bad.status_code == 400
