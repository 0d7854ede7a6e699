"""An elevator retrofit (加装电梯) for 幸福苑3栋 1单元, decided by its owners under Civil Code Art. 278 (七)
改建 — three quarters needed — through HTTP only, as the people involved live it.

The community secretary puts the topic up and opens the owners' vote on the unit. Five owners vote on their
phones (one of them against; one first tries a second time and is told the unit already voted); 赵 is away
and has signed a written proxy for his son, who votes for the unit; 钱 has no smartphone and hands in a
paper ballot, which the staff enter — and a second, online try for her unit is refused, so nothing is
counted twice; 孙 does not vote. The secretary closes the vote and everyone checks the result figure by
figure: areas, owners, thresholds, and one Chinese line per rule.
"""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import PERSONA_PASSWORD
from yishiting.deliberation.tests import votes_world as make

pytestmark = pytest.mark.django_db

UNITS = [("101", "89.50"), ("102", "120.25"), ("103", "100.00"), ("104", "95.30"), ("201", "110.45"),
         ("202", "88.88"), ("203", "102.00")]


class Person:
    """Someone using the API from their own device: logs in for a token, then sends JSON."""

    def __init__(self, username: str) -> None:
        self.client = Client()
        response = self.client.post("/api/v1/tokens", {"name": "手机", "username": username,
                                                       "password": PERSONA_PASSWORD}, content_type="application/json")
        assert response.status_code == 201, response.content.decode()
        self.headers = {"Authorization": f"Bearer {response.json()['secret']}"}

    def get(self, path: str) -> dict:
        response = self.client.get("/api/v1" + path, headers=self.headers)
        assert response.status_code == 200, response.content.decode()
        return response.json()

    def post(self, path: str, body: dict | None = None, expect: int = 201) -> dict:
        response = self.client.post("/api/v1" + path, body or {}, content_type="application/json",
                                    headers=self.headers)
        assert response.status_code == expect, response.content.decode()
        return response.json()


@pytest.fixture
def unit_one(world):
    """The seven flats of 1单元 and their owners (the register the community keeps; not part of the flow)."""
    homes = {"101": world.households["H1"], "102": world.households["H2"]}
    for number, size in UNITS[2:]:
        homes[number] = make.household(world.areas["U1"], number, size)
    areas.role_assign(actor=None, person=world.people["resident"], role=Role.OWNER, area=world.areas["U1"])
    owners = {"101": world.people["resident"]}
    for number, name in [("102", "李秀英"), ("103", "王建国"), ("104", "赵德明"), ("201", "钱桂芳"), ("202", "孙立"),
                         ("203", "周强")]:
        owners[number] = make.owner(world, homes[number], name, mobile=f"139000{number}00")
    son = areas.person_create(actor=None, name="赵小明", mobile="13700000104", household=homes["104"])
    areas.role_assign(actor=None, person=son, role=Role.RESIDENT, area=world.areas["U1"])
    make.make_user(world, "zhao_son", son)
    return homes, owners, son


