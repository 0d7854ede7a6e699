"""A newcomer at 360 px: registers from the login page with an SMS code, finds their building by pinyin,
claims a room as owner; the grid worker approves it in the inbox; the resident's home shows it verified.
Screenshots: var/screenshots/register-*.png."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page

from yishiting.areas import services as areas
from yishiting.areas.choices import ClaimStatus, Role
from yishiting.areas.models import HouseholdClaim, Person
from yishiting.common import messaging

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_PHONE = {"width": 360, "height": 740}
MOBILE = "13700000031"


def test_register_claim_approve_and_see_it_verified(world, live_server, messages_outbox):
    base = live_server.url
    h6 = areas.household_create(actor=None, unit=world.areas["U1"], number="106", exclusive_area=Decimal("88.00"))

    def scenario(page: Page) -> None:
        page.goto(f"{base}/login/")
        page.click("a >> text=注册")
        page.wait_for_url(f"{base}/register/")
        page.fill("input[name=name]", "马新民")
        page.fill("input[name=mobile]", MOBILE)
        shot(page, "register-1-form")
        page.click("button >> text=获取验证码")
        page.wait_for_selector("input[name=code]")
        code = messaging.outbox[-1].text.split("验证码是 ")[1][:6]
        page.fill("input[name=code]", code)
        shot(page, "register-2-code")
        page.click("button >> text=注册并登录")
        page.wait_for_url(f"{base}/claims/")
        assert "注册成功" in page.content()
        assert page.locator(".viewer-name").inner_text() == "马新民"  # one's own name in full

        page.fill("input[name=q]", "xfy3")
        page.locator(".claim-buildings a", has_text="幸福苑3栋").first.wait_for()
        shot(page, "register-3-building-search")
        page.locator(".claim-buildings a", has_text="幸福苑3栋").first.click()
        page.select_option("select[name=household]", label="1单元 106")
        page.check("input[name=relation][value=owner]")
        shot(page, "register-4-claim-form")
        page.click("button >> text=提交申报")
        page.locator(".claim-state .badge", has_text="待审核").wait_for()
        shot(page, "register-5-pending")

        staff = page.context.browser.new_context(viewport=SMALL_PHONE, device_scale_factor=2, locale="zh-CN")
        worker = staff.new_page()
        sign_in(worker, base, "grid_worker")
        worker.goto(f"{base}/claims/inbox/")
        card = worker.locator(".claim-cards .card", has_text="1单元106")
        assert "马**" in card.inner_text() and "该户没有登记业主" in card.inner_text()
        shot(worker, "register-6-inbox")
        card.locator("button", has_text="认证").click()
        worker.locator("text=没有待认证的住户申报").wait_for()
        staff.close()

        page.goto(f"{base}/")
        page.locator(".claim-home .badge", has_text="已认证").wait_for()
        assert "幸福苑3栋1单元106" in page.locator(".claim-home").inner_text()
        shot(page, "register-7-home-verified")

    problems = in_browser(scenario, viewport=SMALL_PHONE)
    assert problems == []
    claim = HouseholdClaim.objects.get()
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by == world.users["grid_worker"]
    person = Person.objects.get(mobile=MOBILE)
    assert person.household_id == h6.pk and person.roles.filter(role=Role.OWNER, is_active=True).exists()
