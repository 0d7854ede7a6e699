"""Deliberation in a real browser at phone width, with the Content-Security-Policy in force: a resident gives
their stance on a topic, the secretary plans a round table (核对 first), a participant opens the invitation
with its QR code, the clerk runs the meeting on a tablet, participants vote on their phones, and the minutes
print. Screenshots: var/screenshots/deliberation-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.deliberation.models import Meeting, Vote
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TABLET = {"width": 820, "height": 1180}


def test_topic_meeting_vote_and_minutes_in_the_browser(world, live_server):
    base = live_server.url
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋6层，住着不少老人，希望加装电梯。", level_area=world.areas["C1"],
                          scope_area=world.areas["B1"])
    venue = venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=world.areas["C1"], capacity=30)

    def resident_opinion(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/topics/{topic.pk}/")
        page.check("input[name=stance][value=support]")
        page.fill("textarea[name=text]", "家住6楼，腿脚不好，盼着装电梯")
        page.click("button >> text=提交意见")
        page.wait_for_selector(".opinion-list")
        assert "家住6楼" in page.locator(".opinion-list").inner_text()
        shot(page, "deliberation-01-topic-opinion")

    def secretary_plans(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/new/?topic={topic.pk}")
        start = timezone.localtime() + timedelta(days=4)
        page.select_option("select[name=venue]", str(venue.pk))
        page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        for persona in ("grid_worker", "resident", "community_staff"):
            page.check(f"input[name=invite-{world.people[persona].pk}]")
        page.check(f"input[name=council-{world.people['community_staff'].pk}]")
        page.click("button[name=check]")
        page.wait_for_selector(".check-report")
        assert "缺少以下各方代表" in page.locator(".check-report").inner_text()
        shot(page, "deliberation-02-plan-checked")
        page.click("button[name=plan]")
        page.wait_for_url(f"{base}/meetings/*/")
        page.click("button >> text=发出通知")
        page.wait_for_selector("text=已通知全部参会人员")
        shot(page, "deliberation-03-meeting-planned")

    assert in_browser(resident_opinion) == []
    assert in_browser(secretary_plans) == []
    meeting = Meeting.objects.get()
    now = timezone.now()  # the meeting day has come
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2))

    def participant_invitation(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/meetings/{meeting.pk}/")
        assert page.locator(".qr svg").is_visible()
        shot(page, "deliberation-04-invitation-qr")
        page.click("button >> text=签到")
        page.wait_for_selector("text=已签到")

    def clerk_runs(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/{meeting.pk}/")
        page.click("button >> text=开始会议")
        page.goto(f"{base}/meetings/{meeting.pk}/run/")
        for label in ("赵*", "钱*", "孙*"):
            page.click(f".signin-grid button >> text={label}")
            page.wait_for_selector(f".signin-grid .badge >> text={label}")
        page.select_option("form[action$='/steps/'] select[name=kind]", "speech")
        page.select_option("form[action$='/steps/'] select[name=topic]", str(topic.pk))
        page.select_option("form[action$='/steps/'] select[name=speaker]", label="张* · 居民群众")
        page.fill("form[action$='/steps/'] textarea[name=text]", "我家住6楼，赞成加装")
        page.click("form[action$='/steps/'] button")
        page.wait_for_selector(".steps >> text=我家住6楼")
        page.click("summary >> text=发起表决")
        page.fill("input[name=question]", "是否同意加装电梯方案")
        page.select_option("select[name=method]", "named")
        page.click("form[action$='/votes/'] button")
        page.wait_for_selector("text=表决已发起")
        shot(page, "deliberation-05-tablet", full_page=True)

    assert in_browser(participant_invitation) == []
    assert in_browser(clerk_runs, viewport=TABLET) == []
    vote = Vote.objects.get()

    def phone_vote(persona: str, choice: str):
        def run(page: Page) -> None:
            sign_in(page, base, persona)
            page.goto(f"{base}/votes/{vote.pk}/")
            page.check(f"input[name=choice][value={choice}]")
            if persona == "resident":
                shot(page, "deliberation-06-phone-vote")
            page.click("button >> text=投票")
            page.wait_for_selector("text=您已投票")
        return run

    for persona, choice in [("resident", "同意"), ("grid_worker", "同意"), ("community_secretary", "同意"),
                            ("community_staff", "反对")]:
        assert in_browser(phone_vote(persona, choice)) == []

    def clerk_closes(page: Page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/meetings/{meeting.pk}/run/")
        page.click("button >> text=结束表决并计票")
        page.wait_for_selector(".vote-result >> text=表决通过")
        page.select_option("form[action$='/resolutions/'] select[name=topic]", str(topic.pk))
        page.fill("form[action$='/resolutions/'] textarea[name=text]", "同意加装电梯，申请市级补贴，不足部分按楼层分摊")
        page.click("button >> text=形成决议")
        page.wait_for_selector("text=决议已形成")
        page.click("button >> text=结束会议")
        page.wait_for_selector("article.minutes")
        assert "我家住6楼，赞成加装" in page.locator("article.minutes").inner_text()
        shot(page, "deliberation-07-minutes")

    assert in_browser(clerk_closes, viewport=TABLET) == []
    topic.refresh_from_db()
    assert topic.status == "resolved"
