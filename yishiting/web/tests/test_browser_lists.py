"""The topic index and 问题清单 at phone width (360 px) with more rows than a page: search / filter, go forward
and back with the pager, the counts as the page words them. Community staff and a street official.
Screenshots: var/screenshots/lists-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.demands.services import Submission, demand_submit

from .test_browser import in_browser, shot, sign_in
from .test_lists_scale import many_demands, many_topics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_topic_index_and_problem_list_page_at_phone_width(world, live_server):
    base = live_server.url
    many_topics(world, 35, title="幸福苑议题")
    many_topics(world, 3, title="路灯更换")
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="3栋电梯坏了两天，老人上下楼很困难", area=world.areas["B1"]))
    many_demands(demand, 40)

    def walk(persona: str):
        def scenario(page: Page) -> None:
            sign_in(page, base, persona)
            page.goto(f"{base}/topics/")
            assert "第 1 / 2 页，共 38 条" in page.locator(".pagination-info").inner_text()
            shot(page, f"lists-topics-{persona}")
            page.click(".pagination >> text=下一页")
            page.wait_for_url("**/topics/?page=2&after=*")
            assert "第 2 / 2 页" in page.locator(".pagination-info").inner_text()
            page.click(".pagination >> text=上一页")
            page.wait_for_url(f"{base}/topics/?")
            assert "第 1 / 2 页" in page.locator(".pagination-info").inner_text()
            page.fill("input[name=q]", "路灯")
            page.click("button >> text=筛选")
            page.wait_for_url("**/topics/?q=*")
            assert page.locator(".topic-cards li").count() == 3
            page.goto(f"{base}/lists/problem/")
            assert "共 41 条" in page.locator(".toolbar").inner_text()
            shot(page, f"lists-problem-{persona}")
            page.click(".pagination >> text=下一页")
            page.wait_for_url("**/lists/problem/?page=2&after=*")
            assert page.locator("table.three-list tbody tr").count() == 11
            shot(page, f"lists-problem-{persona}-page2")
            page.click(".pagination >> text=上一页")
            page.wait_for_url(f"{base}/lists/problem/?")
            assert page.locator("table.three-list tbody tr").count() == 30
        return scenario

    for persona in ("community_staff", "street_official"):
        assert in_browser(walk(persona)) == []
