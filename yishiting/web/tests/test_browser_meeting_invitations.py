"""Inviting beyond the community's own register, in a real browser at phone width (375 px) and on a tablet
(820 px), with the Content-Security-Policy in force: the community secretary plans a round table, finds a deputy
of another street in the picker by pinyin initials (masked, kept on the table through 核对) and ticks the street
leader listed above the community; on the planned meeting's page, once notice is short, adds a lawyer late
(追加参会人员, with the 通知时间不足 warning) and withdraws the deputy with a reason, then reads both in 会议动态.
At each step the page fits the phone (no horizontal scroll) and its controls are big enough to tap.
Screenshots: var/screenshots/meeting-invite-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page

from yishiting.deliberation.models import Meeting, Participant
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose
from yishiting.deliberation.tests.invitations_world import add_public_people

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TABLET = {"width": 820, "height": 1180}
TAP = 44  # px: the smallest tap target the site allows (buttons and inputs are min-height 44px)
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def fits_the_width(page: Page) -> None:
    """Nothing pushes the page wider than the screen (a sideways scroll on a phone hides the right edge)."""
    wider = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
    assert page.evaluate(FITS) and not wider, f"{page.url} scrolls sideways: {wider}"


TAP_AREA = """e => { const r = (e.closest('label') || e).getBoundingClientRect();
    return r.width ? [r.width, r.height, e.outerHTML.slice(0, 90)] : null; }"""


def snap(page: Page, name: str, *, full_page: bool = True) -> None:
    """A screenshot with nothing focused: a full-page shot resizes the window, and Chromium then scrolls a
    still-focused text box back into view at the next tap (a test artefact, not what a phone does)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    shot(page, name, full_page=full_page)


def tall_enough(targets: Locator) -> None:
    """Every visible control in `targets` offers at least TAP × TAP px to a finger (a tick: its label)."""
    for i in range(targets.count()):
        area = targets.nth(i).evaluate(TAP_AREA)
        if area is not None:  # hidden: a closed <details>
            assert area[0] >= TAP - 0.5 and area[1] >= TAP - 0.5, f"{area[2]}: {area[0]}×{area[1]}"


