"""The archive in a real browser at phone width (Content-Security-Policy in force): staff search 一事一档, open
a dossier and print it; the minutes page offers PDF and Word. The test flushes the database afterwards, which
the dossier tables' triggers must allow (flush only). Screenshots: var/screenshots/archive-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.deliberation.models import Meeting
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_read_and_download_the_archive_in_the_browser(world, live_server):
    base = live_server.url
    topic = evaluating_topic(world, reports=3)
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    meeting = Meeting.objects.get(agenda__topic=topic)

    def staff_searches(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/archive/")
        page.fill("input[name=q]", "楼道灯")
        page.select_option("select[name=year]", str(dossier.year))
        page.click("button >> text=查找")
        page.wait_for_selector(f"text={dossier.number}")
        shot(page, "archive-01-search")
        page.click(f"a >> text={dossier.title}")
        page.wait_for_url(f"{base}/archive/{dossier.pk}/")
        assert "集 · 收集诉求" in page.inner_text("main") and dossier.content_sha256 in page.inner_text("main")
        shot(page, "archive-02-dossier")
        with page.expect_download() as download:
            page.click("a >> text=下载 PDF")
        assert download.value.suggested_filename == f"dossier-{dossier.pk}.pdf"
        page.goto(f"{base}/meetings/{meeting.pk}/minutes/")
        assert page.locator("a >> text=下载 Word").count() == 1
        shot(page, "archive-03-minutes")

    # A download ends its request without a page, which Playwright reports as a failed request.
    assert [p for p in in_browser(staff_searches) if not p.endswith(f"/archive/{dossier.pk}/dossier.pdf")] == []
