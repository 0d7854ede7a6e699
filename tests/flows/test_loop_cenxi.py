"""岑溪 邻里议事会 (中心户提议、支部审议、支部及业委会联议、决议公开、结果公开), through HTTP only, as the
people involved live it.

张三 reports that the drain in front of 3栋 overflows every time it rains. The district's admin has set the
community on the 邻里议事会 template. 中心户提议: screening the demand into a new topic in 张三's name is
refused (he is no 党员中心户), so is the secretary's proposal without one; 3栋's 党员中心户 proposes it (a signed
written proposal) and the demand joins that topic. Its joint meeting (联议) must have the owners' committee at
the table — someone who belongs to the estate's 业主委员会, not merely a name labelled so: a plan without
it is refused, not merely warned about. With the owners' committee present the meeting resolves to dredge and
rebuild the drain. The resolution is made public, the community does the work — and at the first heavy rain
the door floods again: two of the three neighbours who rate are dissatisfied, which reopens the matter once
(重办). The outlet is fixed, the second round is satisfied and the matter is archived (结果公开).
"""

from __future__ import annotations

import pytest

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user

from .loop import (
    Locality,
    Matter,
    Town,
    adopt,
    archive,
    assign,
    close,
    collect,
    consult,
    decide,
    evaluation_ends,
    evaluation_opens,
    hold,
    invitees,
    open_topic,
    photo,
    plan,
    plan_refused,
    publicise,
    rate,
    recorded,
    register,
    resident_follows,
    supervise,
    work,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live server; keep the templates
# The dossier's eight sections 集定议公办督评备, headed with this locality's step names.
STAGES = "中心户提议 支部审议 支部及业委会联议 决议公开 落实办理 跟踪督办 结果公开 归档备案"


@pytest.fixture
def neighbours(world) -> None:
    """Two more residents of 1单元 with accounts (the register the community keeps; not part of the flow)."""
    for i, name in [(1, "覃美玲"), (2, "黎志坚")]:
        person = areas.person_create(actor=None, name=name, mobile=f"1377000010{i}", household=world.households["H2"])
        areas.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
        make_user(world, f"neighbour{i}", person)


CENXI = Locality(
    template="cenxi-linli", title="幸福苑3栋门前排水沟疏通改造", form="joint",
    demand="3栋门前的排水沟一下雨就冒水，积水淹到单元门口，出入很不方便",
    resolution="疏通3栋门前排水沟并加大管径，费用由公共收益列支，物业组织施工，20日内完成。",
    parties=["owners_committee", "resident", "property"],
    category="设施维护",
)


def central_household(town: Town) -> int:
    """3栋's 党员中心户, registered by the community and given the role (挂牌) by the admin."""
    person = town["community_staff"].post("/people", {"name": "覃桂芳", "mobile": "13770000201",
                                                      "area_id": town.area("B1")}, expect=201)
    town["admin"].post("/roles", {"person_id": person["id"], "role": "central_household", "area_id": town.area("B1")},
                       expect=201)
    return person["id"]


def committee_member(town: Town) -> int:
    """The estate's 业主委员会 and one of its members, as the community registers them."""
    committee = town["admin"].post("/organizations", {
        "kind": "owners_committee", "name": "幸福苑小区业主委员会", "area_id": town.area("G1")}, expect=201)
    person = town["community_staff"].post("/people", {"name": "黎业委", "mobile": "13770000202",
                                                      "area_id": town.area("G1")}, expect=201)
    town["admin"].post("/roles", {"person_id": person["id"], "role": "org_representative", "area_id": town.area("G1"),
                                  "organization_id": committee["id"], "title": "业委会主任"}, expect=201)
    return person["id"]


def merely_labelled(town: Town) -> int:
    """A neighbour registered with no role and no organisation: invited as 业委会, they hold nothing of it."""
    return town["community_staff"].post("/people", {"name": "黎国栋", "mobile": "13770000203",
                                                    "area_id": town.area("G1")}, expect=201)["id"]


def proposed_by_central_household(town: Town, demand: dict) -> dict:
    """中心户提议: a topic in a resident's name, or in nobody's, is refused and says who may propose."""
    adopt(town, CENXI)
    staff, secretary = town["community_staff"], town["community_secretary"]
    refused = staff.refused(f"/demands/{demand['id']}/screen", {
        "outcome": "topic", "nature": "public", "reason": "公共事务", "topic_title": CENXI.title}, 400,
        "proposer_role_missing")
    assert "须由党员中心户提议" in refused["message"] and "张三" in refused["message"]
    assert staff.get(f"/demands/{demand['id']}")["status_label"] == "待筛选"
    secretary.refused("/topics", {"title": CENXI.title, "level_area_id": town.area("C1")}, 400, "proposer_role_missing")
    topic = open_topic(town, CENXI, proposer_id=central_household(town), proposal_signed=True)
    why = secretary.get(f"/templates/topics/{topic['id']}")
    assert (why["template"]["name"], why["source"]["name"]) == ("邻里议事会", "幸福苑社区")
    return topic


def test_cenxi_neighbourhood_council_from_demand_to_archive(town, neighbours):
    demand = collect(town, CENXI)
    topic = decide(town, CENXI, demand, proposed_by_central_household(town, demand))
    assert topic["proposer"] == "覃**"
    consult(town, topic)
    # 支部及业委会联议: without the owners' committee the joint meeting cannot be called — neither with nobody
    # for it, nor with someone merely labelled 业委会 who does not belong to the committee.
    error = plan_refused(town, CENXI, topic, invitees(town, CENXI, ["property"]), "parties_missing")
    assert "业委会" in error["message"]
    labelled = [*invitees(town, CENXI, [p for p in CENXI.parties if p != "owners_committee"]),
                (merely_labelled(town), "owners_committee")]
    error = plan_refused(town, CENXI, topic, labelled, "organization_missing")
    assert "须有业主委员会的成员参加" in error["message"]
    assert "party_unverified" in [w["code"] for w in error["details"]["warnings"]]  # the label itself: a warning
    people = [(committee_member(town), "owners_committee"), (town.person("resident"), "resident"),
              *register(town, ["property"])]
    meeting = plan(town, CENXI, topic, people)
    assert "owners_committee" in [p["party"] for p in meeting["participants"]]
    resolution = hold(town, CENXI, topic, meeting)
    matter = Matter(demand=demand, topic=topic, meeting=meeting, resolution=resolution)
    publicise(town, matter)  # 决议公开
    task = assign(town, "community_secretary", matter, "community_staff", title="3栋门前排水沟疏通及扩径改造",
                  subject_kind="community", supervisor="community_secretary")
    work(town, "community_staff", task)
    supervise(town, matter, "排水沟已疏通并更换为大管径，已回填。")
    close(town, "community_secretary", task)
    # 结果公开 and the residents' verdict: the first heavy rain floods the door again; two of three dissatisfied
    # (67% > 30%, at least 3 ratings) reopens the matter once.
    first = evaluation_opens(town, matter)
    rate(town, "resident", first, "dissatisfied", "下大雨单元门口还是积水，出水口没有改")
    rate(town, "neighbour1", first, "dissatisfied", "雨水口太小，水排不下去")
    rate(town, "neighbour2", first, "basic")
    closed = evaluation_ends(town, first)
    assert closed["reopened"] is True and "不满意 2 人，占有效评价 3 人的 66.67%" in closed["reopen_reason"]
    redo(town, matter, task)
    # Round two: the drain holds; 重办 happens once, and this round archives.
    second = evaluation_opens(town, matter, number=2)
    for who in ("resident", "neighbour1", "neighbour2"):
        rate(town, who, second, "satisfied", "这次下雨不积水了" if who == "resident" else "")
    assert evaluation_ends(town, second)["reopened"] is False
    dossier = archive(town, matter, STAGES)
    assert any("重办" in line for line in recorded(dossier, "handle"))
    assert sum(line.startswith("群众评价结束") for line in recorded(dossier, "evaluate")) == 2
    resident_follows(town, demand, "提交诉求", "转为议题")


def redo(town: Town, matter: Matter, task: dict) -> None:
    """重办: the matter is back in handling, the handler is told why and finds the task open again; they fix
    the outlet, report with a photo and the task is verified once more."""
    staff, url = town["community_staff"], f"/tasks/{task['id']}"
    assert town["resident"].get(f"/topics/{matter.topic['id']}")["status_label"] == "办理中"
    assert any("须重办" in m and task["title"][:20] in m for m in staff.messages())
    assert staff.get(url)["status_label"] == "办理中"
    staff.upload(f"{url}/reports/multipart", {"text": "加大雨水口并新增出水口一处，已试水", "percent": "100"},
                 [("photos", photo(30))])
    assert staff.upload(f"{url}/submit", {"evidence": "重办完成：雨水口扩大，新增出水口，试水无积水"},
                        [("files", photo(220))], expect=200)["status_label"] == "待核验销号"
    close(town, "community_secretary", task)
