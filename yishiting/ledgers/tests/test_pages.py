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
