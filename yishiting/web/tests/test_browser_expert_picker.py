"""The expert pool in 追加参会人员 on a planned meeting, in a real browser 360 px wide (htmx on, the CSP in
force): the secretary chooses a field, the pool's expert appears with the party their place suggests, is ticked
and invited. Screenshots: var/screenshots/expert-picker-*.png."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page

from yishiting.deliberation.choices import Party
from yishiting.deliberation.models import Meeting
from yishiting.legal.tests.conftest import build_pool

from .test_browser import in_browser, shot, sign_in
from .test_meeting_pages import plan_data, topic, venue  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 780}


def test_adding_a_pool_expert_to_a_planned_meeting_at_360(world, live_server, topic, venue):  # noqa: F811
    pool = build_pool(world)
    client = Client()
    client.force_login(world.users["community_secretary"])
    assert client.post(f"/meetings/new/?topic={topic.pk}", {**plan_data(world, topic, venue), "plan": "1"}).status_code == 302
    meeting = Meeting.objects.get()
    builder = pool.builder.person_id
    base = live_server.url

    def secretary(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/{meeting.pk}/#add-participants")
        page.select_option("#expert-field", "construction")
        row = page.locator(f"#invitee-results input[name='invite-{builder}']")
        row.wait_for()
        assert page.locator(f"#invitee-results select[name='party-{builder}']").input_value() == Party.PROFESSIONAL
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
        page.locator("#add-participants").screenshot(path=str(_shots() / "expert-picker-01-pool.png"))
        row.check()
        with page.expect_navigation():
            page.click("#add-participants button >> text=追加邀请")
        assert "已追加邀请" in page.locator("main").inner_text()
        shot(page, "expert-picker-02-added")

    assert in_browser(secretary, NARROW) == []
    assert meeting.participants.get(person_id=builder).party == Party.PROFESSIONAL


def _shots():
    from .test_browser import SCREENSHOTS

    return SCREENSHOTS
