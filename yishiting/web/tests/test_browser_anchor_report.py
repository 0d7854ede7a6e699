"""The 三率 report with its month's anchor, on a 360 px phone: the 64-digit fingerprint wraps, nothing scrolls
sideways (issue 16)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_anchor_fingerprint_on_the_report_fits_a_phone(world, live_server, settings, tmp_path):
    settings.ANCHOR_DIR = tmp_path
    month = f"{timezone.localdate():%Y-%m}"  # the report's default period ends today
    call_command("anchor", month=month, stdout=io.StringIO())
    printed = hashlib.sha256((tmp_path / f"{month}.json").read_bytes()).hexdigest()
    base = live_server.url

    def report(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/kpis/")
        with page.expect_navigation():
            page.click("form.kpi-form button[type=submit]")
        anchor = page.locator("section.anchor")
        assert printed in anchor.inner_text().replace("\n", "")
        assert page.evaluate(FITS), "the report scrolls sideways at 360 px"
        anchor.scroll_into_view_if_needed()
        shot(page, "handling-kpi-anchor-360")

    assert in_browser(report, viewport={"width": 360, "height": 780}) == []
