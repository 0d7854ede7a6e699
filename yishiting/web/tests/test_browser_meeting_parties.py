"""The plan page at 360 px with a missing party (docs/parties.md): the secretary checks a plan whose 物业公司 is
an ordinary person, reads that they are not counted and who could fill the party, taps "添加" beside the estate's
property manager and sees the plan checked again with them on the list. The page fits the phone and the button
is big enough to tap. Screenshots: var/screenshots/meeting-parties-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.services import organization_create, person_create, role_assign
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose

from .test_browser import in_browser, shot, sign_in
from .test_browser_meeting_invitations import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 780}


def test_a_missing_party_and_its_holder_at_360px(world, live_server):
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯", description="3栋居民多为老人。",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall", area=world.areas["C1"], capacity=30)
    company = organization_create(actor=None, kind=OrganizationKind.PROPERTY_COMPANY, name="幸福苑小区物业中心",
                                  area=world.areas["G1"])
    manager = person_create(actor=None, name="欧阳经理", mobile="13700000001", area=world.areas["G1"])
    role_assign(actor=None, person=manager, role=Role.ORG_REPRESENTATIVE, area=world.areas["G1"], organization=company)
    start = timezone.localtime() + timedelta(days=5)

    def scenario(page: Page) -> None:
        sign_in(page, live_server.url, "community_secretary")
        page.goto(f"{live_server.url}/meetings/new/?topic={topic.pk}")
        page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        page.uncheck(f"#invite-{manager.pk}")  # ticked for 物业公司 by default: the planner leaves them out
        resident = world.people["grid_worker"].pk  # the grid worker is listed: label them 物业公司 by hand
        page.check(f"#invite-{resident}")
        page.select_option(f"select[name=party-{resident}]", "property")
        page.click("button[name=check]")
        page.wait_for_selector(".party-holders")
        assert "不计入“物业公司”一方" in page.inner_text(".check-report")
        holder = page.locator(f'.party-holder[data-party=property] button[value="{manager.pk}:property"]')
        assert holder.is_visible() and holder.bounding_box()["height"] >= 44
        fits_the_width(page)
        shot(page, "meeting-parties-missing")
        holder.click()
        page.wait_for_selector(".check-report")
        assert page.locator(f"#invite-{manager.pk}").is_checked()
        assert page.locator(".party-holder[data-party=property]").count() == 0
        fits_the_width(page)
        shot(page, "meeting-parties-added")

    assert in_browser(scenario, NARROW) == []
