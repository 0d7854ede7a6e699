"""At 360 px in a real browser: a volunteer whose rated service earned points and hours sees them, redeems an
item in the 积分超市 and reads the pickup code; the community's staff type the code and confirm the handover;
nothing is wider than the phone. Screenshots: var/screenshots/ledgers-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from yishiting.ledgers.models import Item
from yishiting.ledgers.processor import process_events
from yishiting.ledgers.tests.conftest import earned, service_rule

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


NARROW = {"width": 360, "height": 740}
WIDEST = """[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 360)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5)"""


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, page.evaluate(WIDEST)  # nothing wider than the phone


def test_points_redeem_and_pickup_at_360(world, live_server):
    service_rule(award_roles=["community_staff"])
    Item.objects.create(community=world.areas["C1"], name="洗衣液一瓶", price=10, stock=3, description="社区爱心超市提供")
    process_events([earned(world, hours="1.5").pk, earned(world).pk])
    base, codes = live_server.url, []

    def resident(page: Page) -> None:
        page.set_default_timeout(60_000)  # a shared CI machine under load: the first page may be slow
        sign_in(page, base, "resident")
        page.goto(f"{base}/points/")
        assert "20" in page.locator(".big-number").inner_text()
        shot(page, "ledgers-01-points")
        _fits(page)
        page.goto(f"{base}/points/market/")
        with page.expect_navigation():
            page.click("button >> text=兑换")
        main = page.locator("main").inner_text()
        codes.append(re.search(r"领取码\s*(\d{8})", main).group(1))
        shot(page, "ledgers-02-market")
        _fits(page)
        page.goto(f"{base}/points/timebank/")
        assert "3.50" in page.locator(".big-number").inner_text()
        shot(page, "ledgers-03-timebank")
        _fits(page)

    def staff(page: Page) -> None:
        page.set_default_timeout(60_000)
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/points/staff/")
        page.fill("input[name=code]", codes[0])
        with page.expect_navigation():
            page.click("button >> text=确认领取")
        assert "已核销：洗衣液一瓶" in page.locator("main").inner_text()
        shot(page, "ledgers-04-staff")
        _fits(page)

    assert in_browser(resident, viewport=NARROW) == []
    assert in_browser(staff, viewport=NARROW) == []
