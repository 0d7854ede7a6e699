"""南昌 幸福圆桌会, seven steps (确定议题、征求意见、分析研判、协商议事、项目公示、项目实施、监督执行), through
HTTP only, as the people involved live it.

张三 asks for the rubbish point at the east gate of 幸福苑 to be moved away from the windows. The secretary
opens the topic — the community runs the 幸福圆桌会 (set by the district's admin) — and the demand is screened into
it. Before the round table the 民情理事会 visits households (走访征求意见): a plan before three households have
been heard is refused; the grid worker records the visits on the phone (a retry records nothing twice). A round
table takes 15 to 25
people: a first plan with eight is refused with the reason; with fifteen (a street leader among them, registered with the community) it
goes ahead and resolves to move the rubbish point. The street gives the work to its enforcement team, who
return it as not theirs; the street reassigns it to the community, which builds the refuse room; 张三 rates it
基本满意 and the matter is archived.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from .loop import (
    Locality,
    Matter,
    Town,
    archive,
    assign,
    close,
    collect,
    consult,
    decide,
    evaluation_ends,
    evaluation_opens,
    give_back,
    hold,
    invitees,
    plan,
    plan_refused,
    publicise,
    rate,
    reassign,
    recorded,
    resident_follows,
    supervise,
    work,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates
# The dossier's eight sections 集定议公办督评备, headed with this locality's step names.
STAGES = "收集诉求 确定议题 征求意见、分析研判、协商议事 项目公示 项目实施 监督执行 评价反馈 归档备案"  # 集 is about collecting

NANCHANG = Locality(
    template="nanchang-round-table", title="幸福苑东门垃圾收集点迁移",
    demand="东门垃圾收集点紧挨3栋窗户，夏天味道很大，招苍蝇，希望挪到围墙边",
    resolution="垃圾收集点迁至东门围墙内侧空地，加装密闭式垃圾房，物业负责日常清洁，45日内完成。",
    parties=["resident", "resident", "resident", "deputy", "deputy", "property", "property", "stakeholder",
             "stakeholder", "stakeholder", "staff", "professional", "leader"],
    category="环境整治",
)


def visit_households(town: Town, topic: dict) -> None:
    """走访征求意见: the grid worker (a 民情理事会 member) records three households, each once."""
    third = town["admin"].post("/households", {"unit_id": town.area("U1"), "number": "103",
                                               "exclusive_area": "96.00"}, expect=201)
    worker, url = town["grid_worker"], f"/templates/topics/{topic['id']}/consultations"
    today = str(timezone.localdate())
    homes = [town.world.households["H1"].pk, town.world.households["H2"].pk, third["id"]]
    said = ["同意迁移，最好放到围墙边", "迁走后原地方要做绿化", "垃圾房要密闭，别再有味道"]
    town["resident"].refused(url, {"household_id": homes[0], "visited_on": today, "said": "我自己记一条"}, 403)
    for home, words in zip(homes, said, strict=True):
        first = worker.post(url, {"household_id": home, "visited_on": today, "said": words}, expect=201)
    assert worker.post(url, {"household_id": homes[-1], "visited_on": today, "said": said[-1]}, expect=201)["id"] \
        == first["id"]  # the phone sent it twice: one record
    worker.refused(url, {"household_id": homes[0], "visited_on": today, "said": "改口了"}, 409, "already_consulted")
    listed = town["community_secretary"].get(url)
    assert (listed["recorded"], listed["required"]) == (3, 3) and listed["items"][0]["visitor"] == "赵**"


def test_nanchang_round_table_from_demand_to_archive(town):
    demand = collect(town, NANCHANG)
    topic = decide(town, NANCHANG, demand)
    consult(town, topic)
    # 走访征求意见 comes first: no round table before three households have been heard.
    error = plan_refused(town, NANCHANG, topic, invitees(town, NANCHANG), "consultations_missing")
    assert "至少 3 户" in error["message"] and "已记录 0 户" in error["message"]
    visit_households(town, topic)
    # 一般 15 至 25 人参加: seven people are too few, and the secretary is told so before anything is saved.
    few = invitees(town, NANCHANG, NANCHANG.parties[3:8])
    error = plan_refused(town, NANCHANG, topic, few, "too_few")
    assert "幸福圆桌会至少 15 人参加" in error["message"]
    meeting = plan(town, NANCHANG, topic)
    assert len(meeting["participants"]) == 15 and meeting["template_code"] == "nanchang-round-table"
    resolution = hold(town, NANCHANG, topic, meeting)
    matter = Matter(demand=demand, topic=topic, meeting=meeting, resolution=resolution)
    publicise(town, matter)
    # 项目实施: the street gives it to its enforcement team, who return it — a refuse room is the estate's to
    # build — and the street reassigns it to the community.
    task = assign(town, "street_official", matter, "handler", title="东门垃圾收集点迁移及密闭式垃圾房建设",
                  subject_kind="unit", organization=town.world.organizations["agency"].pk, supervisor="street_official")
    give_back(town, "handler", "street_official", task, "垃圾房建设属小区公共设施改造，不属城管执法队职责，请交社区组织物业实施")
    task = reassign(town, "street_official", task, "community_staff", "改由社区组织物业实施")
    assert task["id"] not in [t["id"] for t in town["handler"].items("/tasks", mine=True)]
    work(town, "community_staff", task)
    supervise(town, matter, "新垃圾房已建成投用，原收集点已清理。")  # 监督执行
    close(town, "street_official", task)
    round_ = evaluation_opens(town, matter)
    rate(town, "resident", round_, "basic", "味道小多了，希望清运再勤一点")
    assert evaluation_ends(town, round_)["reopened"] is False
    resident_follows(town, demand, "提交诉求", "转为议题")
    dossier = archive(town, matter, STAGES)
    handling = recorded(dossier, "handle")
    assert any("退回" in line for line in handling) and any("重新交办" in line for line in handling)
