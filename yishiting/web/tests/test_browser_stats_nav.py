"""The 统计考评 menu at 360 px: the street official opens it from the top menu and moves between the oversight
pages by the row under it; neither row widens the page (each scrolls sideways by itself)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_oversight_pages_are_one_menu_away_at_360(world, live_server):
    base = live_server.url

    def official(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.click(".site-nav >> text=统计考评")
        page.wait_for_url(f"{base}/overview/")
        shot(page, "stats-nav-overview", full_page=False)
        sub = page.locator("nav.sub-nav")
        assert sub.is_visible() and sub.locator("a[aria-current=page]").inner_text() == "统计总览"
        sub.locator("text=热点分布").click()
        page.wait_for_url(f"{base}/oversight/hotspots/")
        shot(page, "stats-nav-hotspots", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert in_browser(official, viewport={"width": 360, "height": 780}) == []
