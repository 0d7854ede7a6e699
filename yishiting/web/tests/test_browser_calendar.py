"""Issue 16 in a real browser at 360 px: a notice opened 2026-12-28 before 2027 was entered ends after 元旦; the
admin enters a 补休 day in the back office and is told what moved; the secretary sees the later end date and the
message. Screenshots: var/screenshots/calendar-*.png."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.common.models import CalendarDay, CalendarYear
from yishiting.handling.models import Notice
from yishiting.handling.services.notices import notice_draft, notice_publish
from yishiting.handling.tests.world import resolved_topic

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 740}


def test_entering_a_rest_day_moves_the_notice_and_everyone_sees_it(world, live_server, monkeypatch):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 28))
    _, resolution = resolved_topic(world)
    notice = notice_draft(actor=world.users["community_secretary"], resolution=resolution,
                          plan=[{"when": "1月", "what": "更换楼道灯", "who": "孙书记"}])
    notice = notice_publish(actor=world.users["community_secretary"], notice=notice, starts_on=date(2026, 12, 28))
    assert notice.ends_on == date(2027, 1, 4)  # 元旦 is statutory: excluded before 2027 is entered
    admin = world.users["admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    base = live_server.url

    def scenario(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/notices/{notice.pk}/")
        assert "2027 年的节假日安排尚未录入" in page.inner_text("main") and "1月4日" in page.inner_text("main")
        shot(page, "calendar-01-notice-before")
        page.context.clear_cookies()
        sign_in(page, base, "admin")
        page.goto(f"{base}/admin/common/calendarday/add/")
        page.fill("input[name=date]", "2027-01-04")
        page.select_option("select[name=kind]", "holiday")
        page.fill("input[name=name]", "元旦补休")
        page.click("input[name=_save]")
        page.wait_for_selector("text=已顺延 1 项未到期的期限")
        shot(page, "calendar-02-admin-saved", full_page=False)
        page.context.clear_cookies()
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/notices/{notice.pk}/")
        assert "1月5日" in page.inner_text("main")
        shot(page, "calendar-03-notice-after")
        page.goto(f"{base}/messages/")
        assert "顺延至 2027年1月5日" in page.inner_text("main")
        shot(page, "calendar-04-message")

    assert in_browser(scenario, viewport=NARROW) == []
    assert Notice.objects.get(pk=notice.pk).ends_on == date(2027, 1, 5)
