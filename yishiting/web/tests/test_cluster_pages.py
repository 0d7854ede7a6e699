"""举一反三 pages through HTTP: a street official lists the clusters of their street, opens one (reporters
masked, spread, trend), raises it as one 类案 topic after confirming; the resident's demand page then names the
类案; a new demand of the problem is offered for one-click merge on the screening page; a recurrence shows its
banner with the earlier dossier, and the list of recurrences is read from the stored checks a page at a time;
who may open which page."""

from __future__ import annotations

import re

import pytest

from yishiting.common.events import events_of
from yishiting.demands.models import Demand
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.oversight.models import ClusterTopic
from yishiting.oversight.tests.clusters_world import LAMP, LIFT, add_community, category, report

from .pages import duplicate_ids, main

pytestmark = pytest.mark.django_db


@pytest.fixture
def lifts(world):
    add_community(world)
    return [report(world, LIFT[0], "C1", reporter="resident"), report(world, LIFT[1], "C2", reporter="resident2"),
            report(world, LIFT[2], "C4")]


def _detail_url(client) -> str:
    page = main(client.get("/oversight/clusters/"))
    return re.search(r'href="(/oversight/clusters/[^"/]+/\?[^"]+)"', page).group(1).replace("&amp;", "&")


def test_the_street_official_raises_a_cluster_and_the_reporters_follow_it(world, as_persona, lifts):
    client = as_persona("street_official")
    listed = main(client.get("/oversight/clusters/"))
    assert f"设施维护 · {LIFT[1]}" in listed and "3 件诉求 · 3 个社区 · 1 个街道" in listed
    url = _detail_url(client)
    detail = client.get(url)
    page = main(detail)
    assert detail.status_code == 200 and not duplicate_ids(detail)
    assert "张*" in page and "李*" in page and "张三" not in page and "匿名" in page  # reporters masked
    assert "阳光社区" in page and "和平里社区" in page and "趋势" in page
    raise_url = url.replace("/?", "/raise/?")
    refused = client.post(raise_url, {"title": ""})
    assert refused.status_code == 400 and "请勾选确认后再发起类案。" in main(refused)
    assert not ClusterTopic.objects.exists()
    done = client.post(raise_url, {"title": "", "confirm": "on"}, follow=True)
    row = ClusterTopic.objects.get()
    assert done.redirect_chain[-1][0] == f"/topics/{row.topic_id}/" and "已发起类案议题" in done.content.decode()
    again = client.post(raise_url, {"confirm": "on"})
    assert again.status_code == 409 and "已立为类案议题" in main(again)  # shown raised, nothing made twice
    resident_page = main(as_persona("resident").get(f"/demands/{lifts[0].pk}/"))
    assert "同类问题已立为类案" in resident_page and row.topic.title in resident_page


def test_a_new_demand_is_offered_for_one_click_merge_into_the_open_cluster(world, as_persona, lifts):
    client = as_persona("street_official")
    client.post(_detail_url(client).replace("/?", "/raise/?"), {"confirm": "on"})
    row = ClusterTopic.objects.get()
    new = report(world, "电梯坏了三天了还没修好", "C1", reporter="resident")
    staff = as_persona("community_staff")
    screen = main(staff.get(f"/demands/{new.pk}/screen/"))
    assert "可能属于类案：" in screen and row.topic.title in screen
    merged = staff.post(f"/oversight/cluster-topics/{row.pk}/join/{new.pk}/", follow=True)
    assert "已并入类案议题" in merged.content.decode()
    new.refresh_from_db()
    assert new.status == "topic" and new.topic_id == row.topic_id
    lamp = report(world, LAMP[0], "C1")
    assert "可能属于类案" not in main(staff.get(f"/demands/{lamp.pk}/screen/"))
    refused = staff.post(f"/oversight/cluster-topics/{row.pk}/join/{lamp.pk}/", follow=True)
    assert "该诉求与此类案不符" in refused.content.decode() and Demand.objects.get(pk=lamp.pk).status == "pending"


