"""Nothing typed is lost, in a real browser at 360 px with the Content-Security-Policy in force: a resident fills
in a demand, goes idle past SESSION_IDLE_MINUTES (the browser drops the session cookie), submits, logs in again
and finds the form filled in; a page gone stale by a re-login in another tab gets the site's own page and the
form back. Screenshots: var/screenshots/drafts-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.common.testing import PERSONA_PASSWORD
from yishiting.demands.models import Demand
from yishiting.handling.tests.tasks_world import photo

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}
TEXT = "3栋东侧的路灯坏了一个星期，晚上回家很黑，老人容易摔倒"


def fill_demand(page: Page, base: str, area: int, tmp_path) -> dict:
    page.goto(f"{base}/demands/new/")
    page.fill("textarea[name=text]", TEXT)
    # The live suggestion (700 ms after typing) pre-selects a category the person has not chosen by hand, and
    # Playwright's select_option is not a trusted event (app.js): let it land first, then choose another.
    page.locator(".suggestion").wait_for()
    page.select_option("select[name=category]", index=2)
    page.select_option("select[name=area]", str(area))
    page.fill("input[name=address]", "3栋东侧路口")
    page.check("input[name=urgency][value=urgent]")
    page.check("input[name=anonymous]")
    picture = tmp_path / "路灯.jpg"
    picture.write_bytes(photo())
    page.set_input_files("input[name=photos]", str(picture))
    return {"category": page.input_value("select[name=category]")}


def drop_cookie(page: Page, name: str) -> None:
    """What the browser itself does when a cookie's max-age runs out (the session after the idle timeout)."""
    page.context.clear_cookies(name=name)


def assert_filled(page: Page, area: int, category: str) -> None:
    assert "已为您保留刚才填写的内容" in page.locator(".messages").inner_text()
    assert "照片需要重新选择" in page.locator(".messages").inner_text()
    assert page.input_value("textarea[name=text]") == TEXT
    assert page.input_value("select[name=category]") == category
    assert page.input_value("select[name=area]") == str(area)
    assert page.input_value("input[name=address]") == "3栋东侧路口"
    assert page.is_checked("input[name=urgency][value=urgent]") and page.is_checked("input[name=anonymous]")


def test_idle_timeout_then_login_brings_the_filled_form_back(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    base, area = live_server.url, world.areas["U1"].pk

    def scenario(page: Page) -> None:
        sign_in(page, base, "resident")
        chosen = fill_demand(page, base, area, tmp_path)
        drop_cookie(page, settings.SESSION_COOKIE_NAME)  # 30 idle minutes later
        page.click("button >> text=提交诉求")
        page.wait_for_url(f"{base}/login/?next=/demands/new/")
        assert "您刚才填写的内容已保留" in page.locator(".messages").inner_text()
        shot(page, "drafts-01-login-after-timeout")
        page.fill("input[name=username]", "resident")
        page.fill("input[name=password]", PERSONA_PASSWORD)
        page.click("form button[type=submit] >> text=登录")
        page.wait_for_url(f"{base}/demands/new/")
        assert_filled(page, area, chosen["category"])
        shot(page, "drafts-02-form-filled-again")
        page.click("button >> text=提交诉求")
        page.wait_for_selector("#demand-number")
        page.goto(f"{base}/demands/new/")
        assert page.input_value("textarea[name=text]") == ""  # saved: the draft is gone

    assert in_browser(scenario, viewport=NARROW) == []
    assert Demand.objects.get().text == TEXT


def test_a_stale_page_gets_the_sites_own_page_and_the_form_back(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    base, area = live_server.url, world.areas["U1"].pk
    def scenario(page: Page) -> None:
        sign_in(page, base, "resident")
        chosen = fill_demand(page, base, area, tmp_path)
        # A re-login in another tab renews the browser's CSRF secret; this tab's form still has the old token.
        page.context.add_cookies([{"name": settings.CSRF_COOKIE_NAME, "value": "x" * 32, "url": base}])
        page.click("button >> text=提交诉求")
        page.locator("h1 >> text=页面已过期").wait_for()
        body = page.locator("main").inner_text()
        assert "您刚才填写的内容已保留" in body and "DEBUG" not in page.content()
        background = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "")  # styled by the site's own stylesheet
        shot(page, "drafts-03-csrf-page")
        page.click("a >> text=回到表单")
        page.wait_for_url(f"{base}/demands/new/")
        assert_filled(page, area, chosen["category"])

    problems = in_browser(scenario, viewport=NARROW)
    # The 403 of the stale POST itself is the only expected "failure" the browser reports.
    assert [p for p in problems if "403" not in p] == []
    assert not Demand.objects.exists()


def test_the_browser_keeps_the_text_for_its_account_until_it_is_saved(world, live_server, settings, tmp_path):
    """The client-side safety net (static/web/autosave.js): a closed tab or a lost connection loses nothing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url

    def scenario(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/new/")
        page.fill("textarea[name=text]", TEXT)
        page.wait_for_timeout(700)  # the autosave waits for a pause in typing
        page.goto(f"{base}/demands/new/")  # the tab was closed, or the network dropped the submit
        assert page.input_value("textarea[name=text]") == TEXT
        assert "已恢复您在本机上次没有提交的内容" in page.locator(".messages").inner_text()
        page.locator(".suggestion").wait_for()  # the live suggestion runs for the restored text too
        shot(page, "drafts-04-restored-in-the-browser")
        page.click("button >> text=退出")
        page.wait_for_url(f"{base}/login/")
        sign_in(page, base, "resident2")  # someone else on the same phone
        page.goto(f"{base}/demands/new/")
        assert page.input_value("textarea[name=text]") == "" and page.locator(".messages").count() == 0
        page.click("button >> text=退出")
        page.wait_for_url(f"{base}/login/")
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/new/")
        assert page.input_value("textarea[name=text]") == TEXT
        page.locator(".suggestion").wait_for()
        page.click("button >> text=提交诉求")
        page.wait_for_selector("#demand-number")
        page.goto(f"{base}/demands/new/")
        assert page.input_value("textarea[name=text]") == ""  # saved: the browser forgot it

    assert in_browser(scenario, viewport=NARROW) == []
    assert Demand.objects.get().text == TEXT
