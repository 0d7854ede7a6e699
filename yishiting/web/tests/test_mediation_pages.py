"""Mediation pages, persona by persona: what the parties, the mediators, the community staff and a street
official see of a case, and that another resident of the same building (or of another community) sees nothing —
no page, no list, no link. Plus opening a case (a resident's 申请调解, a mediator directly) and the demand page's
mediation stage."""

from __future__ import annotations

import pytest

from yishiting.mediation.choices import CaseSource, CaseStatus
from yishiting.mediation.models import MediationCase
from yishiting.mediation.tests.world import accepted_case, build, screened_case

from .pages import duplicate_ids, main

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    build(world)
    return accepted_case(world)


def test_parties_see_their_case_with_the_other_side_masked(world, case, as_persona):
    page = main(as_persona("resident").get(f"/mediation/{case.pk}/"))
    assert "张三" in page and "王邻居" not in page and "王*" in page  # own name in full, the other side masked
    assert "社区初调" in page and "0/3 次" in page and "黄明白" in page  # the tiers and the mediator
    assert "记录一次" not in page and "指派调解员" not in page  # no mediator's or staff's forms
    page = main(as_persona("neighbour").get(f"/mediation/{case.pk}/"))
    assert "王邻居" in page and "张三" not in page and "张*" in page


@pytest.mark.parametrize("persona", ["bystander", "resident2", "resident3", "grid_worker", "handler"])
def test_anyone_else_sees_nothing_of_it(world, case, as_persona, persona):
    client = as_persona(persona)
    for url in (f"/mediation/{case.pk}/", f"/mediation/{case.pk}/agreement.pdf", f"/mediation/{case.pk}/rate/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/mediation/{case.pk}/attempt/", {"place": "x"}).status_code == 404
    assert client.get("/mediation/").status_code == 403
    home = main(client.get("/"))
    assert case.title[:10] not in home and f"/mediation/{case.pk}/" not in home


@pytest.mark.parametrize("persona", ["mediator", "community_staff", "community_secretary", "street_official"])
def test_mediators_and_supervising_staff_list_the_case_and_see_the_parties(world, case, as_persona, persona):
    client = as_persona(persona)
    listed = main(client.get("/mediation/"))
    assert case.title[:10] in listed
    response = client.get(f"/mediation/{case.pk}/")
    page = main(response)
    assert "张三" in page and "王邻居" in page and "13800000001" in page  # full details
    assert not duplicate_ids(response)
    assert ("记录一次社区初调" in page) == (persona in {"mediator", "community_staff", "community_secretary",
                                                        "street_official"})
    assert ("指派调解员" in page) == (persona != "mediator")
    assert 'href="/mediation/"' in response.content.decode()  # the menu's 调解


def test_the_list_filters_by_status_tier_and_type_and_searches(world, case, as_persona):
    client = as_persona("community_staff")
    other = screened_case(world)  # waiting to be accepted
    page = main(client.get("/mediation/", {"status": "open"}))
    assert f"/mediation/{other.pk}/" in page and f"/mediation/{case.pk}/" not in page
    page = main(client.get("/mediation/", {"tier": "2"}))
    assert "没有符合条件的调解案件" in page
    page = main(client.get("/mediation/", {"q": "不存在的案由"}))
    assert "没有符合条件的调解案件" in page
    page = main(client.get("/mediation/", {"dispute_type": case.dispute_type_id, "tier": "1"}))
    assert f"/mediation/{case.pk}/" in page and f"/mediation/{other.pk}/" in page
    assert client.get("/mediation/", {"tier": "x", "page": "-1"}).status_code == 200


def test_a_resident_applies_for_mediation_and_the_staff_see_it(world, as_persona):
    build(world)
    client = as_persona("resident")
    assert "申请调解" in main(client.get("/"))
    bad = client.post("/mediation/apply/", {"title": "", "statement": "", "hearing": "private"})
    assert bad.status_code == 400 and "请填写案由" in main(bad)
    response = client.post("/mediation/apply/", {
        "title": "楼上漏水", "statement": "楼上卫生间漏水泡坏天花板", "respondent_name": "王邻居",
        "respondent_kind": "person", "respondent_address": "3栋1单元201", "hearing": "private"})
    assert response.status_code == 302
    case = MediationCase.objects.get(title="楼上漏水")
    assert case.source == CaseSource.APPLICATION and case.status == CaseStatus.OPEN
    assert "楼上漏水" in main(client.get("/"))  # the party's own cases on the home page
    page = main(as_persona("community_staff").get(f"/mediation/{case.pk}/"))
    assert "王邻居" in page and "当事人申请" in page
    assert as_persona("bystander").get(f"/mediation/{case.pk}/").status_code == 404


