"""At 360 px in a real browser: a resident orders 上门量血压 from the menu, the community dispatches it, the 双报到
party member accepts and reports with a photo, the resident rates it and it shows on the showcase; the staff see
the unit's agreement and fill in the quarter's assessment. Screenshots: var/screenshots/participation-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.participation.tests.world import build_cast, photo

from .test_browser import SCREENSHOTS, in_browser, shot, sign_in

NARROW = {"width": 360, "height": 740}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits(page: Page) -> None:
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, (page.url, wide)  # nothing wider than the phone


def _main(page: Page) -> str:
    return page.locator("main").inner_text()


def test_order_dispatch_accept_report_rate_at_360(world, live_server, tmp_path):
    cast = build_cast(world)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    picture = tmp_path / "blood-pressure.jpg"
    picture.write_bytes(photo())

    def resident_orders(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/participation/")
        shot(page, "participation-01-home")
        _fits(page)
        with page.expect_navigation():
            page.click("text=上门量血压")
        page.fill("textarea[name=text]", "老人腿脚不便")
        shot(page, "participation-02-order")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=提交点单")
        assert "待派单" in _main(page)

    def staff_dispatches(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/participation/board/")
        shot(page, "participation-03-board")
        _fits(page)
        with page.expect_navigation():
            page.click("text=上门量血压")
        page.check("input[name=providers] >> nth=0")
        shot(page, "participation-04-dispatch")
        _fits(page)
        with page.expect_navigation():
            page.click("form button >> text=派单")
        assert "已派单" in _main(page)

    def member_serves(page: Page) -> None:
        sign_in(page, base, "member")
        page.goto(f"{base}/participation/inbox/")
        shot(page, "participation-05-inbox")
        _fits(page)
        with page.expect_navigation():
            page.click("text=上门量血压")
        with page.expect_navigation():
            page.click("button >> text=接单")
        page.fill("textarea[name=text]", "量了血压 130/85，嘱咐按时服药")
        page.fill("input[name=hours]", "1.5")
        page.set_input_files("input[name=photos]", str(picture))
        shot(page, "participation-06-report")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=提交反馈")
        assert "待确认" in _main(page)

    def resident_rates(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/participation/")
        with page.expect_navigation():
            page.click("text=上门量血压 >> nth=-1")
        page.check("input[name=stars][value='5']")
        with page.expect_navigation():
            page.click("button >> text=确认服务完成")
        shot(page, "participation-07-rated")
        assert "感谢您的评价" in _main(page)
        page.goto(f"{base}/participation/showcase/")
        shot(page, "participation-08-showcase")
        _fits(page)
        assert "党**" in _main(page) and "张三" not in _main(page)

    def staff_assesses(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/participation/units/{cast.unit.pk}/")
        shot(page, "participation-09-unit")
        _fits(page)
        page.goto(f"{base}/participation/assess/")
        page.check(f"#id_unit{cast.unit.pk}-grade_0")
        page.fill(f"#id_unit{cast.unit.pk}-reasons", "按协议开展义诊")
        with page.expect_navigation():
            page.click("form button >> text=保存 >> nth=0")
        shot(page, "participation-10-assess")
        _fits(page)
        assert "考核建议已保存" in _main(page)

    for scenario in (resident_orders, staff_dispatches, member_serves, resident_rates, staff_assesses):
        assert in_browser(scenario, NARROW) == []
