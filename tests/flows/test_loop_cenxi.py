"""岑溪 邻里议事会 (中心户提议、支部审议、支部及业委会联议、决议公开、结果公开), through HTTP only, as the
people involved live it.

张三 reports that the drain in front of 3栋 overflows every time it rains. The branch opens the topic on the
邻里议事会 template; its joint meeting (联议) must have the owners' committee at the table: a plan without
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
    photo,
    plan,
    plan_refused,
    publicise,
    rate,
    recorded,
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


def test_cenxi_neighbourhood_council_from_demand_to_archive(town, neighbours):
    demand = collect(town, CENXI)
    topic = decide(town, CENXI, demand)
    consult(town, topic)
    # 支部及业委会联议: without the owners' committee the joint meeting cannot be called.
    error = plan_refused(town, CENXI, topic, invitees(town, CENXI, ["property"]), "parties_missing")
    assert "业委会" in error["message"]
    meeting = plan(town, CENXI, topic)
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
