"""An owners' joint decision from the pages: staff open it on a topic, owners vote on their phones, a written
proxy and a paper ballot are entered, a unit that voted online cannot be entered again on paper, and the
result shows every figure (areas, counts, thresholds)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user
from yishiting.deliberation.models import Ballot, Vote
from yishiting.deliberation.services.topics import topic_propose

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(world):
    """Four flats in 幸福苑3栋 1单元, each with an owner (H1 is the resident persona's home)."""
    unit = world.areas["U1"]
    people = {}
    for number, size in [("201", "90.00"), ("202", "100.00")]:
        world.households[number] = areas.household_create(actor=None, unit=unit, number=number,
                                                          exclusive_area=Decimal(size))
    for key, name, mobile in [("H1", None, None), ("H2", "钱二", "13900000002"), ("201", "孙三", "13900000003"),
                              ("202", "李四妹", "13900000004")]:
        person = world.people["resident"] if name is None else areas.person_create(
            actor=None, name=name, mobile=mobile, household=world.households[key])
        areas.role_assign(actor=None, person=person, role=Role.OWNER, area=unit)
        people[key] = person
    make_user(world, "owner_h2", people["H2"])
    return people


def test_owners_vote_on_their_phones_with_a_proxy_and_a_paper_ballot(world, as_persona, owners):
    topic = topic_propose(actor=world.users["community_secretary"], title="3栋1单元加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    staff = as_persona("community_staff")
    opened = staff.post(f"/topics/{topic.pk}/owners-vote/", {"question": "是否同意1单元加装电梯", "matter": "rebuild",
                                                             "scope_area": world.areas["U1"].pk})
    assert opened.status_code == 302, main(opened)
    vote = Vote.objects.get()
    page = main(as_persona("resident").get(f"/votes/{vote.pk}/"))
    assert "1单元 101" in page and "（七）改建、重建" in page
    as_persona("resident").post(f"/votes/{vote.pk}/cast/", {"choice": "同意", "household_id": world.households["H1"].pk})
    as_persona("owner_h2").post(f"/votes/{vote.pk}/cast/", {"choice": "同意"})
    staff.post(f"/votes/{vote.pk}/proxies/", {"household": world.households["201"].pk, "grantor": owners["201"].pk,
                                              "holder": world.people["resident"].pk, "document": "委托书 2026-001"})
    proxied = main(as_persona("resident").get(f"/votes/{vote.pk}/"))
    assert "您已投票" in proxied
    twice = staff.post(f"/votes/{vote.pk}/paper/", {"household": world.households["H1"].pk, "choice": "反对"},
                       follow=True)
    assert "每户只计一票，不能重复投票" in main(twice) and Ballot.objects.count() == 2
    staff.post(f"/votes/{vote.pk}/paper/", {"household": world.households["202"].pk, "choice": "反对"})
    as_persona("resident").post(f"/votes/{vote.pk}/cast/", {"choice": "同意", "household_id": world.households["201"].pk})
    assert Ballot.objects.count() == 4
    staff.post(f"/votes/{vote.pk}/close/")
    result = main(as_persona("resident").get(f"/votes/{vote.pk}/"))
    # 3 of 4 owners and 299.75 of 399.75 ㎡ (74.98%) agree: 3/4 of the owners, a hair under 3/4 of the area → fails
    assert "表决未通过" in result and "399.75" in result and "299.75" in result


def _owners_vote(world, as_persona, scope: str = "B1") -> Vote:
    topic = topic_propose(actor=world.users["community_secretary"], title="3栋加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    as_persona("community_staff").post(f"/topics/{topic.pk}/owners-vote/", {
        "question": "是否同意加装电梯", "matter": "rebuild", "scope_area": world.areas[scope].pk})
    return Vote.objects.get()


def test_paper_ballots_and_proxies_find_households_and_people_by_typing(world, as_persona, owners):
    vote = _owners_vote(world, as_persona)
    staff = as_persona("community_staff")
    page = main(staff.get(f"/votes/{vote.pk}/"))
    for name in ("household", "grantor", "holder"):  # no <select> of every flat and everyone in the scope
        assert f'<select name="{name}"' not in page and f'name="{name}_q"' in page
    assert f'hx-get="/pick/household/?name=household&amp;vote={vote.pk}"' in page
    assert f'hx-get="/pick/proxy/?name=grantor&amp;vote={vote.pk}"' in page

    def pick(kind, name, term, client=staff):
        return client.get(f"/pick/{kind}/", {"name": name, "vote": vote.pk, f"{name}_q": term})

    by_room = pick("household", "household", "幸福苑3栋1单元202").content.decode()
    assert f'value="{world.households["202"].pk}"' in by_room and "幸福苑小区幸福苑3栋1单元 202" in by_room
    assert "100.00㎡" in by_room and "登记住户 李四妹" in by_room  # staff who may unmask: the owner in full
    assert f'value="{world.households["201"].pk}"' not in by_room
    assert f'value="{world.households["202"].pk}"' in pick("household", "household", "202").content.decode()
    by_owner = pick("household", "household", "孙三").content.decode()
    assert f'value="{world.households["201"].pk}"' in by_owner
    outside_scope = pick("household", "household", "湖滨花园2栋2单元301").content.decode()
    assert "没有找到" in outside_scope and "可输入楼栋单元和房号" in outside_scope  # H4 is not in the vote's scope
    holder = pick("proxy", "holder", "1单元101").content.decode()
    assert f'name="holder" value="{world.people["resident"].pk}"' in holder and "张三" in holder
    assert pick("household", "household", "202", as_persona("resident")).status_code == 403
    assert pick("proxy", "holder", "张三", as_persona("grid_worker")).status_code == 403

    outside = staff.post(f"/votes/{vote.pk}/paper/", {"household": world.households["H4"].pk, "choice": "反对"},
                         follow=True)
    assert "请选择户和纸质票上的选择" in main(outside) and not Ballot.objects.exists()
    staff.post(f"/votes/{vote.pk}/paper/", {"household": world.households["202"].pk, "choice": "反对"})
    assert Ballot.objects.get().household == world.households["202"]
    refused = staff.post(f"/votes/{vote.pk}/proxies/", {
        "household": world.households["201"].pk, "grantor": owners["201"].pk,
        "holder": world.people["resident3"].pk, "document": "委托书 2026-002"}, follow=True)
    assert "受托人须是表决范围内的人员" in main(refused)
