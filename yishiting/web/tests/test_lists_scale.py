"""The topic index and the 三张清单 at any volume (issue 18): the same number of queries with a few rows and
with pages of them, a pager that goes forward and back without counting the whole list, and filters and
search that still narrow it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from yishiting.deliberation.models import Topic
from yishiting.demands.models import Demand

from .test_demands_pages import body, make_topic


def many_topics(world, n: int, *, title: str = "议题") -> None:
    """`n` topics at 幸福苑社区, newest last (test data: the index only reads them)."""
    c1, now = world.areas["C1"], timezone.now()
    Topic.objects.bulk_create([Topic(title=f"{title}{i:03d}", level_area=c1, path=c1.path, demand_count=i % 3,
                                     created_at=now) for i in range(n)])


def many_demands(demand: Demand, n: int) -> None:
    """`n` copies of a submitted demand under new numbers (test data for the lists: they only read them)."""
    copies = []
    for i in range(n):
        demand.pk, demand.number = None, f"T{i:05d}"
        copies.append(Demand(**{f.attname: getattr(demand, f.attname) for f in Demand._meta.concrete_fields}))
    Demand.objects.bulk_create(copies)


def link(page: str, rel: str) -> str:
    """The pager's 上一页 (prev) or 下一页 (next) address, as the browser would follow it ("" when absent)."""
    found = re.search(rf'rel="{rel}" href="([^"]*)"', page)
    return found.group(1).replace("&amp;", "&") if found else ""


def pager_text(page: str) -> str:
    found = re.search(r'<span class="pagination-info">(.*?)</span>', page)
    return found.group(1) if found else ""


@pytest.mark.parametrize("n", [3, 70])
# Budgets include one query for the contact-point grant (liaison: the communities a leader is linked to today),
# which each process then keeps for the day; the rest is the page's own.
def test_the_topic_index_costs_the_same_queries_at_any_size(world, as_persona, n, django_assert_max_num_queries):
    many_topics(world, n)
    client = as_persona("street_official")
    # session, user, roles and the header's person and roles (kept per process, read here on a first page), the
    # page's ids, its rows, a count of at most 1,001 rows; no session write (renewed once a minute): any size
    with django_assert_max_num_queries(9):
        page = body(client.get("/topics/"))
    with django_assert_max_num_queries(9):
        body(client.get("/topics/?page=2"))
    assert "议题" in page


def test_the_topic_index_pages_forward_and_back_with_its_counts(world, as_persona):
    many_topics(world, 65)
    client = as_persona("community_staff")
    first = body(client.get("/topics/"))
    assert "第 1 / 3 页，共 65 条" in pager_text(first) and "下一页" in first and "上一页" not in first
    second = body(client.get("/topics/" + link(first, "next")))
    assert link(second, "next").startswith("?page=3&after=") and link(second, "prev") == "?"
    last = body(client.get("/topics/" + link(second, "next")))
    assert "下一页" not in last and "第 3 / 3 页，共 65 条" in pager_text(last)
    assert len(re.findall(r"议题(\d{3})", last)) == 5
    back = body(client.get("/topics/" + link(last, "prev")))  # by the first row's position, not by OFFSET
    assert "第 2 / 3 页" in pager_text(back) and re.findall(r"议题\d{3}", back) == re.findall(r"议题\d{3}", second)
    assert body(client.get("/topics/?page=2")).count("议题") == second.count("议题")  # a bookmark: by OFFSET
    seen = re.findall(r"议题\d{3}", first) + re.findall(r"议题\d{3}", second) + re.findall(r"议题\d{3}", last)
    assert len(set(seen)) == 65
    assert "关联诉求 2 件" in first  # the stored count, shown without counting demands
    beyond = as_persona("community_staff").get("/topics/?page=99")
    assert beyond.status_code == 200 and "没有符合条件的议题" in body(beyond) and "上一页" in body(beyond)
    assert as_persona("community_staff").get("/topics/?page=abc").status_code == 200


def test_the_topic_search_and_status_filter_keep_working_with_the_pager(world, as_persona):
    many_topics(world, 40, title="电梯")
    many_topics(world, 5, title="路灯")
    client = as_persona("community_staff")
    lamps = body(client.get("/topics/?q=路灯"))
    assert len(re.findall(r"路灯\d{3}", lamps)) == 5 and not re.findall(r"电梯\d{3}", lamps)
    assert "pagination-info" not in lamps  # one page: no pager
    lifts = body(client.get("/topics/?q=电梯&page=2"))
    assert link(lifts, "prev") == "?q=%E7%94%B5%E6%A2%AF" and "第 2 / 2 页，共 40 条" in lifts
    assert "没有符合条件的议题" in body(client.get("/topics/?status=dropped"))


@pytest.mark.parametrize("n", [2, 70])
def test_the_problem_list_costs_the_same_queries_at_any_size(world, as_persona, new_demand, n,
                                                             django_assert_max_num_queries):
    many_demands(new_demand(text="3栋电梯坏了两天"), n)
    for persona in ("community_staff", "street_official"):
        client = as_persona(persona)
        # 14: the menu's 成长档案 entry asks once whether the user is a cadre or a mentor (cached for 10 s after)
        with django_assert_max_num_queries(14):
            page = body(client.get("/lists/problem/"))
        assert f"T{n - 1:05d}" in page
        with django_assert_max_num_queries(13):
            client.get("/lists/problem/?page=2&status=pending")


def test_the_problem_list_pages_without_counting_past_the_cap(world, as_persona, new_demand, monkeypatch):
    from yishiting.common import paging

    many_demands(new_demand(text="3栋电梯坏了两天"), 64)
    client = as_persona("community_staff")
    first = body(client.get("/lists/problem/?status=pending"))
    assert "共 65 条" in first and "第 1 / 3 页，共 65 条" in pager_text(first)
    assert link(first, "next").startswith("?status=pending&page=2&after=")  # the filter stays on every page
    monkeypatch.setattr(paging, "COUNT_CAP", 50)  # a list longer than the cap: said so, never counted whole
    capped = body(client.get("/lists/problem/?status=pending"))
    assert "50 条以上" in capped and "第 1 页，共 50 条以上" in pager_text(capped)
    second = body(client.get("/lists/problem/" + link(capped, "next")))
    assert "第 2 页，共 60 条以上" in pager_text(second) and "上一页" in second and "下一页" in second
    last = body(client.get("/lists/problem/" + link(second, "next")))
    assert "第 3 / 3 页，共 65 条" in pager_text(last) and "下一页" not in last
    assert link(last, "prev").startswith("?status=pending&page=2&before=")
    assert client.get("/lists/problem/?after=junk&before=1_x&page=2").status_code == 200


def test_need_and_responsibility_lists_page_the_same_way(world, as_persona, new_demand,
                                                          django_assert_max_num_queries):
    make_topic(world, new_demand(text="3栋电梯坏了两天"))
    many_demands(Demand.objects.get(), 40)
    client = as_persona("community_staff")
    with django_assert_max_num_queries(20):
        page = body(client.get("/lists/responsibility/"))
    assert "3栋电梯维修" in page and "共 41 条" in page and "下一页" in page
    assert "没有符合条件的诉求" in body(client.get("/lists/need/"))
