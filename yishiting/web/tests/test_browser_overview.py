"""In a real browser: a street official opens the overview from his home page at 360 px, switches the period to
a quarter, drills a funnel figure down to its records; the district official reads the overview at desktop
width and the monthly reports. Screenshots: var/screenshots/overview-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.demands.choices import Outcome
from yishiting.handling.models import Task
from yishiting.handling.tests.tasks_world import assign, handling_topic
from yishiting.handling.tests.test_evaluation import close_task
from yishiting.handling.warnings import warnings_tick
from yishiting.oversight.services import report_generate
from yishiting.oversight.tests.test_overview import _screen, _submit

from .test_browser import DESKTOP, in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def _media(file_media):
    return file_media


def _history(world) -> None:
    """Demands in both streets, one become a topic, a task closed and one red-warned, a kept report."""
    _screen(world, _submit(world, "B1", "3栋楼道灯不亮，晚上看不见"), Outcome.TOPIC)
    for text in ("小区垃圾桶太少，经常满出来", "健身器材损坏，孩子容易受伤"):
        _submit(world, "B1", text)
    _submit(world, "B2", "和平里1栋门口堆放杂物")
    _submit(world, "B3", "湖滨花园路面破损，下雨积水")
    topic, resolution = handling_topic(world)
    close_task(world, assign(world, topic, resolution, title="更换楼道声控灯"))
    late = assign(world, topic, resolution, title="修复3栋单元门禁")
    today = timezone.localdate()
    Task.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=3))
    warnings_tick(today=today)
    report_generate(actor=None, area=world.areas["S1"], month=today)


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


def test_a_street_official_switches_the_period_and_drills_down_at_360(world, live_server):
    _history(world)
    base = live_server.url

    def scenario(page: Page) -> None:
        sign_in(page, base, "street_official")
        assert "东风街道统计总览" in page.locator("main").inner_text()
        with page.expect_navigation():
            page.click("main a.button >> text=统计总览")
        main = page.locator("main")
        assert "东风街道" in main.inner_text() and "西湖街道" not in main.inner_text()
        assert "修复3栋单元门禁" in main.inner_text() and "红色预警" in main.inner_text()
        assert "统计截至" in main.inner_text() and "复发事项" in main.inner_text()
        _fits(page)
        shot(page, "overview-01-street-360")
        late = page.locator("#pressing-table a >> text=修复3栋单元门禁").bounding_box()
        assert late["x"] > 100 and late["width"] > 100  # in the value column, not squeezed under the label
        page.emulate_media(media="print")  # the printed page states each rate's rule (a closed <details> does not)
        assert page.locator(".print-only >> text=期限内作出筛选决定的诉求").first.is_visible()
        page.emulate_media(media="screen")
        with page.expect_navigation():
            page.click("#recurrences-h >> xpath=../.. >> .stat-value a")  # 复发: the list for the same period
        assert "这一时期没有复发事项。" in page.locator("main").inner_text()
        page.go_back()
        quarter = timezone.localdate()
        label = f"{quarter.year}年第{(quarter.month - 1) // 3 + 1}季度"
        page.select_option("select[name=period]", label=label)
        with page.expect_navigation():
            page.click("button >> text=统计")
        assert label in page.locator("header.page-head").inner_text()
        with page.expect_navigation():
            page.click("#funnel-table a >> nth=0")  # 收集: the demands collected in the quarter
        records = page.locator("main").inner_text()
        assert "期间提交的诉求" in records and "张*" in records and "湖滨" not in records
        assert page.locator("#records-table tbody tr").count() == 4
        _fits(page)
        shot(page, "overview-02-records-360")

    assert in_browser(scenario, viewport=NARROW) == []


def test_the_district_official_reads_the_overview_and_reports_at_desktop_width(world, live_server):
    _history(world)
    base = live_server.url

    def scenario(page: Page) -> None:
        sign_in(page, base, "district_official")
        page.goto(f"{base}/overview/")
        main = page.locator("main").inner_text()
        assert "东风街道" in main and "西湖街道" in main
        assert page.locator("svg.chart").count() >= 3
        shot(page, "overview-03-district-1280")
        page.goto(f"{base}/reports/")
        assert "幸福区/东风街道" in page.locator("main").inner_text()
        shot(page, "overview-04-reports-1280")

    assert in_browser(scenario, viewport=DESKTOP) == []


@pytest.mark.parametrize(("persona", "viewport", "name"), [("district_official", NARROW, "overview-05-district-360"),
                                                         ("street_official", DESKTOP, "overview-06-street-1280")])
def test_the_overview_reads_at_both_widths(world, live_server, persona, viewport, name):
    _history(world)
    base = live_server.url

    def scenario(page: Page) -> None:
        sign_in(page, base, persona)
        page.goto(f"{base}/overview/")
        if viewport is NARROW:
            _fits(page)
        shot(page, name)

    assert in_browser(scenario, viewport=viewport) == []
