"""The same crawl as test_crawl.py over the district `yishiting demo` builds (1 street × 3 communities, the
fewest in which one problem makes a 举一反三 cluster at the default N = 3; months of history written through the
services), signed in as the demo's own logins: what a newcomer who runs `make run` clicks through. The demo's
objects are visited up to PER_ROUTE per route, in id order (its demands would otherwise be opened by every
persona); routes the demo has no object for (an API token) are covered by test_crawl.py, which fails on any
route it cannot fill.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client, override_settings

from yishiting.accounts.models import User
from yishiting.common.localcache import clear_all
from yishiting.common.testing import PERSONAS

from .crawl_data import CrawlData
from .test_crawl import crawl_as, visits

# One xdist group (scripts/test.sh): the module's tests go to one worker together, so its data is built once
# per pass, not again each time the worker comes back to the module after other tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("crawl-demo")]
PER_ROUTE = 12
# What the demo holds none of (no API token; its signed 调解协议书 have no scan attached): test_crawl.py visits
# these routes with objects of its own. The demo's pending household claim, its demands' photos, its 云律团
# questions (demo/legal.py), its mediation cases (demo/mediation.py), and issue 18's part (demo/oversight.py:
# the estate plan, the 举一反三 clusters and the raised 类案, the 整改清单 with photos, the kept 月报) are crawled
# here like everything else.
NOT_IN_DEMO = ("token_revoke", "mediation_scan")
DEMO_LOGINS = [*PERSONAS, "mediator", "canteen", "volunteer", "party_member", "trust_committee",
               "whistle_property_company", "disclosure_committee"]
# the persona community's 人民调解员 (demo/mediation.py), its 幸福食堂 worker and a volunteer courier (demo/canteens.py),
# an 在职党员 (demo/participation.py), the trust fund's two sides (its 业委会 member; the property company's manager,
# whose account the 吹哨 story made) and the 业委会 chair of an estate without a trust (demo/trusts.py)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[CrawlData]:
    from yishiting.areas.demo import demo_build
    from yishiting.demo.history import demo_history_build

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), \
            transaction.atomic():
        district = demo_build(seed=2026, streets=1, communities_per_street=3).district
        demo_history_build(district, seed=2026)
        users = {name: User.objects.get(username=name) for name in DEMO_LOGINS}
        yield CrawlData(world=SimpleNamespace(users=users), matters={}, extra={})
        transaction.set_rollback(True)
    clear_all()  # the rolled-back rows fired no signal: forget the places cached by area key


@pytest.mark.parametrize("persona", ["anonymous", *DEMO_LOGINS])
def test_every_page_of_the_demo_renders_for_its_logins(demo, persona, db):
    pages = visits(demo, per_route=PER_ROUTE)
    assert len(pages.real) > 100 and not [r for r in pages.unfilled if r.split()[0] not in NOT_IN_DEMO], pages.unfilled
    crawl_as(demo, persona, pages)


def _page(username: str, url: str):
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (username, url, response.status_code)
    return response


def test_officials_find_what_issue_18_built_in_the_demo(demo, db):
    """The plan with the estate's demands on it, a raised 类案 and one not yet raised, a recurrence, the two 整改清单
    with items done (with photos) and overdue, last month's kept 月报 as PDFs, and units rated."""
    from yishiting.handling.models import PartyRating
    from yishiting.oversight.models import AnnualEvaluation, ClusterMember, MonthlyReport, RectificationList
    from yishiting.oversight.rating import unit_rating

    hotspots = _page("street_official", "/oversight/hotspots/").content.decode()
    assert "平面图" in hotspots and int(re.search(r"图上共 (\d+) 件诉求", hotspots).group(1)) >= 15
    clusters = _page("street_official", "/oversight/clusters/").content.decode()
    assert "已立类案" in clusters and "电动车" in clusters and "高空抛物" in clusters
    assert ClusterMember.objects.filter(how=ClusterMember.How.MERGED).count() >= 3
    assert "复发" in _page("community_secretary", "/oversight/recurrences/").content.decode()
    lists = RectificationList.objects.order_by("pk")
    assert {bool(r.target_area_id) for r in lists} == {True, False}
    for rect in lists:
        detail = _page("street_official", f"/oversight/rectifications/{rect.pk}/").content.decode()
        assert "已销号" in detail and "红色预警" in detail and "/oversight/rectifications/photos/" in detail
    reports = _page("district_official", "/reports/").content.decode()
    assert MonthlyReport.objects.count() == 2
    for report in MonthlyReport.objects.all():
        assert f"/reports/{report.pk}.pdf" in reports
        pdf = _page("district_official", f"/reports/{report.pk}.pdf")
        assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:4] == b"%PDF"
    for evaluation in AnnualEvaluation.objects.select_related("organization"):  # the street's, the community's
        org = evaluation.organization
        rating = unit_rating(org, evaluation.year)
        page = _page("street_official", f"/oversight/ratings/{org.pk}/?year={evaluation.year}").content.decode()
        assert rating.score is not None and str(rating.score) in page and org.name in page
    rated = {p.part: p.score for p in unit_rating(RectificationList.objects.get(target_area__isnull=True)
                                                  .target_organization, evaluation.year).parts}
    assert rated["organization"] is not None and rated["rectification"] is not None  # 组织考评, 整改记录
    assert PartyRating.objects.filter(ratee_party="property").exists()  # 五方互评 of the property company


def test_a_newcomer_sees_real_figures_on_the_overview_and_the_rated_units_first(demo, db):
    """`make run` on the 6th opened the overview on a month six days old: 响应率 0 %, empty charts. Whatever the
    day, the street official's /overview/ shows figures (the month it opens on is stated), and the units page
    does not open on rows of "本年度无记录"."""
    page = _page("street_official", "/overview/").content.decode()
    collected = int(re.search(r'figure=funnel\.collected" aria-label="[^"]*">(\d+)</a>', page).group(1))
    response = re.search(r'figure=rate\.response" title="[^"]*">([^<]+)</a>', page).group(1)
    assert collected > 0 and response.endswith("%") and response != "0.00%", (collected, response)
    units = _page("district_official", "/oversight/ratings/").content.decode()
    first = units.split("<tbody>")[1].split("</tr>")[0]
    assert "本年度无记录" not in first and "个单位本年度有记录，排在前面" in units
