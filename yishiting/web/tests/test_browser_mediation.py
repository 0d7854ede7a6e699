"""Mediation in a real browser 360 px wide, with the Content-Security-Policy in force: the mediator records a
successful attempt and writes the agreement on the phone, signatures are confirmed through the page's
confirmation dialog; the party, the staff and the street official see their pages. Screenshots:
var/screenshots/mediation-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.mediation import services
from yishiting.mediation.choices import AgreementStatus, CaseStatus
from yishiting.mediation.models import Agreement, MediationCase
from yishiting.mediation.tests.world import accepted_case, build

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW = {"width": 360, "height": 780}


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"


def test_recording_an_attempt_and_the_agreement_at_360(world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    build(world)
    case = accepted_case(world)
    url = f"{base}/mediation/{case.pk}/"
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    respondent = case.parties.get(side="respondent").pk
    demand = case.demands.get().pk  # read before the browser runs: its thread has no database of its own

    def mediator(page: Page) -> None:
        sign_in(page, base, "mediator")
        shot(page, "mediation-01-mediator-home")
        page.goto(f"{base}/mediation/")
        shot(page, "mediation-02-list")
        page.goto(url)
        _no_sideways_scroll(page)
        shot(page, "mediation-03-case-accepted")
        page.click("summary >> text=记录一次社区初调")
        page.fill("#id_attempt_place", "幸福苑社区调解室")
        page.check(f"input[name=mediators][value='{world.people['mediator'].pk}']")
        for box in page.locator("input[name=parties_present]").all():
            box.check()
        page.fill("#id_attempt_applicant_said", "要求修好防水并赔偿维修费")
        page.fill("#id_attempt_respondent_said", "同意修防水，赔偿可以商量")
        page.check("input[name=result][value=success]")
        with page.expect_navigation():
            page.click("button >> text=保存调解记录")
        assert "调解记录已保存" in page.locator("main").inner_text()
        shot(page, "mediation-04-agreed")
        page.fill("#id_agreement_facts", "王邻居家卫生间漏水，泡坏张三家天花板。")
        page.fill("#id_agreement_disputed_points", "维修和赔偿。")
        page.fill("#id_agreement_responsibilities", "王邻居负主要责任。")
        page.fill("#id_agreement_content", "王邻居七日内修复防水，赔偿张三一千五百元。")
        page.fill("#id_agreement_performance", "现金一次付清。")
        page.fill("#id_agreement_perform_by", due)
        page.select_option("select[name=obligations-0-party]", str(respondent))
        page.fill("input[name=obligations-0-text]", "赔偿一千五百元")
        page.fill("input[name=obligations-0-due_on]", due)
        shot(page, "mediation-05-agreement-form")
        with page.expect_navigation():
            page.click("button >> text=保存协议")
        assert "调解协议已拟写" in page.locator("main").inner_text()
        page.once("dialog", lambda dialog: dialog.dismiss())  # 取消: nothing recorded
        page.locator("form:has(input[name=party]) button >> text=登记签署").first.click()
        page.on("dialog", lambda dialog: dialog.accept())
        for _ in range(2):
            with page.expect_navigation():
                page.locator("form:has(input[name=party]) button >> text=登记签署").first.click()
        with page.expect_navigation():
            page.click("button >> text=登记调解员签名")
        with page.expect_navigation():
            page.click("button >> text=登记盖章")
        _no_sideways_scroll(page)
        shot(page, "mediation-06-agreement-effective")

    def party(page: Page) -> None:
        sign_in(page, base, "resident")
        shot(page, "mediation-07-party-home")
        page.goto(f"{base}/demands/{demand}/")
        assert "社区初调" in page.locator("main").inner_text()
        shot(page, "mediation-08-party-demand")
        with page.expect_navigation():
            page.click("text=查看调解案件")
        assert "司法确认" in page.locator("main").inner_text()
        _no_sideways_scroll(page)
        shot(page, "mediation-09-party-case")
        page.goto(f"{base}/mediation/apply/")
        shot(page, "mediation-10-apply")

    def rating(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(url)
        with page.expect_navigation():
            page.click("main >> text=评价调解工作")
        page.check("input[name=value][value=satisfied]")
        shot(page, "mediation-12-rate")
        with page.expect_navigation():
            page.click("button >> text=提交评价")
        assert "感谢您的评价" in page.locator("main").inner_text()

    def staff(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/mediation/new/")
        _no_sideways_scroll(page)
        shot(page, "mediation-13-open-case")
        page.goto(url)
        shot(page, "mediation-11-staff-case")

    assert in_browser(mediator, NARROW) == []
    agreement = Agreement.objects.get(case=case)
    assert agreement.status == AgreementStatus.EFFECTIVE and agreement.signatures.count() == 3
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.AGREED
    assert in_browser(party, NARROW) == []
    assert in_browser(staff, NARROW) == []
    mediator_user = world.users["mediator"]
    services.obligation_check(actor=mediator_user, obligation=agreement.obligations.get(), performed=True)
    services.visit_record(actor=mediator_user, case=case, visited_on=timezone.localdate(), note="防水已修好")
    services.case_close(actor=mediator_user, case=case)
    assert in_browser(rating, NARROW) == []
    assert case.ratings.get().value == "satisfied"


def test_a_party_refuses_a_mediator_and_asks_for_a_public_session_at_360(world, live_server):
    base = live_server.url
    build(world)
    case = accepted_case(world)
    services.mediator_assign(actor=world.users["community_secretary"], case=case, person=world.people["adviser"])
    url = f"{base}/mediation/{case.pk}/"
    adviser = case.mediators.get(person__name="陈律师").pk

    def party(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(url)
        page.click(f"#refuse-{adviser} summary")
        page.fill(f"#refuse-reason-{adviser}", "与对方是亲戚")
        page.click("#hearing summary")
        page.check("#hearing input[name=hearing][value=public]")
        _no_sideways_scroll(page)
        shot(page, "mediation-14-party-requests")
        page.once("dialog", lambda dialog: dialog.dismiss())  # 取消: nothing recorded
        page.click(f"#refuse-{adviser} button[type=submit]")
        page.on("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.click(f"#refuse-{adviser} button[type=submit]")
        assert "已记录拒绝该调解员" in page.locator("main").inner_text()
        page.click("#hearing summary")
        page.check("#hearing input[name=hearing][value=public]")
        with page.expect_navigation():
            page.click("#hearing button[type=submit]")
        assert "调解方式已更改" in page.locator("main").inner_text()
        shot(page, "mediation-15-party-requests-done")

    assert in_browser(party, NARROW) == []
    case.refresh_from_db()
    assert case.hearing == "public" and case.mediators.get(pk=adviser).status == "refused"


def test_the_last_attempt_failing_closes_the_case_at_360(world, live_server):
    """Issue 17: the top tier's last attempt asks for the guidance; without it the page says so and nothing is
    saved; with it the case closes as 调解不成 and the parties' guidance is on the page."""
    from yishiting.web.tests.test_mediation_last_attempt import GUIDANCE, one_attempt_case

    base = live_server.url
    case = one_attempt_case(world)
    mediator_pk = world.people["mediator"].pk

    def mediator(page: Page) -> None:
        sign_in(page, base, "mediator")
        page.goto(f"{base}/mediation/{case.pk}/")
        page.click("summary >> text=记录一次社区初调")
        assert page.locator("#attempt").get_by_text("这是最后一级的最后一次调解").is_visible()
        page.fill("#id_attempt_place", "幸福苑社区调解室")
        page.check(f"input[name=mediators][value='{mediator_pk}']")
        page.check("input[name=result][value=failed]")
        shot(page, "mediation-10-last-attempt")
        with page.expect_navigation():
            page.click("button >> text=保存调解记录")
        assert "请写明告知当事人的其他解决途径" in page.locator("main").inner_text()
        _no_sideways_scroll(page)
        shot(page, "mediation-11-last-attempt-needs-guidance")
        page.fill("#id_attempt_guidance", GUIDANCE)
        with page.expect_navigation():
            page.click("#attempt button >> text=保存调解记录")
        text = page.locator("main").inner_text()
        assert "案件已结案" in text and GUIDANCE in text
        _no_sideways_scroll(page)
        shot(page, "mediation-12-failed-closed")

    problems = in_browser(mediator, NARROW)
    assert [p for p in problems if "400" not in p] == []  # the form with an error answers 400 by design
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED
