"""The ledger pages as their readers meet them: each statement line says what earned it and links to the record
the reader may open (their own demand); staff see residents masked; the lists cost the same number of queries
with 3 lines as with 40; a missing id is a 404, another community's item too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yishiting.common.events import event_append
from yishiting.demands.services import Submission, demand_submit
from yishiting.ledgers.choices import EarningKind
from yishiting.ledgers.models import Item
from yishiting.ledgers.processor import catch_up

from .conftest import earned, service_rule

pytestmark = pytest.mark.django_db


def _client(world, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _queries(client: Client, url: str) -> int:
    """The fewest queries of two readings after a warm-up (per-process caches with a TTL, session renewal at
    most once a minute: on a loaded machine one of them may expire between two requests)."""
    client.get(url)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    return min(counts)


def test_a_statement_line_names_what_earned_it_and_links_to_the_readers_own_demand(world):
    service_rule(name="建议被采纳", kind=EarningKind.SUGGESTION_ACCEPTED, points=5, min_rating=None,
                 deposits_hours=False)
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="小区东门的路灯坏了很久，晚上很黑", area=world.areas["B1"]))
    event_append(subject=demand, kind="demand.topic", payload={"outcome": "topic"})
    catch_up()
    page = _client(world, "resident").get("/points/").content.decode()
    assert "建议被采纳（诉求转为议题）" in page and f'href="/demands/{demand.pk}/"' in page and "+5" in page


def test_lists_cost_the_same_queries_with_more_lines(world, rule):
    for _ in range(3):
        earned(world)
    Item.objects.create(community=world.areas["C1"], name="洗衣液", price=20, stock=5)
    catch_up()
    client = _client(world, "resident")
    staff = _client(world, "community_secretary")
    before = {url: _queries(client, url) for url in ("/points/", "/points/market/", "/points/timebank/")}
    before_staff = _queries(staff, "/points/staff/")
    for _ in range(37):
        earned(world)
    for n in range(10):
        Item.objects.create(community=world.areas["C1"], name=f"物品{n}", price=20, stock=5)
    catch_up()
    # A second page adds one bounded count (common.paging: at most COUNT_CAP rows); from there on, no growth.
    two_pages = {url: _queries(client, url) for url in before}
    assert all(before[url] <= two_pages[url] <= before[url] + 1 for url in before)
    assert _queries(staff, "/points/staff/") == before_staff
    for _ in range(40):
        earned(world)
    catch_up()
    assert {url: _queries(client, url) for url in before} == two_pages


def test_missing_and_foreign_ids_are_404(world, rule):
    other = Item.objects.create(community=world.areas["C3"], name="湖滨的米", price=1, stock=5)
    client = _client(world, "resident")
    assert client.post(f"/points/market/{other.pk}/redeem/").status_code == 404
    assert client.post("/points/market/999999/redeem/").status_code == 404
    assert client.post("/points/redemptions/999999/cancel/").status_code == 404
    assert _client(world, "community_staff").post("/points/staff/nothing/").status_code == 404
    assert client.get("/points/?page=junk").status_code == 200


def test_staff_find_the_resident_by_name_with_the_picker_and_award_correct_and_pay_out_hours(world):
    """Staff no longer need the mobile: the picker finds 张三 by name (or mobile, or room) within their area;
    the award, the correction and the withdrawal name the resident masked; someone outside is refused."""
    from decimal import Decimal

    from yishiting.ledgers.models import Balance

    service_rule(name="志愿服务", award_roles=["community_staff"], min_rating=None)
    earned(world, hours="3")
    catch_up()
    staff, resident = _client(world, "community_staff"), world.people["resident"]
    form = staff.get("/points/staff/").content.decode()
    assert 'name="person_q"' in form and "居民手机号" not in form
    found = staff.get("/pick/ledger_person/", {"name": "person", "person_q": "张三"}).content.decode()
    assert f'value="{resident.pk}"' in found
    assert _client(world, "resident").get("/pick/ledger_person/", {"name": "person", "person_q": "张三"}) \
        .status_code == 403
    from yishiting.ledgers.models import PointRule

    rule = PointRule.objects.get(name="志愿服务")
    award = staff.post("/points/staff/award/", {"person": resident.pk, "rule": rule.pk, "reason": "组织楼道清理"},
                       follow=True).content.decode()
    assert "已为 张* 奖励 10 积分。" in award
    corrected = staff.post("/points/staff/correct/", {"person": resident.pk, "points": "-5", "reason": "重复奖励"},
                           follow=True).content.decode()
    assert "已为 张* 更正 -5 积分。" in corrected
    paid = staff.post("/points/staff/withdraw/", {"person": resident.pk, "hours": "1", "reason": "上门助浴"},
                      follow=True).content.decode()
    assert "已为 张* 登记支取 1 小时。" in paid
    balance = Balance.objects.get(person=resident)
    assert balance.points == 15 and balance.hours == Decimal("2.00")
    outside = staff.post("/points/staff/award/", {"person": world.people["resident3"].pk, "rule": rule.pk,
                                                  "reason": "x"})
    assert outside.status_code == 400 and "请查找并选择您负责区域内的居民。" in outside.content.decode()
    empty = staff.post("/points/staff/award/", {"rule": rule.pk, "reason": "x"})
    assert empty.status_code == 400 and "请查找并选择居民。" in empty.content.decode()
