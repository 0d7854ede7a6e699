"""Hot spots in a real browser at 360 px: a resident taps the plan on the demand form (and nudges the marker with
the arrow keys) and the point is stored as the demand's location; community staff see it on the hot-spot page
and open it; anyone reads the public statistics. Screenshots: var/screenshots/hotspots-*.png."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page

from yishiting.demands.models import Category, Demand
from yishiting.oversight.tests.plans import at_pixel, make_plan
from yishiting.oversight.tests.test_public import file

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}


def test_a_resident_taps_the_plan_and_staff_see_the_point(world, live_server, settings, tmp_path, new_demand):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_plan(world)
    new_demand("grid_worker", text="小区东门路灯坏了，晚上很黑，希望尽快修好", area=world.areas["G1"], **at_pixel(700, 100))
    base = live_server.url

    def resident(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/new/")
        page.fill("textarea[name=text]", "3栋门口的台阶裂了，老人走路容易绊倒")
        page.click("text=在平面图上点选位置")
        image = page.locator(".plan-figure:not([hidden]) img")
        image.wait_for()
        for _ in range(50):
            if page.evaluate("() => document.querySelector('.plan-figure:not([hidden]) img').complete"):
                break
            page.wait_for_timeout(100)
        box = image.bounding_box()
        assert box["width"] <= 360
        image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.25})  # pixel (200, 150)
        lat, lng = float(page.input_value("[name=latitude]")), float(page.input_value("[name=longitude]"))
        assert abs(lat - 30.2585) < 0.00002 and abs(lng - 120.102) < 0.00002
        assert "已在平面图上选定位置" in page.inner_text("[data-plan-status]")
        page.focus(".plan-figure:not([hidden]) .plan-frame")
        page.keyboard.press("ArrowRight")  # one step = 800 / 50 = 16 px east
        assert abs(float(page.input_value("[name=longitude]")) - 120.10216) < 0.00002
        page.locator(".plan-picker").scroll_into_view_if_needed()
        shot(page, "hotspots-01-demand-form-plan-360", full_page=False)
        with page.expect_navigation():
            page.click("button[type=submit] >> text=提交诉求")

    assert in_browser(resident, NARROW) == []
    demand = Demand.objects.latest("pk")
    assert abs(float(demand.latitude) - 30.2585) < 0.00002 and abs(float(demand.longitude) - 120.10216) < 0.00002

    def staff(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/oversight/hotspots/")
        assert page.locator(".hotspot-point").count() == 2
        shot(page, "hotspots-02-staff-360")
        with page.expect_navigation():
            page.locator(f'.hotspot-point[href="/demands/{demand.pk}/"] circle').click(force=True)
        assert page.url.endswith(f"/demands/{demand.pk}/")

    assert in_browser(staff, NARROW) == []


def test_anyone_reads_the_public_statistics_at_phone_width(world, live_server):
    env, safety = Category.objects.order_by("pk")[:2]
    today = date.today().replace(day=1)
    file(world, "resident", "B1", 7, env, today)
    file(world, "resident", "B1", 2, safety, today)
    file(world, "resident2", "B2", 6, env, today)

    def scenario(page: Page) -> None:
        page.goto(f"{live_server.url}/login/")
        with page.expect_navigation():
            page.click("text=公开统计")
        page.select_option("[name=area]", str(world.areas["D"].pk))
        with page.expect_navigation():
            page.click("button >> text=查看")
        assert "<5" in page.inner_text(".stats-table >> nth=0")
        assert "统计截至" in page.inner_text(".as-of")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "hotspots-03-public-stats-360")

    assert in_browser(scenario, NARROW) == []