def test_the_owners_of_one_unit_decide_on_an_elevator(world, unit_one):
    homes, owners, son = unit_one
    secretary = Person("community_secretary")
    topic = secretary.post("/topics", {"title": "幸福苑3栋1单元加装电梯", "level_area_id": world.areas["C1"].pk,
                                       "scope_area_id": world.areas["B1"].pk,
                                       "description": "1单元七户，老人上下楼困难，拟加装电梯，费用按楼层分摊。"})
    vote = secretary.post("/votes", {"topic_id": topic["id"], "question": "是否同意在1单元加装电梯",
                                     "method": "owners", "rule": "art278", "matter": "rebuild",
                                     "scope_area_id": world.areas["U1"].pk})
    assert vote["matter_label"] == "（七）改建、重建建筑物及其附属设施" and vote["options"] == ["同意", "反对", "弃权"]
    url = f"/votes/{vote['id']}"

    # 赵 signed a written proxy for his son before leaving; the staff record it.
    proxy = secretary.post(f"{url}/proxies", {"household_id": homes["104"].pk, "grantor_id": owners["104"].pk,
                                              "holder_id": son.pk, "document": "书面委托书（2026）第 104 号"})
    assert proxy["grantor"] == "赵**" and proxy["holder"] == "赵**"

    # Online: four owners for, one against; the son votes for his father's flat.
    phones = {n: Person(owners[n].user.username if n != "101" else "resident") for n in ("101", "102", "103", "203")}
    for number, choice in [("101", "同意"), ("102", "同意"), ("103", "同意"), ("203", "反对")]:
        assert phones[number].post(f"{url}/ballots", {"choice": choice})["household_id"] == homes[number].pk
    again = phones["102"].post(f"{url}/ballots", {"choice": "反对"}, expect=409)
    assert again["code"] == "already_voted" and "网上投票" in again["message"]
    by_proxy = Person("zhao_son").post(f"{url}/ballots", {"choice": "同意", "household_id": homes["104"].pk})
    assert by_proxy["proxy_id"] == proxy["id"]

    # 钱's paper ballot is entered by the staff; her online try afterwards is refused: one ballot per flat.
    paper = secretary.post(f"{url}/paper-ballots", {"choice": "同意", "household_id": homes["201"].pk})
    assert paper["channel"] == "paper"
    refused = Person(owners["201"].user.username).post(f"{url}/ballots", {"choice": "反对"}, expect=409)
    assert refused["code"] == "already_voted" and "纸质票" in refused["message"]

    # While open: the live count, and each owner sees their own ballot.
    assert secretary.get(url)["counts"] == {"同意": 5, "反对": 1, "弃权": 0}
    assert phones["203"].get(url)["my_ballot"]["choice"] == "反对"

    closed = secretary.post(f"{url}/close", expect=200)
    assert closed["status_label"] == "已结束"
    result = phones["101"].get(f"{url}/result")
    assert result["final"] is True
    r = result["result"]
    # Figure by figure (areas in ㎡, exact): 7 flats, 706.38㎡; 孙's 202 (88.88㎡) did not vote.
    assert (r["total_units"], r["total_owners"], r["total_area"]) == (7, 7, "706.38")
    assert (r["participating_units"], r["participating_owners"], r["participating_area"]) == (6, 6, "617.50")
    assert r["area"] == {"同意": "515.50", "反对": "102.00", "弃权": "0.00"}
    assert r["owners"] == {"同意": 5, "反对": 1, "弃权": 0}
    assert r["channels"] == {"online": 5, "paper": 1}
    assert r["thresholds"] == {"participation": {"fraction": "2/3", "decimal": "0.6667", "comparison": "≥"},
                               "approval": {"fraction": "3/4", "decimal": "0.7500", "comparison": "≥"}}
    assert r["shares"] == {"participation_area": "30875/35319", "participation_owners": "6/7",
                           "approval_area": "1031/1235", "approval_owners": "5/6"}  # exact fractions
    assert r["shares_decimal"]["participation_area"] == "0.874175"  # 617.50 / 706.38
    assert r["shares_decimal"]["approval_area"] == "0.834818"  # 515.50 / 617.50
    assert r["lines"] == [
        "参与表决专有部分面积 617.50㎡ / 总面积 706.38㎡ = 87.42% ≥ 2/3，达到",
        "参与表决业主 6 人 / 业主总人数 7 人 = 85.71% ≥ 2/3，达到",
        "同意的专有部分面积 515.50㎡ / 参与表决面积 617.50㎡ = 83.48% ≥ 3/4，达到",
        "同意的业主 5 人 / 参与表决业主 6 人 = 83.33% ≥ 3/4，达到",
        "表决通过。",
    ]
    assert r["participation_passed"] and r["approval_passed"] and r["passed"]
    # After the close nobody votes any more: 孙 tries too late.
    late = Person(owners["202"].user.username).post(f"{url}/ballots", {"choice": "同意"}, expect=409)
    assert late["code"] == "vote_closed"
