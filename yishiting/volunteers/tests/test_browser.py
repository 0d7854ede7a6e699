"""A phone (360 px) in a real browser: the resident signs up on the activity page, the leader's check-in screen
shows the QR code and the list, the resident's record offers the certificate — with the site's CSP in force and
nothing logged to the console. Screenshots go to var/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.web.tests.test_browser import in_browser, shot, sign_in

from .conftest import build_vol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


def test_sign_up_and_the_check_in_screen_at_phone_width(world, live_server):
    v = build_vol(world)
    base, pk = live_server.url, v.activity.pk

    def resident(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/volunteers/")
        assert page.locator("text=剩 2 个名额").count() == 1
        shot(page, "volunteers-list-360")
        page.goto(f"{base}/volunteers/{pk}/")
        page.click("text=我要报名")
        page.wait_for_selector("text=我的报名：已报名")
        shot(page, "volunteers-activity-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    def leader(page: Page) -> None:
        sign_in(page, base, "leader")
        page.goto(f"{base}/volunteers/{pk}/checkin/")
        assert page.locator(".qr svg").count() == 1 and page.locator("text=张*").count() >= 1
        shot(page, "volunteers-checkin-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert in_browser(resident, viewport=PHONE) == []
    assert in_browser(leader, viewport=PHONE) == []
