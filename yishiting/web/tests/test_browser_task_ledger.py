"""The 任务台账 and the 三率 (KPI) page on a 375 px phone, in a real browser with the Content-Security-Policy in
force: a street official filters the task list, downloads the Excel of that filter, and sets the KPI filters
without the page scrolling sideways and with fingers-sized (≥ 44 px) controls; the desktop layout still holds.
Screenshots: var/screenshots/handling-tasks-375.png, handling-kpi-375.png (and -desktop)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from yishiting.handling.tests.tasks_world import ledger, ledger_rows

from .test_browser import DESKTOP, in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
SMALLEST_CONTROL = """sel => Math.min(...[...document.querySelectorAll(sel)]
    .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().height))"""


def _controls(page: Page, form: str) -> float:
    return page.evaluate(SMALLEST_CONTROL, f"{form} input:not([type=checkbox]), {form} select, {form} button, "
                                           f"{form} .button")


def test_task_ledger_and_kpis_on_a_phone(world, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    ledger(world)
    community = world.areas["C2"].pk
    downloaded: list[bytes] = []

    def tasks_on_the_phone(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/tasks/")
        assert "共 3 项任务" in page.locator("main").inner_text()
        page.click("summary >> text=筛选条件")
        page.select_option("select[name=area]", str(community))
        shot(page, "handling-tasks-filter-375")
        assert page.evaluate(FITS), "the task list scrolls sideways at 375 px"
        assert _controls(page, ".filter-form") >= 44
        page.click(".filter-form button[type=submit]")
        page.wait_for_url(f"{base}/tasks/?*area={community}*")
        assert "共 1 项任务" in page.locator("main").inner_text()
        assert page.evaluate(FITS)
        shot(page, "handling-tasks-375")
        with page.expect_download() as download:
            page.click("a >> text=导出 Excel")
        downloaded.append(Path(download.value.path()).read_bytes())
        assert download.value.suggested_filename.startswith("任务台账-")

    def kpis_on_the_phone(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/kpis/")
        shot(page, "handling-kpi-375")
        assert page.evaluate(FITS), "the KPI page scrolls sideways at 375 px"
        assert _controls(page, "form.kpi-form") >= 44
        page.click("form.kpi-form button[type=submit]")
        page.wait_for_url(f"{base}/kpis/?*")
        assert "按期办结率" in page.locator("main").inner_text()
        assert page.evaluate(FITS)
        shot(page, "handling-kpi-results-375")

    def kpis_on_the_desktop(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/kpis/")
        fields = page.locator("form.kpi-form .field")
        tops = {round(fields.nth(i).bounding_box()["y"]) for i in range(fields.count())}
        assert len(tops) == 1, "on a desktop the KPI filters sit on one line"
        shot(page, "handling-kpi-desktop")
        page.goto(f"{base}/tasks/")
        shot(page, "handling-tasks-desktop")

    assert in_browser(tasks_on_the_phone) == []
    assert list(ledger_rows(downloaded[0])) == ["和平里1栋外墙修补"]  # the filter shown, not the whole list
    assert in_browser(kpis_on_the_phone) == []
    assert in_browser(kpis_on_the_desktop, viewport=DESKTOP) == []
