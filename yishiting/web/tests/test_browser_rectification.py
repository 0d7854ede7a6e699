"""At 360 px in a real browser: the street official issues a 整改清单 to the street's agency, the agency's handler
acknowledges it and submits it done with a photo, the official accepts it; the district official reads the list
and the agency's rating with its derivation; the community secretary gives an annual evaluation.
Screenshots: var/screenshots/rectification-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.handling.tests.tasks_world import photo
from yishiting.oversight.models import RectificationList
from yishiting.oversight.tests.world import build

from .test_browser import SCREENSHOTS, in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


def _main(page: Page) -> str:
    return page.locator("main").inner_text()


def test_issue_work_accept_and_rate_at_360(world, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build(world)
    base, agency = live_server.url, w.organizations["agency"]
    picture = tmp_path / "现场.jpg"
    picture.write_bytes(photo())

    def official_issues(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/oversight/rectifications/new/")
        page.fill("input[name=title]", "背街小巷环境整治整改清单")
        page.select_option("select[name=target]", label="东风街道城管执法队")
        page.fill("textarea[name=item_1_description]", "东风路12号门前乱堆乱放，限期清理")
        page.fill("input[name=item_1_days]", "5")
        shot(page, "rectification-01-issue")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=下发")
        assert "整改清单已下发" in _main(page) and "待签收" in _main(page)
        shot(page, "rectification-02-issued")
        _fits(page)

    def handler_works(page: Page) -> None:
        sign_in(page, base, "handler")
        page.goto(f"{base}/oversight/rectifications/")
        assert "待本单位整改" in _main(page)
        shot(page, "rectification-03-handler-list")
        _fits(page)
        page.goto(f"{base}/oversight/rectifications/{made['pk']}/")
        with page.expect_navigation():
            page.click("button >> text=签收")
        page.fill("textarea[name=text]", "已全部清理，门前恢复整洁")
        page.set_input_files("input[name=photos]", str(picture))
        shot(page, "rectification-04-handler-submit")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=提交销号")
        assert "已提交销号" in _main(page) and "待验收" in _main(page)
        assert page.locator(".photo-grid img").count() == 1

    def official_accepts(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/oversight/rectifications/{made['pk']}/")
        with page.expect_navigation():
            page.click("button >> text=验收销号")
        assert "已验收销号" in _main(page)
        shot(page, "rectification-05-accepted")
        _fits(page)

    def district_views(page: Page) -> None:
        sign_in(page, base, "district_official")
        page.goto(f"{base}/oversight/rectifications/")
        assert "背街小巷环境整治整改清单" in _main(page)
        shot(page, "rectification-06-district-list")
        _fits(page)
        page.goto(f"{base}/oversight/ratings/")
        assert "东风街道城管执法队" in _main(page)
        shot(page, "rectification-07-ratings")
        _fits(page)
        page.goto(f"{base}/oversight/ratings/{agency.pk}/")
        assert "综合得分 100.0 分，等次 A" in _main(page) and "按期销号 1 项" in _main(page)
        shot(page, "rectification-08-rating-detail")
        _fits(page)

    def secretary_evaluates(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/oversight/ratings/evaluate/")
        page.select_option("select[name=organization]", label="幸福苑物业服务有限公司")
        page.fill("input[name=score]", "86")
        page.fill("textarea[name=comment]", "保洁及时，维修响应偏慢")
        with page.expect_navigation():
            page.click("button >> text=保存评议")
        assert "年度评议已保存" in _main(page) and "保洁及时" in _main(page)
        shot(page, "rectification-09-evaluate")
        _fits(page)

    made: dict[str, int] = {}
    for scenario in (official_issues, handler_works, official_accepts, district_views, secretary_evaluates):
        problems = in_browser(scenario, viewport=NARROW)
        assert not problems, problems
        if not made:
            made["pk"] = RectificationList.objects.get().pk
    assert (SCREENSHOTS / "rectification-08-rating-detail.png").exists()
