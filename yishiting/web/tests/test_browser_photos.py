"""Photos in a real browser at phone width: the resident's demand page with nine 6 MB phone photos weighs under
300 KB (thumbnails; the stored photo opens on a tap), and the task page's file inputs are the site's big buttons.
Screenshots: var/screenshots/photos-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error, Page, Response

from yishiting.demands.tests.phone_photos import phone_jpeg
from yishiting.handling.tests.tasks_world import assign, photo

from .test_browser import PHONE, in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE_BUDGET = 300 * 1024
NARROW = {"width": 360, "height": 740}


def test_the_demand_page_with_nine_phone_photos_weighs_under_300_kb(world, live_server, new_demand, settings,
                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    raws = [phone_jpeg(seed) for seed in range(9)]
    assert sum(map(len, raws)) > 9 * 5_000_000  # what the phones sent: over 45 MB
    demand = new_demand(photos=raws)
    url = f"{live_server.url}/demands/{demand.pk}/"
    loaded: list[Response] = []

    def scenario(page: Page) -> None:
        sign_in(page, live_server.url, "resident")
        page.on("response", lambda response: loaded.append(response))
        page.goto(url)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images: load them all
        for _ in range(100):  # (wait_for_function evaluates a string: the page's CSP forbids that)
            if page.evaluate("() => [...document.querySelectorAll('.photo-grid img')]"
                             ".every(img => img.complete && img.naturalWidth > 0)"):
                break
            page.wait_for_timeout(100)
        page.wait_for_load_state("networkidle")
        sizes, gone = {}, []
        for response in loaded:
            try:
                sizes[response.url] = len(response.body())
            except Error:  # a late answer to the page before (it was navigated away from)
                gone.append(response.url)
        assert all(u.endswith("/favicon.svg") for u in gone), gone  # (the tab icon, fetched again below)
        assert url in sizes and any(u.endswith("/app.css") for u in sizes) and any(u.endswith("/app.js") for u in sizes)
        images = [u for u in sizes if "/photos/" in u]
        assert len(images) == 9 and all(u.endswith("/thumb/") for u in images)
        total = sum(sizes.values())
        print(f"\ndemand page with 9 photos: {total / 1024:.0f} KB in {len(sizes)} responses:",
              ", ".join(f"{u.split('/', 3)[-1]} {size / 1024:.0f} KB" for u, size in sizes.items()))
        assert total < PAGE_BUDGET, sizes
        page.set_viewport_size(NARROW)
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "photos-01-demand-page-360")
        with page.expect_navigation():
            page.click(".photo-grid a >> nth=0")  # the full photo on a tap
        assert page.evaluate("document.images[0].naturalWidth") == 1600

    problems = in_browser(scenario, PHONE)
    assert problems == []


def test_the_task_page_file_inputs_are_the_sites_buttons(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    task = assign(world)
    image = tmp_path / "现场.jpg"
    image.write_bytes(photo(size=(640, 480)))

    def scenario(page: Page) -> None:
        sign_in(page, live_server.url, "handler")
        page.goto(f"{live_server.url}/tasks/{task.pk}/")
        page.click("summary >> text=办结了：提交销号")
        buttons = page.locator("label.photo-button")
        assert buttons.all_inner_texts() == ["拍照或选择照片", "选择照片或 PDF 文件"]
        assert all(box["height"] >= 40 for box in (b.bounding_box() for b in buttons.all()))
        assert page.locator("input[type=file]").evaluate_all("els => els.map(e => e.offsetWidth)") == [1, 1]
        page.set_input_files("input[name=files]", [str(image), str(image)])
        assert page.locator("[data-photo-count]").all_inner_texts() == ["", "已选 2 个"]
        page.locator(".photo-picker").last.scroll_into_view_if_needed()
        shot(page, "photos-02-task-pickers-360", full_page=False)
        shot(page, "photos-03-task-page-360")

    problems = in_browser(scenario, NARROW)
    assert problems == []


def test_a_resident_is_told_about_a_photo_too_large_and_keeps_what_they_typed(world, live_server, settings,
                                                                             tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    text = "幸福苑3栋门口的路灯坏了三天，晚上出门很黑"
    big = tmp_path / "IMG_0001.jpg"
    big.write_bytes(photo(size=(640, 480)) + b"\0" * (10 * 1024 * 1024 + 1))
    medium = [tmp_path / f"IMG_00{i}.jpg" for i in (10, 11)]
    for path in medium:
        path.write_bytes(photo(size=(640, 480)) + b"\0" * 700 * 1024)

    def scenario(page: Page) -> None:
        sign_in(page, live_server.url, "resident")
        page.goto(f"{live_server.url}/demands/new/")
        page.fill("textarea[name=text]", text)
        page.set_input_files("input[name=photos]", str(big))
        assert page.locator("[data-photo-count]").inner_text() == "第 1 张超过 10 MB，请换一张或压缩后再选。"
        page.click("button >> text=提交诉求")
        page.wait_for_selector("text=第 1 张照片超过 10 MB，请换一张或压缩后再传。")
        assert page.input_value("textarea[name=text]") == text
        shot(page, "photos-04-demand-photo-too-large-360", full_page=False)
        settings.MAX_UPLOAD_BYTES = 1024 * 1024  # as if these two were too much together
        page.goto(f"{live_server.url}/demands/new/")
        page.fill("textarea[name=text]", text)
        page.set_input_files("input[name=photos]", [str(path) for path in medium])
        page.click("button >> text=提交诉求")
        page.wait_for_selector("h1 >> text=提交的内容过大")
        shot(page, "photos-05-413-page-360")
        page.click("button >> text=返回上一页")
        page.wait_for_selector("textarea[name=text]")
        assert page.input_value("textarea[name=text]") == text  # the browser's back kept it

    problems = in_browser(scenario, NARROW)
    assert sorted(problems) == [  # the one refusal, as the browser reports it
        f"413: {live_server.url}/demands/new/",
        "Failed to load resource: the server responded with a status of 413 (Request Entity Too Large)"]
