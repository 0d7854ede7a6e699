"""At 360 px in a real browser: the 微心愿 pages (resident's page, a wish with the claim form, staff review with the
checklist, the public wall) and the 事务预约 pages (services, free slots, my bookings with the code, the desk's
day). Nothing wider than the phone, nothing logged to the console. Screenshots: var/screenshots/{wishes,appt}-*.png."""

from __future__ import annotations

import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.appointments.tests.flows import bookings_in_every_state
from yishiting.wishes.tests.conftest import add_donors
from yishiting.wishes.tests.flows import wishes_in_every_state

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}


def _warm(base: str) -> None:
    """The live server's first answer (templates, the header cache) can take longer than the browser's page-load
    timeout on a busy machine: ask it once before the browser does."""
    urllib.request.urlopen(f"{base}/login/", timeout=120).read()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


def test_wishes_at_360(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_donors(world)
    states = wishes_in_every_state(world)
    base, pending, open_ = live_server.url, states["pending"].pk, states["open"].pk
    _warm(base)

    def donor(page: Page) -> None:
        sign_in(page, base, "party")
        page.goto(f"{base}/wishes/")
        assert "想要一个助行器" in page.locator("main").inner_text()
        shot(page, "wishes-01-home")
        _fits(page)
        page.goto(f"{base}/wishes/{open_}/")
        shot(page, "wishes-02-claim")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=我来认领")
        assert "认领成功" in page.locator("main").inner_text()

    def staff(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/wishes/{pending}/")
        shot(page, "wishes-03-review")
        _fits(page)
        page.goto(f"{base}/wishes/new/")
        shot(page, "wishes-04-post-for")
        _fits(page)

    def public(page: Page) -> None:
        page.goto(f"{base}/wishes/wall/")
        text = page.locator("main").inner_text()
        assert "已实现" in text and "张三" not in text
        shot(page, "wishes-05-wall")
        _fits(page)

    for scenario in (donor, staff, public):
        problems = in_browser(scenario, viewport=NARROW)
        assert not problems, problems


def test_appointments_at_360(world, live_server):
    states = bookings_in_every_state(world)
    base, service = live_server.url, states["booked"].service_id
    day = timezone.localdate(states["booked"].slot.starts_at)
    _warm(base)

    def resident(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/appointments/")
        shot(page, "appt-01-services")
        _fits(page)
        page.goto(f"{base}/appointments/services/{service}/")
        shot(page, "appt-02-slots")
        _fits(page)
        page.goto(f"{base}/appointments/mine/")
        assert "签到码" in page.locator("main").inner_text()
        shot(page, "appt-03-mine")
        _fits(page)

    def desk(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/appointments/desk/?day={day:%Y-%m-%d}")
        assert "法律顾问值班咨询" in page.locator("main").inner_text()
        shot(page, "appt-04-desk")
        _fits(page)

    for scenario in (resident, desk):
        problems = in_browser(scenario, viewport=NARROW)
        assert not problems, problems