def test_secretary_invites_through_the_picker_adds_late_and_withdraws_on_a_phone(world, live_server):
    town = add_public_people(world)
    base = live_server.url
    topic = topic_propose(actor=town.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋6层，住着不少老人，希望加装电梯。", level_area=town.areas["C1"],
                          scope_area=town.areas["B1"])
    venue = venue_save(actor=town.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=town.areas["C1"], capacity=30)
    street, deputy, lawyer = (town.people[k] for k in ("street_official", "deputy_c3", "lawyer_c2"))

    def secretary_plans(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/new/?topic={topic.pk}")
        start = timezone.localtime() + timedelta(days=6)
        page.select_option("select[name=venue]", str(venue.pk))
        page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        for persona in ("grid_worker", "community_staff"):  # the usual parties: listed already
            page.check(f"input[name=invite-{town.people[persona].pk}]")
        page.check(f"input[name=council-{town.people['community_staff'].pk}]")
        # A resident of the building: found by typing (the secretary may unmask here: the name shows, audited).
        resident = town.people["resident"]
        page.fill("#invitee-q", "张三")
        page.locator("#invitee-results .picker-found[data-term=张三]").wait_for()
        assert page.is_checked(f"#invite-{resident.pk}")
        # The street leader is listed above the community already: the row, masked, ticked by hand.
        leader_row = page.locator("table.invitees tr", has=page.locator(f"#invite-{street.pk}"))
        assert "周** · 街道干部 · 东风街道" in leader_row.inner_text() and "周主任" not in page.content()
        page.check(f"#invite-{street.pk}")
        # A deputy of another street: only through the picker, by the initials of the whole name.
        page.fill("#invitee-q", "hdb")
        found = page.locator("#invitee-results .picker-found[data-term=hdb]")
        found.wait_for()
        assert "何** · 两代表一委员（区人大代表） · 湖滨社区" in found.inner_text()
        assert "何代表" not in page.content() and page.is_checked(f"#invite-{deputy.pk}")
        listed = page.locator("table[data-invitee-table]")  # the resident ticked before stays on the list
        assert listed.locator(f"#invite-{resident.pk}").is_checked() and "张三" in listed.inner_text()
        page.select_option(f"select[name=party-{deputy.pk}]", "deputy")
        fits_the_width(page)
        tall_enough(page.locator("#invitee-results input[type=checkbox], #invitee-results select, #invitee-q"))
        page.locator("#invitee-results").scroll_into_view_if_needed()
        snap(page, "meeting-invite-01-picker-phone")

        page.fill("#invitee-q", "李四")  # a resident of another community: never offered
        page.locator("#invitee-results .picker-found[data-term=李四]").wait_for()
        assert "没有找到“李四”" in page.locator("#invitee-results").inner_text()
        page.fill("#invitee-q", "hdb")
        page.locator("#invitee-results .picker-found[data-term=hdb]").wait_for()

        page.click("button[name=check]")
        page.wait_for_selector(".check-report")
        kept = page.locator("table.invitees tr", has=page.locator(f"#invite-{deputy.pk}"))
        assert "何** · 两代表一委员" in kept.first.inner_text() and page.is_checked(f"#invite-{deputy.pk}")
        assert page.is_checked(f"#invite-{street.pk}")
        assert "核对结果" in page.locator(".check-report").inner_text()
        fits_the_width(page)
        tall_enough(page.locator("form.form table.invitees input[type=checkbox], form.form table.invitees select, "
                                 "form.form .actions .button, input[type=datetime-local], form.form select"))
        snap(page, "meeting-invite-02-checked-phone")

        page.click("button[name=plan]")
        page.wait_for_url(f"{base}/meetings/*/")
        page.click("button >> text=发出通知")
        page.wait_for_selector("text=已通知全部参会人员")
        people = page.locator(".participant-list").inner_text()
        assert "周** · 上级领导干部" in people and "何** · " in people and "何代表" not in page.content()
        fits_the_width(page)
        snap(page, "meeting-invite-03-planned-phone")

    assert in_browser(secretary_plans) == []
    meeting = Meeting.objects.get()
    assert set(meeting.participants.values_list("person_id", flat=True)) >= {street.pk, deputy.pk}
    soon = timezone.now() + timedelta(days=1)  # the lawyer is confirmed the day before: notice is short
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    invited_deputy = meeting.participants.get(person=deputy)

    def secretary_changes_the_list(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/{meeting.pk}/")
        assert "追加的人员会立即收到通知" in page.locator("#add-participants").inner_text()
        page.fill("#invitee-q", "法律顾问")
        found = page.locator("#invitee-results .picker-found[data-term=法律顾问]")
        found.wait_for()
        assert "罗** · 法律顾问（社区法律顾问） · 和平里社区" in found.inner_text() and "罗律师" not in page.content()
        assert "勾选后点“追加邀请”" in found.inner_text()
        fits_the_width(page)
        tall_enough(page.locator("#add-participants input, #add-participants select, #add-participants .button"))
        page.locator("#add-participants").scroll_into_view_if_needed()
        snap(page, "meeting-invite-04-add-picker-phone")

        page.click("#add-participants button >> text=追加邀请")
        page.wait_for_selector(".messages >> text=已追加邀请 罗**，已发出通知。")
        assert "通知时间不足 3 天" in page.locator(".messages").inner_text()
        assert "罗** · 法律顾问" in page.locator(".participant-list").inner_text()
        fits_the_width(page)
        snap(page, "meeting-invite-05-added-phone", full_page=False)

        row = page.locator(".participant-list li", has_text="何** · ")
        withdraw = row.locator("details.withdraw")
        withdraw.locator("summary").click()
        reason = withdraw.locator("textarea[name=reason]")
        reason.wait_for()
        tall_enough(withdraw.locator("summary, textarea[name=reason], button"))
        box, screen = reason.bounding_box(), page.viewport_size
        assert box["width"] >= 200 and box["x"] + box["width"] <= screen["width"], box  # room to type on a phone
        reason.fill("议题不涉及人大代表履职事项，改为会后书面征求意见")
        fits_the_width(page)
        row.scroll_into_view_if_needed()
        snap(page, "meeting-invite-06-withdraw-reason-phone", full_page=False)

        withdraw.locator("button >> text=确认撤回").click()
        page.wait_for_selector(".messages >> text=已撤回对 何** 的邀请，其签到码已作废。")
        assert "何** · " not in page.locator(".participant-list").inner_text()
        course = page.locator("#course-title + .timeline").inner_text()
        assert "发出会议通知" in course and "追加邀请罗**以法律顾问身份参会" in course
        assert "撤回何**（两代表一委员）的参会邀请，理由：议题不涉及人大代表履职事项" in course
        fits_the_width(page)
        page.locator("#course-title").scroll_into_view_if_needed()
        snap(page, "meeting-invite-07-course-phone")

    assert in_browser(secretary_changes_the_list) == []
    assert not Participant.objects.filter(pk=invited_deputy.pk).exists()
    assert meeting.participants.filter(person=lawyer).exists()

    def the_same_on_a_tablet(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/{meeting.pk}/?invitee_q=zzr")  # no JavaScript needed: the search by GET
        fits_the_width(page)
        page.locator(".participant-list details.withdraw summary").first.click()
        tall_enough(page.locator("#add-participants .button, .participant-list summary"))
        snap(page, "meeting-invite-08-meeting-tablet")
        page.goto(f"{base}/meetings/new/?topic={topic.pk}")
        page.fill("#invitee-q", "gzj")  # the street pool's expert
        page.locator("#invitee-results .picker-found[data-term=gzj]").wait_for()
        assert "高** · 专家" in page.locator("#invitee-results").inner_text()
        fits_the_width(page)
        snap(page, "meeting-invite-09-plan-tablet")

    assert in_browser(the_same_on_a_tablet, viewport=TABLET) == []


# ---- what the picker says matches what it finds ----

@pytest.fixture
def plan_page(world, live_server):
    """The town with its public people, and the secretary's plan page for a community topic."""
    town = add_public_people(world)
    topic = topic_propose(actor=town.users["community_secretary"], title="小区停车位划线", description="划线方案",
                          level_area=town.areas["C1"], scope_area=town.areas["B1"])
    return town, live_server.url, f"{live_server.url}/meetings/new/?topic={topic.pk}"


def test_typing_lawyer_as_the_placeholder_suggests_finds_the_lawyer(plan_page):
    town, base, url = plan_page

    def search(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(url)
        assert "律师" in page.get_attribute("#invitee-q", "placeholder")
        page.fill("#invitee-q", "律师")
        page.locator("#invitee-results .picker-found[data-term=律师]").wait_for()
        assert "罗** · 法律顾问" in page.locator("#invitee-results").inner_text()

    assert in_browser(search) == []


def test_searching_for_someone_already_listed_says_so(plan_page):
    town, base, url = plan_page

    def search(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(url)
        assert page.locator(f"#invite-{town.people['street_official'].pk}").count() == 1  # listed above
        page.fill("#invitee-q", "zzr")
        page.locator("#invitee-results .picker-found[data-term=zzr]").wait_for()
        found = page.locator("#invitee-results").inner_text()
        assert "没有找到" not in found and "周** · 街道干部" in found and "已在名单中" in found
        assert page.locator("#invitee-results input[type=checkbox]").count() == 0  # not offered twice

    assert in_browser(search) == []
