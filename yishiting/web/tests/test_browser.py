"""A real browser at phone width: sign in, see the home page, browse to an area, reveal a person — with the
site's Content-Security-Policy in force and nothing logged to the console. Screenshots go to var/screenshots/.

Playwright's sync API runs an asyncio loop in the thread that drives it. We drive it from a thread of its own:
the test's thread keeps Django's database connection (and its serialized-rollback state) untouched, and
reads the database only before and after the browser run.

Starting Playwright's driver and Chromium costs about two seconds a test on a busy machine, so each test process
(each pytest-xdist worker) starts them once, in one long-lived thread, and every `in_browser` call gets a fresh
browser context there: cookies, storage and cache never pass from one test to the next.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from yishiting.common.models import AuditEntry
from yishiting.common.testing import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _aborted_in_background(request) -> bool:
    """Chromium fetches the tab icon and lazy images (thumbnails, loaded as they come into view or before a
    screenshot) in the background, and htmx fetches suggestions as one types; the browser aborts such a fetch
    when the page navigates or closes first. On a busy machine that is a race, nothing a person sees (a real 404 or
    500 is still reported through "response", and an aborted page load still counts)."""
    if "ERR_ABORTED" not in (request.failure or ""):
        return False
    return request.url.endswith("/favicon.svg") or request.resource_type in ("xhr", "fetch", "image")


class _SharedChromium:
    """One Playwright driver and one Chromium for this process, driven from one thread that outlives the tests
    (Playwright's sync objects belong to the thread that made them). Started on first use, started again if
    Chromium went away, stopped at the end of the session (the root conftest.py calls `stop`)."""

    def __init__(self) -> None:
        self.pool: ThreadPoolExecutor | None = None
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def run(self, work: Callable[[Browser], list[str]], timeout: float) -> list[str]:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        return self.pool.submit(self._with_browser, work).result(timeout=timeout)

    def _with_browser(self, work: Callable[[Browser], list[str]]) -> list[str]:
        if self.browser is None or not self.browser.is_connected():
            if self.playwright is None:
                self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return work(self.browser)
        finally:
            if self.browser.is_connected():  # else the next call starts another Chromium
                for context in self.browser.contexts:  # any a scenario opened and left open (a second person)
                    context.close()

    def _close(self) -> None:
        if self.browser is not None and self.browser.is_connected():
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()
        self.browser = self.playwright = None

    def stop(self) -> None:
        if self.pool is None:
            return
        with contextlib.suppress(TimeoutError):  # a scenario still hangs (its test failed): the driver dies with us
            self.pool.submit(self._close).result(timeout=60)
        self.pool.shutdown(wait=False)
        self.pool = None


shared_chromium = _SharedChromium()


def in_browser(scenario: Callable[[Page], None], viewport: dict = PHONE) -> list[str]:
    """Run `scenario(page)` in a fresh context of this process's headless Chromium; return console
    errors/warnings, page errors (a CSP violation is reported as a console error) and failed requests. Assertion
    errors inside the scenario propagate."""

    def run(browser: Browser) -> list[str]:
        problems: list[str] = []
        context = browser.new_context(viewport=viewport, device_scale_factor=2, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("requestfailed", lambda request: None if _aborted_in_background(request) else problems.append(
            f"failed: {request.url}"))
        page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        scenario(page)
        return problems

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return shared_chromium.run(run, timeout=180)


LOAD_LAZY_IMAGES = """() => {
    const lazy = [...document.querySelectorAll('img[loading=lazy]')];
    lazy.forEach(img => { img.loading = 'eager'; });
    return Promise.all(lazy.map(img => img.complete ? null : new Promise(done => {
        img.addEventListener('load', done, {once: true});
        img.addEventListener('error', done, {once: true});
    })));
}"""


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    """A screenshot as a person scrolling the page would see it: the lazy photos (thumbnails) loaded first, which a
    full-page capture would otherwise show as empty boxes."""
    page.evaluate(LOAD_LAZY_IMAGES)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def sign_in(page: Page, base: str, username: str, screenshot: str = "") -> None:
    page.goto(f"{base}/login/")
    if screenshot:
        shot(page, screenshot)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("form button[type=submit] >> text=登录")
    page.wait_for_url(f"{base}/")


def test_community_staff_signs_in_browses_and_reveals(world, live_server):
    base = live_server.url
    community, resident = world.areas["C1"].pk, world.people["resident"].pk
    people_url = f"{base}/areas/{community}/people/"

    def scenario(page: Page) -> None:
        sign_in(page, base, "community_staff", screenshot="01-login")
        assert page.locator(".viewer-name").inner_text() == "钱社工"  # one's own name, in full
        assert "幸福苑社区" in page.locator(".area-card h3").inner_text()
        shot(page, "02-home-community-staff")

        page.click(".area-card >> text=浏览区域")
        page.wait_for_url(f"{base}/areas/{community}/")
        page.fill("input[name=q]", "xfy")
        page.click(".search-form button")
        page.wait_for_url(f"{base}/areas/{community}/?q=xfy")
        assert page.locator(".area-list").inner_text().count("幸福苑") >= 2
        shot(page, "03-area-search")

        page.goto(f"{base}/areas/{community}/")
        page.click("a.button >> text=人员名单")
        page.wait_for_url(people_url)
        row = page.locator(f"#person-{resident}")
        assert "张*" in row.inner_text() and "张三" not in page.content()
        shot(page, "04-people-masked")

        row.locator("button", has_text="查看完整信息").click()
        revealed = page.locator(f"#person-{resident}.person-revealed")
        revealed.wait_for()
        assert "张三" in revealed.inner_text() and "13800000001" in revealed.inner_text()
        assert page.url == people_url  # swapped in place by htmx, no page load
        shot(page, "05-people-revealed")

        page.emulate_media(media="print")
        shot(page, "06-people-print")

    problems = in_browser(scenario)
    assert problems == []  # no CSP violation, no script error, nothing failed to load
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK, outcome=AuditEntry.Outcome.SUCCESS,
                                     user=world.users["community_staff"], target=f"person:{resident}").count() == 1


def test_resident_signs_in_by_sms_and_switches_language(world, live_server, messages_outbox):
    base = live_server.url
    mobile = world.people["resident"].mobile

    def scenario(page: Page) -> None:
        page.goto(f"{base}/login/")
        page.click(".tabs >> text=短信验证码")
        page.fill("input[name=mobile]", mobile)
        page.click("button >> text=获取验证码")
        page.wait_for_selector("input[name=code]")
        shot(page, "07-sms-code")
        code = messages_outbox[-1].text.split("验证码是 ")[1][:6]
        page.fill("input[name=code]", code)
        page.click("form button[type=submit] >> text=登录")
        page.wait_for_url(f"{base}/")
        assert "我的住户与社区" in page.content() and "您好，张三" in page.content()
        assert "接口令牌" not in page.inner_text(".site-nav")  # a work tool: not offered to residents
        shot(page, "08-home-resident")
        refused = page.request.get(f"{base}/tokens/")  # typed in (with the session): the 403 page, a way home
        assert refused.status == 403 and "返回首页" in refused.text()
        page.goto(f"{base}/")
        page.select_option("#language-select", "en")  # app.js submits the switch on change
        page.wait_for_selector("text=My household and community")
        shot(page, "10-home-resident-english")

    assert in_browser(scenario) == []


def test_admin_home_and_lists_at_desktop_width(world, live_server):
    base = live_server.url
    community = world.areas["C1"].pk

    def scenario(page: Page) -> None:
        sign_in(page, base, "admin")
        assert "系统状态" in page.content()
        shot(page, "11-home-admin-desktop")
        page.goto(f"{base}/areas/{community}/people/")
        shot(page, "12-people-desktop")
        page.goto(f"{base}/areas/{community}/households/")
        shot(page, "13-households-desktop")
        page.goto(f"{base}/admin/areas/area/")
        assert "幸福苑社区" in page.content()
        shot(page, "14-admin-areas", full_page=False)

    assert in_browser(scenario, viewport=DESKTOP) == []
