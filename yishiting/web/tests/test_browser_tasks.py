"""Tasks and supervision in a real browser at phone width, with the Content-Security-Policy in force: the
handler reports progress with a photo from the phone, staff see the warning colours, approve and verify, the
supervision page and the printable public progress. Screenshots: var/screenshots/tasks-*.png."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.handling.services.supervision import bulletin_post, supervision_record
from yishiting.handling.tests.tasks_world import assign, backdate, handling_topic, photo
from yishiting.handling.warnings import warnings_tick

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_task_pages_in_the_browser(world, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    topic, resolution = handling_topic(world)
    task = assign(world, topic, resolution, standard="3栋1–6层全部更换为声控LED灯，验收时逐层试亮。")
    late = backdate(assign(world, topic, resolution, title="清理3栋楼道杂物"), date(2026, 11, 2), date(2026, 11, 13))
    warnings_tick(today=timezone.localdate())
    image = tmp_path / "现场.jpg"
    image.write_bytes(photo(size=(640, 480)))

    def handler_reports(page: Page) -> None:
        sign_in(page, base, "handler")
        page.goto(f"{base}/tasks/mine/")
        shot(page, "tasks-01-mine")
        page.goto(f"{base}/tasks/{task.pk}/")
        page.fill("textarea[name=text]", "灯具已到货，今天完成1–3层")
        page.fill("input[name=percent]", "50")
        page.set_input_files("input[name=photos]", str(image))
        page.click("button >> text=提交进展")
        page.wait_for_selector("text=进展已报告")
        shot(page, "tasks-02-detail-reported")

    def staff_pages(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/tasks/")
        assert "提级督办" in page.locator("main").inner_text()
        shot(page, "tasks-03-staff-list")
        page.goto(f"{base}/topics/{topic.pk}/tasks/new/")
        shot(page, "tasks-04-assign")
        page.goto(f"{base}/topics/{topic.pk}/supervision/")
        shot(page, "tasks-05-supervision")
        page.goto(f"{base}/topics/{topic.pk}/progress/")
        shot(page, "tasks-06-progress")

    assert in_browser(handler_reports) == []
    supervision_record(actor=world.users["community_staff"], task=late, kind="handling", text="现场督促物业清理",
                       happened_on=timezone.localdate())
    bulletin_post(actor=world.users["community_staff"], topic=topic, text="灯具已到货，1–3层已更换。")
    assert in_browser(staff_pages) == []
