"""A resident who picks English with the footer's switch reads every page of reporting a problem in English, at
phone width; switching back gives the same pages in Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.demands.services import Submission, demand_submit

from .english import data_text, foreign_runs
from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 740}


TYPED = "3栋电梯坏了两天，老人上下楼很困难，请尽快维修"
DATA: list[str] = []  # what the database holds (names, places, texts people typed), read before the browser runs


def chinese_in(page: Page, selector: str) -> list[str]:
    """The Chinese the page shows in `selector` that is not data (english.foreign_runs)."""
    return foreign_runs(page.locator(selector).inner_text(), DATA[0] + "\n" + TYPED)


def test_a_resident_reports_a_problem_in_english_and_back_in_chinese(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    earlier = demand_submit(actor=world.users["resident"], submission=Submission(
        text="3号楼电梯上周就坏过一次，修了没几天又停了", area=world.areas["B1"]))
    DATA[:] = [data_text()]

    def scenario(page: Page) -> None:
        sign_in(page, base, "resident")
        page.select_option("#language-select", "en")  # the footer's switch submits itself
        page.wait_for_function("document.documentElement.lang === 'en'")
        assert "Report a problem" in page.locator("main").inner_text() and not chinese_in(page, "header")
        shot(page, "english-01-home")
        page.goto(f"{base}/demands/new/?area={world.areas['B1'].pk}")
        page.fill("textarea[name=text]", TYPED)
        page.locator(".suggestion").wait_for()
        assert chinese_in(page, "main") == [], chinese_in(page, "main")
        shot(page, "english-02-submit")
        page.click("button >> text=Submit demand")
        page.wait_for_selector("#demand-number")
        assert "We have received your demand" in page.locator("main").inner_text()
        assert chinese_in(page, "main") == [], chinese_in(page, "main")
        page.goto(f"{base}/demands/mine/")
        assert earlier.number in page.locator("main").inner_text() and chinese_in(page, "main") == []
        shot(page, "english-03-mine")
        page.goto(f"{base}/demands/{earlier.pk}/")
        assert f"Demand {earlier.number}" in page.locator("h1").inner_text()
        shot(page, "english-04-detail")
        page.select_option("#language-select", "zh-hans")
        page.wait_for_function("document.documentElement.lang === 'zh-hans'")
        assert f"诉求 {earlier.number}" in page.locator("h1").inner_text()
        shot(page, "english-05-detail-back-in-chinese")

    assert in_browser(scenario, NARROW) == []


def test_the_login_page_in_english_at_phone_width(world, live_server):
    base = live_server.url
    DATA[:] = [data_text()]

    def scenario(page: Page) -> None:
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
        page.goto(f"{base}/login/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert chinese_in(page, "body") == [], chinese_in(page, "body")
        shot(page, "english-00-login")

    assert in_browser(scenario, NARROW) == []


def test_the_photo_and_file_pickers_count_and_warn_in_english(world, live_server, settings, tmp_path):
    """app.js writes the pickers' counts and warnings from sentences the page carries (translated server-side)."""
    from yishiting.handling.tests.tasks_world import assign, photo

    settings.MEDIA_ROOT = tmp_path / "media"
    base, task = live_server.url, assign(world)
    image, big = tmp_path / "a.jpg", tmp_path / "big.jpg"
    image.write_bytes(photo(size=(640, 480)))
    big.write_bytes(photo(size=(640, 480)) + b"\0" * (10 * 1024 * 1024 + 1))
    DATA[:] = [data_text()]

    def scenario(page: Page) -> None:
        sign_in(page, base, "resident")  # (the login page is read in Chinese by sign_in)
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
        page.goto(f"{base}/demands/new/")
        page.set_input_files("input[name=photos]", str(big))
        assert page.locator("[data-photo-count]").inner_text() == \
            "Item 1 is over 10 MB: choose another or make it smaller."
        page.set_input_files("input[name=photos]", [str(image)] * 10)
        assert page.locator("[data-photo-count]").inner_text() == "At most 9 photos; you chose 10. Please choose again."
        page.set_input_files("input[name=photos]", [str(image)] * 2)
        assert page.locator("[data-photo-count]").inner_text() == "Chosen: 2"
        assert chinese_in(page, "main") == [], chinese_in(page, "main")
        page.context.clear_cookies()
        sign_in(page, base, "handler")
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
        page.goto(f"{base}/tasks/{task.pk}/")
        page.locator("details:has(input[name=files]) > summary").first.click()
        page.set_input_files("input[name=files]", [str(image), str(image)])
        assert page.locator("[data-photo-count]").all_inner_texts() == ["", "Chosen: 2"]
        assert chinese_in(page, "main") == [], chinese_in(page, "main")
        shot(page, "english-06-task-file-picker", full_page=False)

    assert in_browser(scenario, NARROW) == []


def test_staff_read_their_counts_in_english_at_360_px(world, live_server, settings, tmp_path):
    """The staff home's counts ("1 pending, 1 overdue") and the task list, in English at phone width: English
    punctuation in the site's sentences, nothing wider than the screen."""
    from django.utils import timezone

    from yishiting.demands.models import Demand
    from yishiting.handling.tests.archive_world import evaluating_topic

    from .english import foreign_punctuation
    from .test_browser_meeting_invitations import fits_the_width

    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    evaluating_topic(world)
    late = demand_submit(actor=world.users["resident"], submission=Submission(
        text="小区东门的路灯不亮了，晚上很黑", area=world.areas["B1"]))
    Demand.objects.filter(pk=late.pk).update(screening_deadline=timezone.localdate() - timezone.timedelta(days=2))
    DATA[:] = [data_text()]

    def reads(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.select_option("#language-select", "en")
        page.wait_for_function("document.documentElement.lang === 'en'")
        text = page.locator("body").inner_text()
        assert "overdue" in text and foreign_punctuation(text, DATA[0]) == [], foreign_punctuation(text, DATA[0])
        fits_the_width(page)
        shot(page, "english-06-staff-home-360")
        page.goto(f"{base}/tasks/")
        text = page.locator("body").inner_text()
        assert "Tasks" in text and foreign_punctuation(text, DATA[0]) == [], foreign_punctuation(text, DATA[0])
        fits_the_width(page)
        shot(page, "english-07-task-list-360")

    assert in_browser(reads, NARROW) == []
