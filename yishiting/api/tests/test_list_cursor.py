"""问题清单 through the API by keyset (issue 18): `next_after` carries the last row's position and `after` reads on
from it through the index, so a deep page costs what the first does (OFFSET read and dropped every earlier row:
~260 ms at page 200 with a million demands). Newest first, ties at the same moment settled by id, every row once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.api import pagination
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit


def problems(world, n: int) -> list[int]:
    """A submitted 问题清单 demand and `n` - 1 copies, three to a moment (ties); their ids newest first."""
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="幸福苑3栋的电梯坏了两天，老人上下楼很困难，请尽快维修", area=world.areas["B1"]))
    start, copies = timezone.now() - timedelta(days=1), []
    for i in range(n - 1):
        values = {f.attname: getattr(demand, f.attname) for f in Demand._meta.concrete_fields if not f.primary_key}
        copies.append(Demand(**{**values, "number": f"K{i:05d}", "created_at": start + timedelta(seconds=i // 3)}))
    Demand.objects.bulk_create(copies)
    return list(Demand.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))


def walk(client, page_size: int) -> tuple[list[int], list[int]]:
    """Every page by next_after: the ids in order and the queries each page took."""
    ids, costs, after, number = [], [], None, 1
    while True:
        query = {"page": number, "page_size": page_size} | ({"after": after} if after else {})
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/lists/problem", **query).json()
        costs.append(len(queries))
        ids += [item["id"] for item in page["items"]]
        if not page["has_next"]:
            assert page["next_after"] == ""
            return ids, costs
        after, number = page["next_after"], number + 1


@pytest.mark.django_db
def test_paging_by_next_after_reads_every_row_once_newest_first(world, api_as):
    expected = problems(world, 40)
    client = api_as("community_staff")
    client.get("/categories")  # the token's first use stamps last_used_at: keep that write out of the counts
    ids, costs = walk(client, 7)
    assert ids == expected  # ties at one moment: by id, none twice, none lost
    by_offset = [i["id"] for p in range(1, 7) for i in client.get("/lists/problem", page=p, page_size=7).json()["items"]]
    assert by_offset == expected  # the same order as the page numbers give


@pytest.mark.django_db
def test_a_deep_page_costs_the_queries_of_the_second(world, api_as, monkeypatch):
    problems(world, 60)
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)  # past the cap: no count of the whole list
    client = api_as("community_staff")
    client.get("/categories")
    _, costs = walk(client, 5)
    assert len(costs) == 12 and max(costs[1:-1]) == min(costs[1:-1])  # page 2 and page 11 alike
    deep = client.get("/lists/problem", page=11, page_size=5).json()
    assert (deep["count"], deep["count_capped"], deep["has_next"]) == (55, True, True)


@pytest.mark.django_db
def test_filters_hold_across_cursor_pages_and_a_bad_cursor_is_422(world, api_as):
    problems(world, 12)
    client = api_as("community_staff")
    first = client.get("/lists/problem", status="pending", page_size=5).json()
    rest = client.get("/lists/problem", status="pending", page_size=5, page=2, after=first["next_after"]).json()
    assert {i["status"] for i in first["items"] + rest["items"]} == {"pending"}
    response = client.get("/lists/problem", after="abc")
    assert response.status_code == 422 and "after" in response.content.decode()
    assert client.get("/lists/problem", after="1_" + "9" * 30).status_code == 422
