"""At 360 px in a real browser (htmx on, the CSP in force): community staff book a slot for an elder without a
phone — found in the people picker by the last digits of the mobile — and the elder finds the
booking with its code on their own page (issue 19). Screenshots: var/screenshots/on-behalf-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.appointments.models import Booking, Slot
from yishiting.appointments.tests.conftest import make_service, next_working_day

from .test_browser import in_browser, shot, sign_in
from .test_browser_wishes_appointments import _fits, _warm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 780}


def test_staff_book_for_an_elder_with_the_picker_at_360(world, live_server):
    service = make_service(world)
    slot = Slot.objects.filter(service=service, starts_at__date=next_working_day()).order_by("starts_at").first()
    elder = world.people["resident"]
    base = live_server.url
    _warm(base)

    def staff(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/appointments/services/{service.pk}/#book-for")
        page.fill("#id_person", "0001")  # the last digits of the elder's mobile
        option = page.locator(f"#id_person-results input[name='person'][value='{elder.pk}']")
        option.wait_for()
        assert "尾号0001" in page.locator("#id_person-results").inner_text()
        _fits(page)
        page.locator("#book-for").screenshot(path=str(_shots() / "on-behalf-01-picker.png"))
        option.check()
        page.select_option("#id_slot", str(slot.pk))
        page.fill("#id_note", "养老资格认证")
        with page.expect_navigation():
            page.click("#book-for button[type=submit]")
        assert "签到码" in page.locator("main").inner_text()
        shot(page, "on-behalf-02-booked")
        _fits(page)

    def resident(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/appointments/mine/")
        text = page.locator("main").inner_text()
        assert code in text and "社区工作人员代约" in text
        shot(page, "on-behalf-03-mine")
        _fits(page)

    assert in_browser(staff, NARROW) == []
    booking = Booking.objects.get()
    assert booking.person == elder and booking.booked_by == world.people["community_staff"]
    code = booking.code
    assert in_browser(resident, NARROW) == []


def _shots():
    from .test_browser import SCREENSHOTS

    return SCREENSHOTS
