"""Intake and screening in a real browser at phone width (375 px), with the Content-Security-Policy in force:
a resident submits and sees the live suggestion, a grid worker enters a demand by keyboard alone (finding
幸福苑3栋 by typing `xfy3`), and community staff screen it. Screenshots: var/screenshots/demands-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.id")


def wait_focus(page: Page, name: str) -> None:
    page.wait_for_function("name => (document.activeElement.name || document.activeElement.id) === name", arg=name)


def test_resident_submits_worker_enters_by_keyboard_staff_screens(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    earlier = demand_submit(actor=world.users["resident"], submission=Submission(
        text="3号楼电梯上周就坏过一次，修了没几天又停了", area=world.areas["B1"]))

    def resident(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/new/?area={world.areas['B1'].pk}")  # what the building's QR poster opens
        page.fill("textarea[name=text]", "3栋电梯坏了两天，老人上下楼很困难，请尽快维修")
        page.locator(".suggestion").wait_for()
        assert "设施维护" in page.locator(".suggestion").inner_text()
        assert page.locator("select[name=category] option:checked").inner_text() == "设施维护"
        assert earlier.number in page.locator(".similar").inner_text()
        assert page.locator("[data-geolocate]").is_visible()
        assert not page.locator("button[name=preview]").is_visible()  # the no-JS preview is not needed
        shot(page, "demands-01-submit")
        page.click("button >> text=提交诉求")
        page.wait_for_selector("#demand-number")
        shot(page, "demands-02-done")
        page.goto(f"{base}/demands/mine/")
        shot(page, "demands-09-mine")

    def worker(page: Page) -> None:
        sign_in(page, base, "grid_worker")
        page.goto(f"{base}/demands/entry/")
        assert focused(page) == "area_q"
        page.keyboard.type("xfy3")
        page.locator('#area-results [data-term="xfy3"] .picker-option.is-checked').wait_for()
        assert "幸福苑3栋" in page.locator("#area-results").inner_text()
        shot(page, "demands-03-entry-picker")
        page.keyboard.press("Enter")  # takes the highlighted building and moves on
        wait_focus(page, "text")
        page.keyboard.type("楼道里有人给电瓶车充电，插线板拖了老长，很危险")
        for _ in range(5):  # category, channel, urgency, who reports, find the resident
            page.keyboard.press("Tab")
        assert focused(page) == "person_q"
        page.keyboard.type("13800000001")
        page.locator('#person-results [data-term="13800000001"] .picker-option.is-checked').wait_for()
        assert "张*" in page.locator("#person-results").inner_text()
        page.keyboard.press("Enter")
        wait_focus(page, "consent")
        page.keyboard.press("Space")
        shot(page, "demands-04-entry-filled")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("#last-number")
        assert focused(page) == "area_q" and page.input_value("textarea[name=text]") == ""
        shot(page, "demands-05-entry-saved")

    def staff(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/demands/inbox/")
        shot(page, "demands-06-inbox")
        page.click(f"text={entered.number}")
        page.wait_for_selector(".screen-form")
        assert not page.locator("[data-for-outcome=handling]").is_visible()
        page.check("input[name=outcome][value=topic]")
        assert page.locator("input[name=nature][value=public]").is_checked()  # goes with a topic
        assert page.locator("[data-for-outcome=topic]").is_visible()
        page.fill("input[name=topic_title]", "3栋楼道电瓶车充电整治")
        page.fill("textarea[name=reason]", "涉及整栋楼的消防安全，需全体住户协商")
        shot(page, "demands-07-screen")
        page.click(".screen-form button[type=submit]")
        page.wait_for_url(f"{base}/demands/inbox/")
        assert "已筛选" in page.locator(".messages").inner_text()
        page.goto(f"{base}/demands/{entered.pk}/")
        assert "将诉求转为议题“3栋楼道电瓶车充电整治”" in page.locator(".timeline").inner_text()
        shot(page, "demands-08-detail-timeline")
        page.goto(f"{base}/lists/responsibility/")
        assert entered.number in page.locator(".three-list").inner_text()
        shot(page, "demands-10-responsibility-list")

    assert in_browser(resident) == []
    submitted = Demand.objects.exclude(pk=earlier.pk).get(entered_by=world.users["resident"])
    assert submitted.category.name == "设施维护" and submitted.area == world.areas["B1"]
    assert in_browser(worker) == []
    entered = Demand.objects.get(entered_by=world.users["grid_worker"])
    assert entered.reporter == world.people["resident"] and entered.consent_recorded
    assert entered.area == world.areas["B1"] and entered.channel == "home_visit"
    def street(page: Page) -> None:
        """The street screens what communities escalate; ticking 含下级 shows what communities still hold."""
        sign_in(page, base, "street_official")
        page.goto(f"{base}/demands/inbox/")
        assert "等本级筛选 0 件" in page.locator(".page-head").inner_text()
        page.goto(f"{base}/demands/inbox/?below=on")
        assert "本级及下级" in page.locator(".page-head").inner_text()
        assert submitted.number in page.locator("table.inbox").inner_text()
        assert page.locator("input[name=below]").is_checked()
        shot(page, "demands-11-street-inbox-below")

    assert in_browser(staff) == []
    entered.refresh_from_db()
    assert entered.status == "topic" and entered.topic.title == "3栋楼道电瓶车充电整治"
    assert in_browser(street) == []
