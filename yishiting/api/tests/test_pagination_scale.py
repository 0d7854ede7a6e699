"""API list pages never count a whole table (issue 18): the rows of the page plus one, and a COUNT of at most
COUNT_CAP + 1 rows; `count` is exact up to the cap, `count_capped` says when it is only a lower bound and
`has_next` whether to page on. The same queries at 5 topics and at 250."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.api import pagination
from yishiting.deliberation.models import Topic


def many_topics(world, n: int) -> None:
    c1, now = world.areas["C1"], timezone.now()
    Topic.objects.bulk_create([Topic(title=f"议题{i:03d}", level_area=c1, path=c1.path, created_at=now)
                               for i in range(n)])


@pytest.mark.parametrize("n", [5, 250])
def test_a_topic_page_costs_the_same_queries_at_any_size(world, api_as, n):
    many_topics(world, n)
    client = api_as("street_official")
    client.get("/categories")  # the token's first use stamps last_used_at: keep that write out of the count
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/topics", page_size=2).json()
    assert len(queries) <= 5, [q["sql"] for q in queries.captured_queries]
    assert (page["count"], page["count_capped"], page["has_next"], len(page["items"])) == (n, False, True, 2)


def test_past_the_cap_the_count_is_a_lower_bound_and_paging_goes_on(world, api_as, monkeypatch):
    many_topics(world, 25)
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    client = api_as("community_staff")
    first = client.get("/topics", page_size=4).json()
    assert (first["count"], first["count_capped"], first["has_next"]) == (10, True, True)
    deep = client.get("/topics", page=4, page_size=4).json()  # past the cap: no COUNT at all
    assert (deep["count"], deep["count_capped"], deep["has_next"]) == (16, True, True)
    last = client.get("/topics", page=7, page_size=4).json()  # the last page knows the exact size
    assert (last["count"], last["count_capped"], last["has_next"], len(last["items"])) == (25, False, False, 1)
    seen = [t["title"] for p in range(1, 8) for t in client.get("/topics", page=p, page_size=4).json()["items"]]
    assert len(seen) == len(set(seen)) == 25
    beyond = client.get("/topics", page=9, page_size=4).json()
    assert (beyond["items"], beyond["has_next"]) == ([], False)


def test_the_openapi_says_what_count_means(world, api_as):
    schema = api_as(None).get("/openapi.json").json()["components"]["schemas"]["TopicOutPage"]
    assert set(schema["required"]) >= {"count", "items"}
    assert "count_capped" in schema["properties"] and "has_next" in schema["properties"]
    assert "下限" in schema["properties"]["count"]["description"]
