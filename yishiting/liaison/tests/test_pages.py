"""The liaison pages for every persona and the deputy: no server error, nothing a person must never see (the
crawl's own checker), junk in the query never a 500; who sees what; the forms' Chinese errors."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.common.testing import PERSONAS
from yishiting.liaison.models import ContactRecord, LiaisonLink
from yishiting.web.tests.test_crawl import PAGE_STATUSES, check, junk_urls

pytestmark = pytest.mark.django_db

PAGES = ["/liaison/", "/liaison/links/", "/liaison/links/new/", "/liaison/records/", "/liaison/records/new/",
         "/liaison/deputies/", "/liaison/records/999999999/"]
QUERY = ["q", "method", "year", "state", "page"]


def client(world, name: str) -> Client:
    c = Client(raise_request_exception=True)
    c.force_login(world.users[name])
    return c


def test_every_liaison_page_for_every_persona(world, states):
    urls = PAGES + [f"/liaison/records/{r.pk}/" for r in states["records"]]
    failures = []
    for name in [*PERSONAS, "deputy"]:
        c = client(world, name)
        failures += [f"{name}: {f}" for url in urls for f in check(c, url, PAGE_STATUSES)]
        failures += [f"{name}: {f}" for url in ("/liaison/records/", "/liaison/links/", "/liaison/deputies/")
                     for junk in junk_urls(url, QUERY) for f in check(c, junk, PAGE_STATUSES)]
    assert not failures, "\n".join(failures)


def test_who_opens_what(world, states):
    assert client(world, "resident").get("/liaison/").status_code == 403
    assert client(world, "grid_worker").get("/liaison/records/").status_code == 403
    record = states["records"][0]
    assert client(world, "community_secretary").get(f"/liaison/records/{record.pk}/").status_code == 200
    # 湖滨社区's office (another street) does not see 幸福苑's records; the linked street official does not either
    # (the link is to 湖滨社区), but does see them through their own street.
    assert client(world, "street_official").get(f"/liaison/records/{record.pk}/").status_code == 200
    mine = client(world, "street_official").get("/liaison/").content.decode()
    assert "湖滨社区" in mine and "和平里社区" not in mine


def test_the_deputy_sees_what_became_of_each_matter(world, states):
    page = client(world, "deputy").get(f"/liaison/records/{states['records'][0].pk}/").content.decode()
    assert states["demand"].number in page and "待筛选" in page
    assert page.count("转为诉求</button>") == 1  # the second matter is still a note
    assert "张*" in page and "张三" not in page
    staff_page = client(world, "community_staff").get(f"/liaison/records/{states['records'][0].pk}/").content.decode()
    assert "转为诉求</button>" not in staff_page and "未转为诉求" in staff_page


def test_record_form_errors_are_chinese_and_nothing_is_saved(world, states):
    before = ContactRecord.objects.count()
    page = client(world, "deputy").post("/liaison/records/new/", {
        "area": world.areas["C1"].pk, "held_on": "2026-13-45", "place": "", "method": "phone",
        "deputy_kind": "npc", "people_count": "0"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "日期格式不正确" in text and "请填写地点" in text and "至少 1 人" in text
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    page = client(world, "deputy").post("/liaison/records/new/", {
        "area": world.areas["C1"].pk, "held_on": tomorrow, "place": "社区", "method": "visit",
        "deputy_kind": "npc", "people_count": "3"})
    assert page.status_code == 400 and "联系日期不能晚于今天" in page.content.decode()
    assert ContactRecord.objects.count() == before


def test_lists_filter_and_count(world, states):
    c = client(world, "community_secretary")
    assert "居民家中" in c.get("/liaison/records/?method=visit").content.decode()
    assert "居民家中" not in c.get("/liaison/records/?method=reception").content.decode()
    assert "居民家中" in c.get("/liaison/records/?q=居民家中").content.decode()
    year = c.get(f"/liaison/deputies/?year={timezone.localdate().year}").content.decode()
    row = re.search(r"何代表.*?</tr>", year, re.S).group(0)
    assert [int(n) for n in re.findall(r'class="num">(\d+)<', row)] == [2, 17, 2, 1, 0]
    links = client(world, "district_official").get("/liaison/links/?state=current").content.decode()
    assert "湖滨社区" in links and "和平里社区" not in links


def test_link_form_refuses_a_non_leader_in_chinese(world):
    page = client(world, "district_official").post("/liaison/links/new/", {
        "leader": world.people["resident"].pk, "community": world.areas["C1"].pk,
        "starts_on": timezone.localdate().isoformat()})
    assert page.status_code == 400 and "请选择挂点领导" in page.content.decode()
    assert LiaisonLink.objects.count() == 0
