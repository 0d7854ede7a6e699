"""扬州 提议-合议-群议-决议-评议, through HTTP only, as the people involved live it.

张三 (owner of 1单元 101) asks for a lift in 1单元. The community runs Yangzhou's template (set by the district's
admin) and opens the topic. 群议 comes before 决议: at the meeting a resolution before the residents have had
their round (one opinion is not a round) is refused; at the 群议 the owners of 1单元 decide under Civil Code Art. 278 (七) 改建 — three quarters needed: 张三 votes on
the phone, 李秀英's paper ballot is entered by the staff — and the meeting resolves to retrofit the lift. Rebuilding is a major matter: after the notice the street
reviews its legality before the work starts; the community coordinates the installation; 张三 rates it (评议)
and the matter is archived.
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
STAGES = "提议 合议 群议、决议 结果公示 落实办理 跟踪督办 评议 归档备案"

YANGZHOU = Locality(
    template="yangzhou-5yi", title="幸福苑3栋1单元加装电梯", scope="U1",
    demand="1单元住的多是老人，六楼的王阿姨已经半年没下过楼，希望加装电梯，费用大家商量着分摊",
    resolution="1单元加装电梯，费用按楼层系数分摊，申请既有住宅加装电梯补贴，由施工单位 90 日内完成。",
    parties=["owners_committee", "social_org", "resident", "property"],
)


def owners_vote(town: Town, topic: dict, meeting: dict) -> None:
    """群议: the owners of 1单元 decide under Art. 278 (the register records them first, by the office)."""
    admin, staff, secretary = town["admin"], town["community_staff"], town["community_secretary"]
    li = staff.post("/people", {"name": "李秀英", "mobile": "13912000102",
                                "household_id": town.world.households["H2"].pk}, expect=201)
    for person in (town.person("resident"), li["id"]):
        admin.post("/roles", {"person_id": person, "role": "owner", "area_id": town.area("U1")}, expect=201)
    vote = secretary.post("/votes", {"topic_id": topic["id"], "question": "是否同意在1单元加装电梯",
                                     "method": "owners", "rule": "art278", "matter": "rebuild",
                                     "scope_area_id": town.area("U1")}, expect=201)
    url = f"/votes/{vote['id']}"
    town["resident"].post(f"{url}/ballots", {"choice": "同意"}, expect=201)
    staff.post(f"{url}/paper-ballots", {"choice": "同意", "household_id": town.world.households["H2"].pk},
               expect=201)
    assert secretary.post(f"{url}/close")["status_label"] == "已结束"
    result = town["resident"].get(f"{url}/result")["result"]
    assert result["passed"] is True and result["lines"][-1] == "表决通过。"


def residents_first(town: Town, topic: dict, meeting: dict) -> None:
    """决议 before 群议 is refused with what is missing; then the owners vote (群议)."""
    error = town["community_secretary"].refused(f"/meetings/{meeting['id']}/resolutions", {
        "topic_id": topic["id"], "text": YANGZHOU.resolution, "next_step": "publicity"}, 400, "residents_round_missing")
    assert "须先“群议”再“决议”" in error["message"] and "已收到 1 条" in error["message"]
    owners_vote(town, topic, meeting)


def test_yangzhou_five_steps_from_demand_to_archive(town):
    matter = deliberate(town, YANGZHOU, vote=residents_first)  # 提议 合议 群议 决议
    assert matter.topic["scope_area"]["id"] == town.area("U1")
    # Rebuilding under Art. 278 is a major matter: after the notice the street reviews its legality.
    publicise(town, matter, major="业主共同决定事项（民法典第二百七十八条）")
    task = assign(town, "community_secretary", matter, "community_staff", title="1单元加装电梯施工协调",
                  subject_kind="community", deadline_days=60,
                  supervisor="community_secretary")
    work(town, "community_staff", task)
    supervise(town, matter, "电梯已安装调试完毕，取得使用登记证。")
    close(town, "community_secretary", task)
    round_ = evaluation_opens(town, matter)  # 评议
    rate(town, "resident", round_, "satisfied", "终于能坐电梯下楼了")
    assert evaluation_ends(town, round_)["reopened"] is False
    dossier = archive(town, matter, STAGES)
    assert any("合法性审核" in line for line in recorded(dossier, "publicise"))
    assert any("表决" in line for line in recorded(dossier, "deliberate"))
