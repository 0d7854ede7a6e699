"""At 360 px in a real browser: a resident asks the 云律团, a lawyer of the field finds it in the inbox, takes it
and answers, the resident rates the answer; the pool's staff see the lawyer's record and the adviser coverage.
Screenshots: var/screenshots/legal-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.legal.models import Consultation, Expert
from yishiting.legal.tests.conftest import build_pool

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}
QUESTION = "楼上装修把我家卫生间天花板泡坏了，物业说不归他们管，我能找谁赔偿？"


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


def test_ask_answer_rate_at_360(world, live_server):
    pool = build_pool(world)
    base = live_server.url

    def resident_asks(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/legal/")
        shot(page, "legal-01-home")
        _fits(page)
        with page.expect_navigation():
            page.click("text=我要咨询")
        page.select_option("select[name=field]", label="物业纠纷")
        page.fill("textarea[name=text]", QUESTION)
        shot(page, "legal-02-ask")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=提交问题")
        assert "云律团律师将在" in page.locator("main").inner_text() and "待认领" in page.locator("main").inner_text()
        shot(page, "legal-03-asked")

    def lawyer_answers(page: Page) -> None:
        sign_in(page, base, "lawyer")
        page.goto(f"{base}/legal/inbox/")
        assert "楼上装修" in page.locator("main").inner_text()
        shot(page, "legal-04-inbox")
        _fits(page)
        with page.expect_navigation():
            page.click("text=楼上装修")
        assert "居民 张*（幸福苑社区）" in page.locator("main").inner_text()
        with page.expect_navigation():
            page.click("button >> text=认领并解答")
        page.fill("textarea[name=text]", "楼上住户应承担赔偿责任（民法典第一千一百六十五条）。请拍照留证，先与其协商。")
        shot(page, "legal-05-answering")
        with page.expect_navigation():
            page.click("button >> text=发送解答")
        assert "解答已发送给提问人" in page.locator("main").inner_text()
        _fits(page)

    def resident_rates(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/legal/{asked['pk']}/")
        assert "民法典第一千一百六十五条" in page.locator("main").inner_text()
        page.check("input[name=stars][value='5']")
        page.fill("input[name=comment]", "很及时，谢谢律师")
        shot(page, "legal-06-rate")
        with page.expect_navigation():
            page.click("button >> text=提交评价")
        assert "提问人评价：5 星" in page.locator("main").inner_text()
        shot(page, "legal-07-rated")
        _fits(page)

    def staff_sees_records(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/legal/experts/")
        assert "林律师" in page.locator("main").inner_text()
        shot(page, "legal-08-pool")
        _fits(page)
        page.goto(f"{base}/legal/experts/{pool.lawyer.pk}/")
        assert "解答 1 件" in page.locator("main").inner_text()
        shot(page, "legal-09-record")
        page.goto(f"{base}/legal/coverage/")
        assert "和平里社区" in page.locator("main").inner_text() and "未聘任" in page.locator("main").inner_text()
        shot(page, "legal-10-coverage")
        _fits(page)

    asked: dict[str, int] = {}
    for scenario in (resident_asks, lawyer_answers, resident_rates, staff_sees_records):
        problems = in_browser(scenario, viewport=NARROW)
        assert not problems, problems
        asked["pk"] = Consultation.objects.get().pk  # the ORM stays out of the browser's thread


def test_availability_at_360(world, live_server):
    """The lawyer marks themselves busy until a date from their inbox; the pool's manager sets an adviser away."""
    pool = build_pool(world)
    base = live_server.url
    until = (timezone.localdate() + timedelta(days=5)).isoformat()

    def lawyer_is_busy(page: Page) -> None:
        sign_in(page, base, "lawyer")
        page.goto(f"{base}/legal/inbox/")
        with page.expect_navigation():
            page.click("text=设置可约请状态")
        page.check("input[name=availability][value=busy]")
        page.fill("input[name=busy_until]", until)
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=保存状态")
        assert "可约请状态已更新：繁忙（至" in page.locator("main").inner_text()
        shot(page, "legal-11-availability")
        _fits(page)
        page.goto(f"{base}/legal/inbox/")
        assert "不接收新的咨询" in page.locator("main").inner_text()

    def manager_sets_away(page: Page) -> None:
        sign_in(page, base, "district_official")
        page.goto(f"{base}/legal/experts/{pool.adviser.pk}/")
        with page.expect_navigation():
            page.click("text=设置可约请状态")
        page.check("input[name=availability][value=away]")
        with page.expect_navigation():
            page.click("button >> text=保存状态")
        assert "暂停服务" in page.locator("main").inner_text()
        shot(page, "legal-12-availability-manager")
        _fits(page)

    for scenario in (lawyer_is_busy, manager_sets_away):
        problems = in_browser(scenario, viewport=NARROW)
        assert not problems, problems
    assert Expert.objects.get(pk=pool.lawyer.pk).availability == "busy"
    assert Expert.objects.get(pk=pool.adviser.pk).availability == "away"
