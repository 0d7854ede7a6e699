"""At 360 px in a real browser: a street official opens the 堡垒指数 ranking, switches to 先锋指数, opens one
index and follows a part down to the records it counted; the community secretary sees their own; a party member
opens their own 先锋指数 from the home page. Screenshots: var/screenshots/indices-*.png."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.oversight.indices.services import indices_compute
from yishiting.oversight.tests.party_world import party_world

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


NARROW = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


def test_ranking_derivation_and_own_index_at_360(world, live_server, file_media):
    party_world(world)
    indices_compute(period="month", on=timezone.localdate())
    base = live_server.url

    def official(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/oversight/indices/")
        main = page.locator("main")
        assert "中共幸福苑社区委员会" in main.inner_text() and "52.67" in main.inner_text()
        shot(page, "indices-01-ranking-street")
        _fits(page)
        page.select_option("select[name=kind]", "pioneer")
        with page.expect_navigation():
            page.click("button >> text=查看")
        assert "郑*" in main.inner_text() and "32.50" in main.inner_text()
        assert main.inner_text().index("32.50") < main.inner_text().index("5.00")  # highest first
        shot(page, "indices-02-ranking-members")
        _fits(page)
        with page.expect_navigation():
            page.click("text=郑*")
        assert "领办任务" in main.inner_text() and "12.50" in main.inner_text()
        shot(page, "indices-03-detail")
        _fits(page)
        with page.expect_navigation():
            page.click("a >> text=领办任务")
        assert "更换3栋楼道声控灯" in main.inner_text() and "计入" in main.inner_text()
        shot(page, "indices-04-records")
        _fits(page)

    def district(page: Page) -> None:
        sign_in(page, base, "district_official")
        page.goto(f"{base}/oversight/indices/")
        text = page.locator("main").inner_text()
        assert "中共幸福苑社区委员会" in text and "导出 Excel" in text
        shot(page, "indices-00-ranking-district")
        _fits(page)

    def secretary(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/oversight/indices/")
        text = page.locator("main").inner_text()
        assert "幸福苑小区党支部" in text and "中共和平里社区委员会" not in text  # the community's own branches
        shot(page, "indices-05-ranking-secretary")
        _fits(page)

    def member(page: Page) -> None:
        sign_in(page, base, "member")
        with page.expect_navigation():
            page.click("text=我的先锋指数")
        assert "5.00" in page.locator("main").inner_text()
        shot(page, "indices-06-mine")
        _fits(page)
        with page.expect_navigation():
            page.click("main table a")
        assert "反映民情" in page.locator("main").inner_text()
        shot(page, "indices-07-mine-detail")
        _fits(page)

    for scenario in (district, official, secretary, member):
        assert in_browser(scenario, NARROW) == []