def test_a_mediator_opens_a_case_directly(world, as_persona):
    build(world)
    client = as_persona("mediator")
    page = main(client.get("/mediation/new/"))
    assert "纠纷发生地" in page and "幸福苑社区" in page and "和平里社区" not in page  # only their committee's area
    response = client.post("/mediation/new/", {
        "area": world.areas["G1"].pk, "title": "停车位纠纷", "hearing": "private",
        "applicant": world.people["resident"].pk, "applicant_statement": "车位被占",
        "respondent_name": "赵某"})
    assert response.status_code == 302, main(response)
    case = MediationCase.objects.get(title="停车位纠纷")
    assert case.source == CaseSource.MEDIATOR and case.parties.count() == 2
    assert as_persona("resident").get(f"/mediation/{case.pk}/").status_code == 200  # a picked resident sees it
    assert as_persona("resident").get("/mediation/new/").status_code == 403


def test_the_demand_page_shows_the_mediation_stage_with_a_link_for_the_party(world, case, as_persona):
    demand = case.demands.get()
    page = main(as_persona("resident").get(f"/demands/{demand.pk}/"))
    assert "受理" in page and "社区初调" in page and f"/mediation/{case.pk}/" in page
    mine = main(as_persona("resident").get("/demands/mine/"))
    assert "调解中" in mine


def test_a_party_refuses_mediation_from_its_own_page_and_is_told_the_other_ways(world, as_persona):
    from yishiting.mediation.choices import Side
    from yishiting.mediation.services import PartyInput, party_add

    build(world)
    case = screened_case(world)
    respondent = party_add(actor=world.users["community_secretary"], case=case, party=PartyInput(
        side=Side.RESPONDENT, person=world.people["neighbour"]))
    client = as_persona("neighbour")
    page = main(client.get(f"/mediation/{case.pk}/"))
    assert "是否同意调解" in page and "data-confirm" in page
    missing = client.post(f"/mediation/{case.pk}/consent/", {"party": respondent.pk, "agreed": "no"})
    assert missing.status_code == 400 and "其他解决途径" in main(missing)
    other = case.parties.get(side="applicant")
    assert client.post(f"/mediation/{case.pk}/consent/", {"party": other.pk, "agreed": "no",
                                                          "guidance": "x"}).status_code == 400  # not theirs
    response = client.post(f"/mediation/{case.pk}/consent/", {"party": respondent.pk, "agreed": "no",
                                                               "guidance": "可以向人民法院起诉"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "refused"
    assert "可以向人民法院起诉" in main(as_persona("resident").get(f"/mediation/{case.pk}/"))


def test_an_unsigned_agreement_goes_back_to_mediation(world, case, as_persona):
    from datetime import date

    from yishiting.mediation.services import agreement_draft, attempt_record

    mediator = world.users["mediator"]
    attempt_record(actor=mediator, case=case, held_on=date.today(), place="调解室", mediators=[world.people["mediator"]],
                   parties_present=list(case.parties.all()), result="success")
    agreement_draft(actor=mediator, case=case, form="oral", content="各让一步", oral_note="口头达成")
    client = as_persona("mediator")
    assert "当事人不签署：退回调解" in main(client.get(f"/mediation/{case.pk}/"))
    assert client.post(f"/mediation/{case.pk}/abandon/", {"reason": ""}).status_code == 400
    assert client.post(f"/mediation/{case.pk}/abandon/", {"reason": "被申请人反悔"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.MEDIATING and not MediationCase.objects.filter(pk=case.pk, agreement__isnull=False)
    assert as_persona("resident").post(f"/mediation/{case.pk}/abandon/", {"reason": "x"}).status_code in (400, 403)
