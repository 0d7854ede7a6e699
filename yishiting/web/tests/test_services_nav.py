"""社区服务 (issue 19) is one entry of the top menu, not six: it opens the first service the person may use, and
every service page lists the others in the row under the header (as 统计考评 does for the officials' pages)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SERVICES = ["为民服务", "志愿服务", "微心愿", "事务预约", "幸福食堂", "积分"]


def _page(world, persona: str, url: str) -> str:
    client = Client()
    client.force_login(world.users[persona])
    response = client.get(url)
    assert response.status_code == 200, (persona, url, response.status_code)
    return response.content.decode()


def _top_menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav.*?</nav>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", link).strip() for link in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]


def _sub_menu(html: str) -> list[str]:
    found = re.search(r'<nav class="sub-nav[^"]*" aria-label="([^"]+)"><ul>(.*?)</ul></nav>', html, re.S)
    return [found.group(1), *re.findall(r">([^<]+)</a>", found.group(2))] if found else []


@pytest.mark.parametrize("persona", ["resident", "community_staff"])
def test_one_menu_entry_opens_the_services_and_their_row_links_each(world, persona):
    home = _page(world, persona, "/")
    menu = _top_menu(home)
    assert "社区服务" in menu and not set(SERVICES) & set(menu), menu
    assert _sub_menu(home) == []  # the row belongs to the service pages
    first = re.search(r'<a href="([^"]+)"[^>]*>社区服务</a>', home).group(1)
    row = _sub_menu(_page(world, persona, first))
    assert row[0] == "社区服务" and set(SERVICES) <= set(row[1:]), row
    points = _page(world, persona, "/points/")
    assert 'aria-current="page">积分</a>' in points and 'aria-current="page">社区服务</a>' in points


def test_the_officials_row_stays_theirs(world):
    row = _sub_menu(_page(world, "street_official", "/overview/"))
    assert row[0] == "统计考评" and "统计总览" in row and "积分" not in row
