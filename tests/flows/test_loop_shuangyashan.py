"""双鸭山 五方共议 一提二议三办四评, through HTTP only, as the people involved live it.

张三 reports electric bikes charged in the stairwell of 3栋 on cables run from the windows — a fire risk
(安全隐患). Under the party organisation the five parties (居委会、业委会、物业企业、驻区单位、社区警务)
deliberate and resolve to build a charging shed with timed sockets and clear the stairwell. A safety hazard is
a major matter: after the notice the street reviews its legality before the work starts. The street's team
builds the shed; then the three evaluations — 张三's rating, the five parties scoring each other (on paper,
entered by the staff) and the street's organisation score — are weighed 50/30/20.
"""

from __future__ import annotations

import pytest

from .loop import (
    Locality,
    Town,
    archive,
    assign,
    close,
    deliberate,
    evaluation_ends,
    evaluation_opens,
    publicise,
    rate,
    recorded,
    supervise,
    work,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates
# The dossier's eight sections 集定议公办督评备, headed with this locality's step names.
STAGES = "收集诉求 提议 商议 结果公示 办理 办理 评议 办理"  # 集 is about collecting demands

SHUANGYASHAN = Locality(
    template="shuangyashan-5fang", title="幸福苑3栋电动车楼道充电整治", form="joint",
    demand="3栋好几户把电动车推进楼道充电，电线从窗户拉下来，晚上一楼全是车，着火了跑都跑不出去",
    resolution="在3栋北侧建设电动车集中充电棚（定时断电插座 20 个），清理楼道车辆，物业负责管理，30日内完成。",
    parties=["owners_committee", "property", "dual_registration", "stakeholder", "staff"],
    category="安全隐患",
)


def test_shuangyashan_five_parties_from_demand_to_archive(town):
    matter = deliberate(town, SHUANGYASHAN)  # 一提 二议
    assert matter.demand["category"]["name"] == "安全隐患"
    # A safety hazard is a major matter by the template's rule: the street reviews its legality.
    publicise(town, matter, major="诉求类别“安全隐患”")
    # 三办: the street's enforcement team, 一事一档、销号管理.
    task = assign(town, "street_official", matter, "handler", title="3栋电动车集中充电棚建设及楼道清理",
                  subject_kind="unit", organization=town.world.organizations["agency"].pk)
    work(town, "handler", task)
    supervise(town, matter, "充电棚已建成，楼道内电动车已全部清出。")
    close(town, "street_official", task)
    # 四评: 群众评价, 五方互评, 组织考评.
    round_ = evaluation_opens(town, matter)
    assert [p["name"] for p in town["community_secretary"].get(f"/evaluations/{round_['id']}")["parties"]] == [
        "居委会", "业委会", "物业企业", "驻区单位", "社区警务"]
    rate(town, "resident", round_, "satisfied", "楼道清爽了，晚上睡得踏实")
    five_parties(town, round_)
    town["street_official"].post(f"/evaluations/{round_['id']}/org-assessment",
                                 {"score": 95, "comment": "隐患整改及时，群众认可"}, expect=201)
    town["community_secretary"].refused(f"/evaluations/{round_['id']}/org-assessment", {"score": 100}, 403)
    result = evaluation_ends(town, round_)["result"]
    # Each figure with how it was counted: 100 × 50% + (88+90+92+86)/4 = 89 × 30% + 95 × 20% = 95.70.
    assert result["parties"]["average"] == "89.00" and result["parties"]["rule"] == "各方互评得分之和 356 ÷ 评分条数 4"
    assert result["organization"]["score"] == 95
    assert [(p["name"], p["weight"], p["score"]) for p in result["total"]["parts"]] == [
        ("群众评价", 50, "100.00"), ("五方互评", 30, "89.00"), ("组织考评", 20, "95.00")]
    assert result["total"]["value"] == "95.70" and result["reopen"]["decided"] is False
    dossier = archive(town, matter, STAGES)
    assert any("合法性审核" in line for line in recorded(dossier, "publicise"))


def five_parties(town: Town, round_: dict) -> None:
    """五方互评: the residents' committee scores on its own account (the secretary speaks for it); the other
    parties fill in paper forms, which the staff enter naming who filled them in. Nobody scores their own
    party, and a resident cannot score in a party's name."""
    url = f"/evaluations/{round_['id']}/party-ratings"
    secretary, staff = town["community_secretary"], town["community_staff"]
    for ratee, score in [("property", 88), ("owners_committee", 90)]:
        secretary.post(url, {"rater_party": "residents_committee", "ratee_party": ratee, "score": score}, expect=201)
    for rater, ratee, score, who in [("property", "residents_committee", 92, "物业项目经理 陈**"),
                                     ("police", "property", 86, "社区民警 王**")]:
        staff.post(url, {"rater_party": rater, "ratee_party": ratee, "score": score, "entered_for": who}, expect=201)
    secretary.refused(url, {"rater_party": "residents_committee", "ratee_party": "residents_committee",
                            "score": 100}, 400, "self_rating")
    town["resident"].refused(url, {"rater_party": "property", "ratee_party": "police", "score": 60}, 403)
    secretary.refused(url, {"rater_party": "residents_committee", "ratee_party": "property", "score": 10}, 409,
                      "already_rated")