def test_the_cluster_offered_at_screening_follows_the_category_the_screener_chooses(world, as_persona, lifts):
    client = as_persona("street_official")
    client.post(_detail_url(client).replace("/?", "/raise/?"), {"confirm": "on"})
    row = ClusterTopic.objects.get()
    misfiled = report(world, "电梯坏了三天了还没修好", "C1", reporter="resident", category_code="property")
    staff, url, facilities = as_persona("community_staff"), f"/demands/{misfiled.pk}/screen/", category("facilities")
    assert "可能属于类案" not in main(staff.get(url))  # filed under another category: no 类案 offered
    assert "可能属于类案" not in main(staff.get(url, {"category": "junk"}))  # junk: the stored category
    hints = staff.get(url, {"category": facilities.pk}, HTTP_HX_REQUEST="true")  # the select changed (htmx)
    html = hints.content.decode()
    assert hints.status_code == 200 and "<html" not in html and row.topic.title in html
    assert "并入后类别改为“设施维护”" in html and "可能属于 1 个类案" in html  # the line under the select too
    back = staff.get(url, {"category": misfiled.category_id}, HTTP_HX_REQUEST="true").content.decode()
    assert "可能属于类案" not in back  # withdrawn when the screener goes back
    join = f"/oversight/cluster-topics/{row.pk}/join/{misfiled.pk}/"
    refused = staff.post(join, {"category": misfiled.category_id}, follow=True)  # checked with the chosen one
    assert "该诉求与此类案不符" in refused.content.decode()
    assert Demand.objects.get(pk=misfiled.pk).status == "pending"
    staff.post(join, {"category": facilities.pk})
    misfiled.refresh_from_db()
    assert (misfiled.status, misfiled.topic_id, misfiled.category_id) == ("topic", row.topic_id, facilities.pk)
    screened = [e for e in events_of(misfiled) if e.kind == "demand.topic"][-1]
    assert (screened.payload["category"], screened.payload["category_before"]) == ("设施维护", "物业管理")


def test_a_recurrence_shows_its_banner_and_the_list(world, as_persona):
    topic = evaluating_topic(world)
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    earlier = Demand.objects.get(topic=topic)
    again = report(world, "3栋楼道灯又坏了，晚上很黑", "B1", category_code=earlier.category.code)
    staff = as_persona("community_staff")
    screen = main(staff.get(f"/demands/{again.pk}/screen/"))
    assert "复发" in screen and f'href="/archive/{dossier.pk}/"' in screen and earlier.number in screen
    listed = main(staff.get("/oversight/recurrences/"))
    assert again.number in listed and f'href="/archive/{dossier.pk}/"' in listed
    assert again.number not in main(as_persona("district_official").get(
        f"/oversight/recurrences/?area={world.areas['S2'].pk}"))


def test_the_list_page_reads_the_stored_rows_a_page_at_a_time(world, as_persona, monkeypatch):
    from yishiting.oversight.models import CheckedRecurrence
    from yishiting.web.views import clusters

    monkeypatch.setattr(clusters, "RECURRENCES_PER_PAGE", 2)
    topic = evaluating_topic(world)
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    earlier = Demand.objects.get(topic=topic)
    again = [report(world, "3栋楼道灯又坏了，晚上很黑", "B1", category_code=earlier.category.code) for _ in range(3)]
    staff = as_persona("community_staff")
    first = staff.get("/oversight/recurrences/").content.decode()
    assert "第 1 / 2 页，共 3 条" in first and f'href="/archive/{dossier.pk}/"' in first
    assert again[0].number in first and again[2].number not in first and "page=2" in first
    second = staff.get("/oversight/recurrences/?page=2").content.decode()
    assert again[2].number in second and again[0].number not in second
    assert CheckedRecurrence.objects.filter(earlier=earlier).count() == 3  # checked once, by the catch-up


@pytest.mark.parametrize(("persona", "clusters", "recurrences"), [
    ("resident", 403, 403), ("grid_worker", 403, 403), ("handler", 403, 403),
    ("community_staff", 403, 200), ("community_secretary", 403, 200),
    ("street_official", 200, 200), ("district_official", 200, 200),
])
def test_who_may_open_the_pages(world, as_persona, persona, clusters, recurrences):
    client = as_persona(persona)
    assert client.get("/oversight/clusters/").status_code == clusters
    assert client.get("/oversight/recurrences/").status_code == recurrences


def test_a_street_official_sees_only_their_street_and_cannot_open_anothers_cluster(world, as_persona):
    add_community(world)
    for text, area in zip(LIFT[:3], ["C1", "C2", "C4"], strict=True):
        report(world, text, area)
    spread_s2 = [report(world, t, "C3") for t in LAMP]  # one community of S2 only: never a cluster
    assert spread_s2
    street = as_persona("street_official")
    other = world.areas["S2"].pk
    page = main(street.get(f"/oversight/clusters/?area={other}"))
    assert "选择一个有效的选项" in page or "有效" in page  # S2 is not among the choices
    url = _detail_url(as_persona("district_official"))
    assert street.get(url.split("?")[0] + f"?area={world.areas['D'].pk}").status_code == 404
    assert as_persona("community_secretary").get(url).status_code == 403


def test_bad_filters_say_so_in_chinese_and_show_nothing(world, as_persona, lifts):
    client = as_persona("street_official")
    page = main(client.get("/oversight/clusters/?start=2026-06-01&end=2026-01-01"))
    assert "结束日期不能早于开始日期。" in page and "电梯" not in page
    page = main(client.get("/oversight/clusters/?start=2024-01-01&end=2026-01-01"))
    assert "统计期不能超过一年。" in page
    assert client.get("/oversight/clusters/9-zz/").status_code == 404
