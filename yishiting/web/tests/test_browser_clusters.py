"""At 360 px in a real browser: a street official opens 举一反三, finds the lift breakdowns of three communities as
one cluster, opens it (reporters masked, spread, trend), confirms and raises it as one 类案 topic; community
staff then see "可能属于类案" on a new lift demand and merge it with one click; the resident's demand page names
the 类案. Screenshots: var/screenshots/clusters-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from yishiting.demands.models import Demand
from yishiting.oversight.models import ClusterTopic
from yishiting.oversight.tests.clusters_world import LAMP, LIFT, add_community, report

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


def test_raise_a_cluster_and_merge_a_new_demand_at_360(world, live_server):
    add_community(world)
    lifts = [report(world, LIFT[0], "C1", reporter="resident"), report(world, LIFT[1], "C2", reporter="resident2"),
             report(world, LIFT[2], "C4"), report(world, LIFT[3], "C1", days_ago=20)]
    for text, area in zip(LAMP, ["C1", "C2", "C4"], strict=True):
        report(world, text, area)
    base = live_server.url

    def official_raises(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/oversight/clusters/")
        main = page.locator("main").inner_text()
        assert f"设施维护 · {LIFT[1]}" in main and "4 件诉求 · 3 个社区 · 1 个街道" in main
        assert "类案计算于" in main  # the kept run says when it was computed
        shot(page, "clusters-01-list")
        _fits(page)
        with page.expect_navigation():
            page.click(f"text=设施维护 · {LIFT[1]}")
        main = page.locator("main").inner_text()
        assert "张*" in main and "李*" in main and "张三" not in main and "阳光社区" in main
        shot(page, "clusters-02-detail")
        _fits(page)
        page.check("input[name=confirm]")  # required: the browser will not send the form without it
        with page.expect_navigation():
            page.click("button >> text=发起类案")
        assert "已发起类案议题" in page.content()
        shot(page, "clusters-03-raised")
        _fits(page)

    def staff_merges(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/demands/{waiting.pk}/screen/")
        assert "可能属于类案" in page.locator("main").inner_text()
        shot(page, "clusters-04-screening")
        _fits(page)
        with page.expect_navigation():
            page.click("button >> text=并入该类案")
        assert "已并入类案议题" in page.content()

    def resident_follows(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/{lifts[0].pk}/")
        assert "同类问题已立为类案" in page.locator("main").inner_text()
        shot(page, "clusters-05-resident")
        _fits(page)

    def district_lists(page: Page) -> None:
        sign_in(page, base, "district_official")
        page.goto(f"{base}/oversight/clusters/")
        main = page.locator("main").inner_text()
        assert "幸福区" in main and "4 件诉求 · 3 个社区 · 1 个街道" in main and "类案计算于" in main
        shot(page, "clusters-00-list-district")
        _fits(page)

    problems = in_browser(district_lists, viewport=NARROW) + in_browser(official_raises, viewport=NARROW)
    assert not problems, problems
    row = ClusterTopic.objects.get()
    waiting = report(world, "电梯坏了三天了还没修好", "C1", reporter="resident")
    for scenario in (staff_merges, resident_follows):
        problems = in_browser(scenario, viewport=NARROW)
        assert not problems, problems
    assert Demand.objects.get(pk=waiting.pk).topic_id == row.topic_id


def test_the_cluster_follows_the_category_chosen_at_screening_at_360(world, live_server):
    """A lift breakdown filed under 物业管理: nothing is offered until the screener corrects the category to
    设施维护 — then the open 类案 appears (htmx, no reload), named under the select too, and one click merges the
    demand with the corrected category."""
    from datetime import timedelta

    from django.utils import timezone

    from yishiting.oversight.clusters import Period, clusters_in
    from yishiting.oversight.services.clusters import cluster_raise

    add_community(world)
    for text, area in zip(LIFT[:3], ["C1", "C2", "C4"], strict=True):
        report(world, text, area)
    period = Period(timezone.localdate() - timedelta(days=89), timezone.localdate())
    [cluster] = clusters_in(world.areas["S1"], period)
    row = cluster_raise(actor=world.users["street_official"], area=world.areas["S1"], period=period, ident=cluster.id)
    misfiled = report(world, "电梯坏了三天了还没修好", "C1", reporter="resident", category_code="property")
    base = live_server.url

    def staff_corrects_and_merges(page: Page) -> None:
        sign_in(page, base, "community_staff")
        page.goto(f"{base}/demands/{misfiled.pk}/screen/")
        assert "可能属于类案" not in page.locator("main").inner_text()
        page.select_option("#id_category", label="设施维护")
        page.wait_for_selector(".cluster-suggestion")
        assert "可能属于 1 个类案" in page.locator("#category-hint").inner_text()  # under the select, in view
        assert "并入后类别改为“设施维护”" in page.locator("#screening-hints").inner_text()
        _fits(page)
        page.locator("#category-hint").scroll_into_view_if_needed()
        shot(page, "clusters-06-category-chosen", full_page=False)
        page.locator(".cluster-suggestion").scroll_into_view_if_needed()
        shot(page, "clusters-07-category-suggestion", full_page=False)
        page.select_option("#id_category", label="物业管理")  # back: withdrawn
        page.wait_for_selector(".cluster-suggestion", state="detached")
        assert page.locator("#category-hint").inner_text().strip() == ""
        page.select_option("#id_category", label="设施维护")
        page.wait_for_selector(".cluster-suggestion")
        with page.expect_navigation():
            page.click("button >> text=并入该类案")
        assert "已并入类案议题" in page.content()

    problems = in_browser(staff_corrects_and_merges, viewport=NARROW)
    assert not problems, problems
    misfiled.refresh_from_db()
    assert (misfiled.topic_id, misfiled.category.code) == (row.topic_id, "facilities")
