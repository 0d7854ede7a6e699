"""At 360 px in a real browser, with the Content-Security-Policy in force: the resident opens their demand after
the matter was archived and sees every stage, and each link there opens; the handler finds the waiting task on
their home page and signs for it (签收); a street official finds this month's three rates on their home and
reaches the 三率 page from there. Screenshots: var/screenshots/follow-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.demands.choices import Outcome
from yishiting.demands.models import Demand
from yishiting.handling.models import Task
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.tasks_world import assign, handling_topic

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}
STAGES = ["征求意见", "协商会议", "形成决议", "结果公示", "落实办理", "办结", "群众评价", "归档"]


def test_the_resident_follows_the_archived_matter_and_the_handler_signs_for_a_task(world, live_server, tmp_path,
                                                                                   settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    topic = evaluating_topic(world)
    dossier_archive(actor=world.users["community_secretary"], topic=topic)
    Demand.objects.filter(topic=topic).update(outcome=Outcome.TOPIC)
    demand = Demand.objects.get(topic=topic)
    waiting_topic, resolution = handling_topic(world, title="幸福苑南门道闸维修")
    waiting = assign(world, waiting_topic, resolution, accepted=False, title="维修南门道闸")

    def resident(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/mine/")
        assert "议题已归档" in page.locator("main").inner_text()
        shot(page, "follow-01-mine")
        with page.expect_navigation():  # the reads below must see the demand's page, not the list still on screen
            page.click(f"text={demand.number}")
        steps = page.locator(".matter-steps")
        steps.locator(".matter-step-head strong").first.wait_for()
        assert [s.strip() for s in steps.locator(".matter-step-head strong").all_inner_texts()] == STAGES
        assert steps.locator(".matter-step-done").count() == len(STAGES)
        shot(page, "follow-02-demand")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
        hrefs = [a.get_attribute("href") for a in steps.locator("a").all()]
        assert len(hrefs) >= 4
        for i, href in enumerate(hrefs):
            response = page.goto(f"{base}{href}")
            assert response is not None and response.status == 200, href
            shot(page, f"follow-03-link-{i}")

    def handler(page: Page) -> None:
        sign_in(page, base, "handler")
        queue = page.locator("#task-queue")
        assert "维修南门道闸" in queue.inner_text() and "待签收" in queue.inner_text()
        shot(page, "follow-04-handler-home")
        queue.locator("a", has_text="维修南门道闸").click()
        page.wait_for_selector("text=签收后不能退回")
        shot(page, "follow-05-task-to-accept")
        page.click("button >> text=签收")
        page.wait_for_selector("text=已签收，请按期办理")
        assert page.locator("form#report").is_visible()
        shot(page, "follow-06-task-accepted")

    def official(page: Page) -> None:
        sign_in(page, base, "street_official")
        main = page.locator("main").inner_text()
        assert "按期办结率" in main and "满意率" in main
        shot(page, "follow-07-official-home")
        with page.expect_navigation():
            page.click("a >> text=三率统计")
        assert "/kpis/" in page.url, page.url
        assert "按期办结率" in page.locator("main").inner_text()

    assert in_browser(resident, viewport=NARROW) == []
    assert in_browser(handler, viewport=NARROW) == []
    assert in_browser(official, viewport=NARROW) == []
    assert Task.objects.get(pk=waiting.pk).accepted_at is not None
