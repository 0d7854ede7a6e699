"""Planning a meeting by typing, at 360 px with the Content-Security-Policy in force: the community secretary
finds residents by building and a deputy by pinyin initials in the picker (the usual parties already listed),
keeps them on the list across searches, and plans; then picks a supervision group member with the keyboard
(type, ↓, Enter) and adds them. Every row is a 44 px tap target; nothing scrolls sideways.
Screenshots: var/screenshots/picker-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.common.models import AuditEntry
from yishiting.deliberation.models import Meeting
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.handling.tests.tasks_world import handling_topic

from .test_browser import in_browser, sign_in
from .test_browser_meeting_invitations import fits_the_width, snap, tall_enough

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 740}


def test_a_secretary_plans_a_meeting_by_typing_in_the_picker_at_360_px(world, live_server):
    town = add_public_people(world)
    base = live_server.url
    topic = topic_propose(actor=town.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋6层，住着不少老人。", level_area=town.areas["C1"], scope_area=town.areas["B1"])
    venue = venue_save(actor=town.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=town.areas["C1"], capacity=30)
    resident, deputy, staff = town.people["resident"], town.people["deputy_c3"], town.people["community_staff"]

    def plans(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/new/?topic={topic.pk}")
        search = page.locator("#invitee-q")
        table = page.locator("table[data-invitee-table]")
        assert search.bounding_box()["y"] < table.bounding_box()["y"]  # the search comes before the list
        assert table.locator(f"#invite-{staff.pk}").count() == 1  # the usual parties: listed without searching
        start = timezone.localtime() + timedelta(days=6)
        page.select_option("select[name=venue]", str(venue.pk))
        snap(page, "picker-05-plan-360")  # the whole plan page as the secretary sees it
        page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        page.check(f"#invite-{staff.pk}")
        search.click()
        page.keyboard.type("幸福苑3栋")  # typed, as on a phone: the building's residents
        found = page.locator("#invitee-results .picker-found[data-term=幸福苑3栋]")
        found.wait_for()
        assert "张三 · 居民 · 幸福苑小区幸福苑3栋1单元101室 · 尾号0001" in found.inner_text()  # may unmask here: clear
        fits_the_width(page)
        tall_enough(page.locator("#invitee-results input[type=checkbox], #invitee-results select, #invitee-q"))
        page.locator("#invitee-results").scroll_into_view_if_needed()
        snap(page, "picker-01-building-360", full_page=False)
        search.fill("hdb")  # a deputy of another street, by the initials of the whole name: masked
        page.locator("#invitee-results .picker-found[data-term=hdb]").wait_for()
        assert "何** · 两代表一委员（区人大代表）" in page.locator("#invitee-results").inner_text()
        assert table.locator(f"#invite-{resident.pk}").is_checked()  # kept on the list across searches
        page.select_option(f"select[name=party-{deputy.pk}]", "deputy")
        snap(page, "picker-02-list-360")  # nothing focused: a full-page shot resizes the window
        page.click("button[name=plan]")
        page.wait_for_url(f"{base}/meetings/*/")

    assert in_browser(plans, NARROW) == []
    meeting = Meeting.objects.get()
    people = dict(meeting.participants.values_list("person_id", "party"))
    assert people[resident.pk] == "resident" and people[deputy.pk] == "deputy" and staff.pk in people
    assert AuditEntry.objects.filter(action="unmask", target__contains=str(resident.pk)).exists()


def test_a_supervision_member_is_picked_with_the_keyboard(world, live_server):
    base = live_server.url
    topic, _ = handling_topic(world)
    resident = world.people["resident"]

    def picks(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/topics/{topic.pk}/supervision/")
        page.click("summary >> text=添加成员")
        page.locator("#id_person").click()
        page.keyboard.type("李四")  # another community: not in this staff member's view
        page.locator("#id_person-results .picker-found[data-term=李四]").wait_for()
        page.keyboard.press("Enter")  # nothing found: Enter must not send the form
        assert "没有找到“李四”" in page.locator("#id_person-results").inner_text()
        page.locator("#id_person").fill("")
        page.locator("#id_person").type("幸福苑3栋")
        page.locator("#id_person-results .picker-found[data-term=幸福苑3栋]").wait_for()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")  # takes the highlighted match
        assert page.locator("#id_person-results .picker-option.is-checked").inner_text().startswith("张三")
        tall_enough(page.locator("#id_person-results .picker-option input"))
        fits_the_width(page)
        snap(page, "picker-03-member-360", full_page=False)
        page.select_option("select[name=role]", "stakeholder")
        page.click("form button >> text=添加")
        page.wait_for_selector("text=已加入监督小组")

    assert in_browser(picks, NARROW) == []
    assert topic.supervisors.get().person == resident


def test_the_secretary_picks_the_chair_by_typing_at_360_px(world, live_server):
    from .test_chair_picker import second_secretary

    base = live_server.url
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋6层，住着不少老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])
    deputy = second_secretary(world)
    venue = venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=world.areas["C1"], capacity=30)

    def picks_the_chair(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/new/?topic={topic.pk}")
        assert page.locator("select[name=chair]").count() == 0  # a search box, not a list of everyone
        chair = page.locator("#id_chair")
        chair.click()
        page.keyboard.type("wsj")  # the initials of the deputy secretary's whole name
        found = page.locator("#id_chair-results .picker-found[data-term=wsj]")
        found.wait_for()
        assert "卫书记" in found.inner_text() and "社区书记" in found.inner_text() and "尾号0099" in found.inner_text()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # takes the highlighted match; the form is not sent
        assert page.locator("#id_chair-results .picker-option.is-checked").inner_text().startswith("卫书记")
        tall_enough(page.locator("#id_chair-results .picker-option input, #id_chair"))
        fits_the_width(page)
        page.locator("#id_chair").scroll_into_view_if_needed()
        snap(page, "picker-04-chair-360", full_page=False)
        start = timezone.localtime() + timedelta(days=6)
        page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        page.select_option("select[name=venue]", str(venue.pk))
        snap(page, "picker-05-plan-360")  # the whole plan page as the secretary sees it
        with page.expect_navigation():
            page.click("button[name=plan]")
        assert "/meetings/new/" not in page.url, page.locator(".field-error").all_inner_texts()

    assert in_browser(picks_the_chair, NARROW) == []
    assert Meeting.objects.get().chair == deputy
