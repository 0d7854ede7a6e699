"""The other lists an official pages through (tasks, notices, meetings, mediation cases, the screening inbox) at
any volume (issue 18): the same number of queries with a few rows and with pages of them, never a COUNT of the
whole list (past the cap the page says "以上"), and a pager that goes forward and back. Plus topic search, short
and long terms, and on PostgreSQL that it reads the indexes instead of every topic."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from yishiting.common import paging
from yishiting.deliberation.models import Meeting, Topic
from yishiting.deliberation.selectors.topics import topic_search
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.tasks_world import assign
from yishiting.mediation.tests.world import accepted_case, build

from .pages import main
from .test_lists_scale import link, pager_text
from .test_notice_pages import draft

pytestmark = pytest.mark.django_db


def copies(row, n: int, title_field: str = "title") -> None:
    """`n` copies of a stored row under new titles (test data: the lists only read them)."""
    model = type(row)
    made = []
    for i in range(n):
        values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
        values[title_field] = f"副本{i:03d}"
        made.append(model(**values))
    model.objects.bulk_create(made)


def task_rows(world, n: int) -> None:
    copies(assign(world), n)


def notice_rows(world, n: int) -> None:
    copies(draft(world), n)


def meeting_rows(world, n: int) -> None:
    copies(Meeting.objects.get(agenda__topic=evaluating_topic(world)), n)


def case_rows(world, n: int) -> None:
    build(world)
    copies(accepted_case(world), n)


LISTS = [  # (persona, address, rows, the most queries a page may take: the same at 3 rows and at 70)
    ("community_staff", "/tasks/", task_rows, 14),
    ("community_staff", "/notices/", notice_rows, 12),
    ("community_secretary", "/meetings/", meeting_rows, 12),
    ("community_staff", "/mediation/", case_rows, 14),
]


@pytest.mark.parametrize("persona, address, rows, budget", LISTS, ids=[a for _, a, _, _ in LISTS])
def test_a_list_costs_the_same_queries_with_3_rows_and_with_70(world, as_persona, persona, address, rows, budget,
                                                                django_assert_max_num_queries):
    rows(world, 70)
    client = as_persona(persona)
    client.get(address)  # warm: the header's per-process cache, the session's renewal
    with django_assert_max_num_queries(budget) as few:
        first = main(client.get(address))
    assert "副本069" in first or "副本000" in first
    with django_assert_max_num_queries(budget) as second:
        page2 = main(client.get(address + link(first, "next")))
    assert "第 2 / 3 页，共 71 条" in pager_text(page2) and link(page2, "prev")
    assert len(few) <= budget and len(second) <= budget


@pytest.mark.parametrize("persona, address, rows, budget", LISTS, ids=[a for _, a, _, _ in LISTS])
def test_a_long_list_is_never_counted_whole(world, as_persona, persona, address, rows, budget, monkeypatch,
                                            django_assert_max_num_queries):
    rows(world, 70)
    monkeypatch.setattr(paging, "COUNT_CAP", 40)  # a list longer than the cap: said so, not counted
    client = as_persona(persona)
    first = main(client.get(address))
    assert "第 1 页，共 40 条以上" in pager_text(first)
    third = main(client.get(address + link(main(client.get(address + link(first, "next"))), "next")))
    assert "第 3 / 3 页，共 71 条" in pager_text(third) and "下一页" not in third  # the end is its size
    assert client.get(address + "?page=abc&after=junk").status_code == 200


def test_the_task_and_case_totals_say_more_than_past_the_cap(world, as_persona, monkeypatch):
    task_rows(world, 50)
    case_rows(world, 50)
    monkeypatch.setattr(paging, "COUNT_CAP", 40)
    assert "40 项以上任务" in main(as_persona("community_staff").get("/tasks/"))
    assert "40 件以上" in main(as_persona("community_staff").get("/mediation/"))
    monkeypatch.setattr(paging, "COUNT_CAP", 1000)
    assert "共 51 项任务" in main(as_persona("community_staff").get("/tasks/"))


def test_meetings_and_notices_keep_their_per_row_counts(world, as_persona):
    meeting_rows(world, 2)
    page = main(as_persona("community_secretary").get("/meetings/"))
    assert page.count("议题 1 项") == 1 and page.count("议题 0 项") == 2  # the original holds the agenda


@pytest.mark.parametrize("n", [2, 70])
def test_the_screening_inbox_pages_without_counting_it_whole(world, as_persona, new_demand, n, monkeypatch,
                                                             django_assert_max_num_queries):
    copies(new_demand(text="3栋电梯坏了两天"), n, title_field="number")
    client = as_persona("community_staff")
    client.get("/demands/inbox/")
    with django_assert_max_num_queries(14):
        page = main(client.get("/demands/inbox/"))
    assert f"等本级筛选 <strong>{n + 1}</strong> 件" in page
    monkeypatch.setattr(paging, "COUNT_CAP", 40)
    from yishiting.web.views import screening

    monkeypatch.setattr(screening, "COUNT_CAP", 40)
    page = main(client.get("/demands/inbox/"))
    if n > 40:
        assert "等本级筛选 <strong>40+</strong> 件" in page and "第 1 页，共 40 条以上" in pager_text(page)
        assert "第 2 页" in pager_text(main(client.get("/demands/inbox/" + link(page, "next"))))


def topics(world, *titles: str, description: str = "") -> None:
    c1, now = world.areas["C1"], timezone.now()
    Topic.objects.bulk_create([Topic(title=t, description=description, level_area=c1, path=c1.path, created_at=now)
                               for t in titles])


def found(text: str) -> list[str]:
    return sorted(topic_search(Topic.objects.all(), text=text).values_list("title", flat=True))


def test_topic_search_finds_one_two_and_more_characters_in_title_and_description(world):
    topics(world, "3栋电梯维修", "路灯更换", "Lift ABC 改造")
    topics(world, "停车位划线", description="顺便修一下路灯")
    assert found("梯") == ["3栋电梯维修"]
    assert found("路灯") == ["停车位划线", "路灯更换"]  # the second holds it in its description
    assert found("电梯维修") == ["3栋电梯维修"] and found("梯维") == ["3栋电梯维修"]
    assert found("abc") == found("ABC") == ["Lift ABC 改造"] and found("c 改") == ["Lift ABC 改造"]
    assert found("%") == [] and found("灯修") == [] and found("划线路") == []  # not across title and description


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's (SQLite scans)")
def test_topic_search_reads_the_indexes_for_every_term_length(world):
    topics(world, "3栋电梯维修", "路灯更换")
    with connection.cursor() as cursor:
        # a few rows: else a scan is cheaper than any index (and a GIN index is read by bitmap scans only)
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
    for term, index in [("灯", "topic_short_grams"), ("路灯", "topic_short_grams"), ("电梯维修", "topic_title_trgm")]:
        plan = topic_search(Topic.objects.all(), text=term).explain()
        assert index in plan, (term, plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'deliberation_topic'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"topic_title_trgm", "topic_description_trgm", "topic_short_grams", "topic_newest_cover"} <= names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's (SQLite sorts)")
def test_the_screening_inbox_reads_its_order_from_the_index(world, new_demand):
    from yishiting.demands.selectors import screening_inbox

    new_demand(text="3栋电梯坏了两天")
    with connection.cursor() as cursor:  # a few rows: else sorting them is cheaper than any index
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off")
    for below in (False, True):
        plan = screening_inbox(world.users["community_staff"], below=below)[:31].explain()
        assert "demand_inbox_order_idx" in plan and "Sort" not in plan, plan
