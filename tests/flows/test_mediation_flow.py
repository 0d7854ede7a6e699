"""The "三二一" mediation of a neighbour dispute, through HTTP like the people who do it (seed 003, Cenxi):
a resident's demand → screened to mediation → three community attempts fail → two street attempts, the second
succeeds → a signed written agreement → the judicial-confirmation reminder → performance checked → return visit
→ the resident's rating → the archived dossier. Each persona checks what they see; another resident of the same
building sees nothing of it (人民调解法 art. 15), and the dossier names nobody.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yishiting.mediation.tests.world import build

from .loop import Clock, Town, resident_follows

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep seeded rows
DISPUTE = "楼上邻居家卫生间漏水，把我家天花板泡坏了，协商多次没有结果，请社区帮忙调解。"


@pytest.fixture
def committees(world):
    build(world)


def _attempts(town: Town, persona: str, case: dict, results: list[str]) -> dict:
    for result in results:
        case = town[persona].post(f"/mediation/cases/{case['id']}/attempts", {
            "held_on": date.today().isoformat(), "place": "调解室", "mediator_ids": [town.person(persona)],
            "party_ids": [p["id"] for p in case["parties"]], "applicant_said": "要求赔偿天花板维修费 2000 元",
            "respondent_said": "只愿意承担一半", "result": result}, expect=201)
    return case


def _nobody_else_sees(town: Town, case_id: int) -> None:
    for outsider in ("bystander", "grid_worker", "resident2", "adviser", "handler"):
        assert town[outsider].items("/mediation/cases") == [], outsider
        error = town[outsider].get(f"/mediation/cases/{case_id}", expect=404)
        assert error["code"] == "not_found" and "找不到" in error["message"]


def test_a_neighbour_dispute_is_mediated_three_two_one_to_the_archive(town, committees):
    resident, neighbour, secretary = town["resident"], town["neighbour"], town["community_secretary"]
    mediator, street, street_mediator = town["mediator"], town["street_official"], town["street_mediator"]

    # 集 / 定: the dispute reaches the community and is screened to mediation.
    demand = resident.post("/demands", {"text": DISPUTE, "area_id": town.area("B1")}, expect=201)
    types = {t["code"]: t["id"] for t in secretary.get("/mediation/dispute-types")}
    screened = secretary.post(f"/demands/{demand['id']}/screen", {
        "outcome": "mediation", "nature": "dispute", "reason": "邻里纠纷，适合调解", "dispute_type_id": types["neighbour"]})
    assert screened["status_label"] == "转入调解"
    [case] = resident.items("/mediation/cases")
    assert (case["status_label"], case["tier_label"], case["dispute_type"]["name"]) == ("待受理", "社区初调", "邻里纠纷")
    _nobody_else_sees(town, case["id"])

    # The community registers the neighbour and assigns its 法治明白人; both agree to be mediated (art. 17).
    case = secretary.post(f"/mediation/cases/{case['id']}/parties", {
        "side": "respondent", "person_id": town.person("neighbour"), "statement": "漏水是公共管道的问题"}, expect=201)
    case = secretary.post(f"/mediation/cases/{case['id']}/mediators",
                          {"person_id": town.person("mediator"), "lead": True}, expect=201)
    mine = next(p for p in neighbour.get(f"/mediation/cases/{case['id']}")["parties"] if p["is_self"])
    neighbour.post(f"/mediation/cases/{case['id']}/parties/{mine['id']}/consent", {"agreed": True})
    refused = mediator.refused(f"/mediation/cases/{case['id']}/accept", None, 400, "consent_missing")
    assert "自愿" in refused["message"]
    applicant = next(p for p in case["parties"] if p["side"] == "applicant")
    mediator.post(f"/mediation/cases/{case['id']}/parties/{applicant['id']}/consent", {"agreed": True})
    case = mediator.post(f"/mediation/cases/{case['id']}/accept")
    assert case["status_label"] == "调解中" and case["attempts_left"] == 3
    resident_follows(town, demand, "将诉求转入调解", "调解员受理了调解")

    # What each side sees of the other: the parties masked, the mediator and the street in full.
    names = lambda who: {p["side"]: p["name"] for p in town[who].get(f"/mediation/cases/{case['id']}")["parties"]}  # noqa: E731
    assert names("resident") == {"applicant": "张三", "respondent": "王**"}
    assert names("neighbour") == {"applicant": "张*", "respondent": "王邻居"}
    assert names("mediator") == names("street_official") == {"applicant": "张三", "respondent": "王邻居"}

    # 三: three community attempts fail; the case moves up to the street with its file.
    case = _attempts(town, "mediator", case, ["failed", "failed", "failed"])
    assert (case["tier_label"], case["status_label"]) == ("镇街深调", "调解中")
    assert any("移交东风街道" in m for m in street.messages())
    mediator.refused(f"/mediation/cases/{case['id']}/attempts", {
        "held_on": date.today().isoformat(), "place": "调解室", "mediator_ids": [town.person("mediator")],
        "party_ids": [], "result": "failed"}, 403)  # the street's own mediators hold its attempts

    # 二: the street's mediator; the first street attempt fails, the second succeeds.
    street.post(f"/mediation/cases/{case['id']}/mediators", {"person_id": town.person("street_mediator")}, expect=201)
    case = _attempts(town, "street_mediator", case, ["failed"])
    stale = street_mediator.refused(f"/mediation/cases/{case['id']}/attempts", {
        "held_on": date.today().isoformat(), "place": "街道调解室", "mediator_ids": [town.person("street_mediator")],
        "party_ids": [], "result": "success", "number": 1}, 409, "stale_attempt")
    assert "请刷新" in stale["message"]
    case = _attempts(town, "street_mediator", case, ["success"])
    assert case["status_label"] == "已达成协议" and len(case["attempts"]) == 5

    # The written agreement (art. 29), signed by each party on their phone, by the mediator, stamped.
    respondent = next(p for p in case["parties"] if p["side"] == "respondent")
    due = (date.today() + timedelta(days=10)).isoformat()
    case = street_mediator.post(f"/mediation/cases/{case['id']}/agreement", {
        "content": "王邻居承担维修费 1500 元，并在十日内修好卫生间防水。", "facts": "卫生间漏水致楼下天花板受损。",
        "disputed_points": "漏水原因和维修费用的承担。", "responsibilities": "楼上防水层老化，承担主要责任。",
        "performance": "现金支付；请施工队维修。", "perform_by": due,
        "obligations": [{"party_id": respondent["id"], "text": "支付维修费 1500 元", "due_on": due},
                        {"party_id": respondent["id"], "text": "修好卫生间防水", "due_on": due}]}, expect=201)
    for who, party in (("resident", applicant), ("neighbour", respondent)):
        town[who].post(f"/mediation/cases/{case['id']}/agreement/signatures", {"party_id": party["id"]}, expect=201)
    street_mediator.post(f"/mediation/cases/{case['id']}/agreement/signatures",
                         {"mediator_id": town.person("street_mediator")}, expect=201)
    case = street_mediator.post(f"/mediation/cases/{case['id']}/agreement/stamp")
    agreement = case["agreement"]
    assert agreement["status"] == "effective" and len(agreement["signatures"]) == 3
    document = resident.get(f"/mediation/cases/{case['id']}/agreement/document")
    assert document["facts"] == "卫生间漏水致楼下天花板受损。" and document["mediators"] == ["林调解"]
    # Agreed at the street: the street's committee and mediator, not the community's where the case opened.
    assert (document["committee"], document["level"]) == ("东风街道人民调解委员会", "镇街深调")
    assert any("司法确认" in m for m in neighbour.messages())

    # The 30 days of art. 33 run: a reminder a few days before they end, then the confirmation recorded.
    output = Clock.tick(date.fromisoformat(agreement["confirmation_due"]) - timedelta(days=3))
    assert "司法确认提醒 1 件" in output
    case = street_mediator.post(f"/mediation/cases/{case['id']}/agreement/confirmation",
                                {"result": "confirmed", "note": "区人民法院裁定确认"})

    # Performance checked, the return visit, closing.
    for obligation in case["agreement"]["obligations"]:
        case = street_mediator.post(f"/mediation/cases/{case['id']}/obligations/{obligation['id']}/check",
                                    {"performed": True})
    street_mediator.refused(f"/mediation/cases/{case['id']}/close", None, 409, "no_visit")
    street_mediator.post(f"/mediation/cases/{case['id']}/visits", {
        "visited_on": date.today().isoformat(), "note": "维修费已付，防水已修好，两家和好"}, expect=201)
    case = street_mediator.post(f"/mediation/cases/{case['id']}/close")
    assert (case["status_label"], case["outcome"]) == ("已结案", "agreement")
    resident_follows(town, demand, "调解员受理了调解", "调解结案：调解成功")

    # 评: the resident rates; an outsider cannot.
    town["bystander"].refused(f"/mediation/cases/{case['id']}/rating", {"value": "satisfied"}, 404)
    assert resident.post(f"/mediation/cases/{case['id']}/rating", {"value": "satisfied"}, expect=201)["value"] \
        == "satisfied"
    today = date.today()
    figures = {f["key"]: f for f in secretary.get("/kpis", area=town.area("C1"), start=today.isoformat(),
                                                 end=today.isoformat())["figures"]}
    assert figures["response"]["numerator"] == "1" and figures["on_time"]["counted"] == [f"调解案件 {case['id']}"]
    assert figures["satisfaction"]["percent"] == "100.00"

    # 备: archived; the dossier says a neighbour dispute was mediated and names nobody.
    mediator.refused(f"/mediation/cases/{case['id']}/archive", None, 403)
    dossier = secretary.post(f"/mediation/cases/{case['id']}/archive", expect=201)
    sealed = secretary.get(f"/dossiers/{dossier['id']}")
    content = sealed["content"]  # what it says, not its hashes and timestamps (hex may hold any digits)
    text = str([content["title"], content["demands"], content["stages"], content["people_note"]])
    assert sealed["kind"] == "mediation" and "邻里纠纷调解" in sealed["title"]
    assert not any(name in text for name in ("张三", "王邻居", "1500", "天花板")), text
    assert "镇街深调第 2 次：达成协议" in text
    assert town["resident"].get(f"/mediation/cases/{case['id']}")["status_label"] == "已归档"
    _nobody_else_sees(town, case["id"])
