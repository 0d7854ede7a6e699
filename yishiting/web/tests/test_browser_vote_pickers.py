"""The last plain selects, now pickers, at 360 px with the Content-Security-Policy in force: community staff
enter a paper ballot by typing the flat ("幸福苑3栋1单元202", ↓, Enter) and find a proxy's holder by unit and
room; screening a demand for direct handling finds the handler by typing; a resident who types /areas/ is
refused with a way home. Screenshots: var/screenshots/vote-picker-*.png, screen-handler-*.png, resident-403-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.deliberation.models import Ballot, Vote
from yishiting.deliberation.services.topics import topic_propose

from .test_browser import in_browser, sign_in
from .test_browser_meeting_invitations import fits_the_width, snap, tall_enough
from .test_owners_vote_pages import owners  # noqa: F401 — the flats of 幸福苑3栋 1单元 with their owners

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 740}


def test_a_paper_ballot_and_a_proxy_are_entered_by_typing_the_flat(world, live_server, request):
    request.getfixturevalue("owners")
    base = live_server.url
    topic = topic_propose(actor=world.users["community_secretary"], title="3栋加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
    from yishiting.deliberation.services.votes import vote_open

    vote = vote_open(actor=world.users["community_staff"], topic=topic, question="是否同意加装电梯",
                     method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.REBUILD,
                     scope_area=world.areas["B1"], closes_at=None)
    flat = world.households["202"]

    def enters(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/votes/{vote.pk}/")
        page.click("summary >> text=登记书面委托")
        page.locator("#proxy-holder").click()
        page.keyboard.type("1单元101")
        page.locator("#proxy-holder-results .picker-found[data-term='1单元101']").wait_for()
        found = page.locator("#proxy-holder-results").inner_text()
        assert "张三" in found and "1单元101室" in found  # the resident of 101, found by unit and room
        fits_the_width(page)
        snap(page, "vote-picker-02-proxy-360", full_page=False)
        page.click("summary >> text=登记书面委托")
        page.click("summary >> text=录入纸质票")
        page.locator("#paper-household").click()
        page.keyboard.type("幸福苑3栋1单元202")
        page.locator("#paper-household-results .picker-found[data-term='幸福苑3栋1单元202']").wait_for()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # takes the highlighted flat
        chosen = page.locator("#paper-household-results .picker-option.is-checked").inner_text()
        assert "1单元 202" in chosen and "李四妹" in chosen  # staff who may unmask: the owner in full
        tall_enough(page.locator("#paper-household-results .picker-option input"))
        fits_the_width(page)
        snap(page, "vote-picker-01-paper-360", full_page=False)
        page.select_option("#paper-choice", "反对")
        page.click("form button >> text=录入")
        page.wait_for_selector("text=纸质票已录入")

    assert in_browser(enters, NARROW) == []
    assert Ballot.objects.get(vote=Vote.objects.get()).household == flat


def test_screening_finds_the_handler_by_typing(world, live_server, new_demand):
    base = live_server.url
    demand = new_demand(text="我家门口的灯坏了，能不能帮忙换一下")
    handler = world.people["handler"]

    def screens(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/demands/{demand.pk}/screen/")
        page.check("input[name=outcome][value=handling]")
        page.fill("textarea[name=reason]", "个人诉求，交执法队更换")
        page.locator("#id_handler_role").click()
        page.keyboard.type("城管")
        page.locator("#id_handler_role-results .picker-found[data-term='城管']").wait_for()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert "东风街道城管执法队" in page.locator("#id_handler_role-results .picker-option.is-checked").inner_text()
        fits_the_width(page)
        snap(page, "screen-handler-01-picked-360", full_page=False)
        page.click("button >> text=确定")
        page.wait_for_selector("text=已筛选")

    assert in_browser(screens, NARROW) == []
    demand.refresh_from_db()
    assert demand.task.handler == handler and demand.task.organization == world.organizations["agency"]


def test_a_resident_typing_the_area_browser_address_is_refused_with_a_way_home(world, live_server):
    base = live_server.url

    def refused(page: Page) -> None:
        sign_in(page, base, "resident")
        response = page.goto(f"{base}/areas/{world.areas['C1'].pk}/people/")
        assert response.status == 403 and "无权访问" in page.content()
        fits_the_width(page)
        snap(page, "resident-403-areas-360")
        page.click("text=返回首页")
        page.wait_for_url(f"{base}/")

    problems = in_browser(refused, NARROW)  # the refusal itself is the only failed request (and its console line)
    assert problems and all("403" in problem for problem in problems), problems
