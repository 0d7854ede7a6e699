"""Issue 15's smaller fixes in a real browser at 360 px (CSP in force, no script of ours needed): the notice plan
as rows of fields, the archive confirmation, the live vote panel before any count. Screenshots:
var/screenshots/small-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose
from yishiting.handling.models import Dossier, Notice
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.world import resolved_topic

from .test_browser import in_browser, shot, sign_in
from .test_meeting_pages import meeting_under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 740}


def test_notice_plan_rows_are_added_filled_and_checked_on_a_phone(world, live_server):
    base = live_server.url
    _, resolution = resolved_topic(world)

    def scenario(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/notices/new/?resolution={resolution.pk}")
        page.fill("input[name=plan-0-when]", "12月1日—12月5日")
        page.fill("input[name=plan-0-what]", "采购声控LED灯")
        page.fill("input[name=plan-0-who]", "物业 钱经理")
        page.click("button >> text=添加一项")
        page.wait_for_selector("text=第 3 项")
        assert page.input_value("input[name=plan-0-what]") == "采购声控LED灯"  # kept across the row button
        page.fill("input[name=plan-1-when]", "12月6日—12月20日")
        page.fill("input[name=plan-1-what]", "逐层更换并验收")
        shot(page, "small-01-notice-rows")
        page.click("button.button-primary >> text=保存草稿")
        page.wait_for_selector("text=第 2 项：请填写责任人。")
        assert page.input_value("input[name=plan-1-what]") == "逐层更换并验收"
        shot(page, "small-02-notice-rows-error")
        page.fill("input[name=plan-1-who]", "社区 孙书记")
        page.press("input[name=plan-1-who]", "Enter")  # Enter saves; it never removes a row
        page.wait_for_selector("text=公示草稿已保存")

    problems = in_browser(scenario, viewport=NARROW)
    assert [p for p in problems if "400" not in p] == []  # the form with an error answers 400 by design
    assert [item["what"] for item in Notice.objects.get().plan] == ["采购声控LED灯", "逐层更换并验收"]


def test_archiving_asks_first_and_says_what_is_sealed(world, live_server):
    base = live_server.url
    topic = evaluating_topic(world)

    def scenario(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/topics/{topic.pk}/")
        page.click("a >> text=归档…")
        page.wait_for_url(f"{base}/topics/{topic.pk}/archive/")
        assert "不能再作任何改动" in page.inner_text("main") and "诉求 1 件" in page.inner_text("main")
        shot(page, "small-03-archive-confirm")
        page.click("button >> text=确认归档并封存")
        page.wait_for_selector("text=已归档，档案号")
        shot(page, "small-04-archived-dossier")

    assert in_browser(scenario, viewport=NARROW) == []
    assert Dossier.objects.filter(topic=topic).exists()


def test_the_live_vote_panel_says_not_counted_yet(world, live_server, as_persona):
    base = live_server.url
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    venue = venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=world.areas["C1"], capacity=30)
    secretary = as_persona("community_secretary")
    meeting = meeting_under_way(world, secretary, topic, venue)
    opened = secretary.post(f"/meetings/{meeting.pk}/votes/", {"topic": topic.pk, "question": "是否同意更换楼道灯",
                                                               "method": "hands", "rule": "majority"})
    assert opened.status_code == 302

    def scenario(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/{meeting.pk}/run/")
        panel = page.locator(".vote-result").first
        assert "未计票" in panel.inner_text() and "未通过" not in panel.inner_text()
        panel.scroll_into_view_if_needed()
        shot(page, "small-05-vote-panel-not-counted")
        page.fill("input[name=count-0]", "3")
        page.click("button >> text=记录举手人数")
        page.wait_for_selector("text=计票中")
        assert "表决未通过" not in page.inner_text(".vote-result") and "同意 3 人" in page.inner_text(".vote-result")
        assert page.input_value("input[name=count-0]") == "3"  # the recorded count stays in its box
        shot(page, "small-06-vote-panel-counting")

    assert in_browser(scenario, viewport=NARROW) == []
