"""The 微心愿 pages as each persona meets them: the wall needs no login and names nobody; a neighbour reads the
approved text but not the original; the review queue is the office's; lists cost the same queries at any volume."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yishiting.wishes import services as wishes
from yishiting.wishes.tests.conftest import add_donors
from yishiting.wishes.tests.flows import wishes_in_every_state

pytestmark = pytest.mark.django_db


def _approved(world, n: int) -> None:
    for i in range(n):
        wish = wishes.wish_post(actor=world.users["resident"], category="daily", text=f"想要第{i}个小台灯")
        wishes.wish_approve(actor=world.users["community_staff"], wish=wish, public_text=f"想要一个小台灯（{i}）",
                            no_money=True, no_personal_data=True)


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm up: the per-process header cache, the session renewal
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_wall_is_public_and_names_nobody(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    states = wishes_in_every_state(world)
    page = Client().get("/wishes/wall/").content.decode()
    assert states["fulfilled"].public_text in page and states["open"].public_text in page
    assert states["pending"].original_text not in page and "张三" not in page and "谢谢网格员" not in page
    assert "幸福苑社区" in page and "幸福苑小区" not in page
    assert Client().get(f"/wishes/wall/?community={world.areas['C2'].pk}").content.decode().count("demand-list") == 0
    assert Client().get("/wishes/wall/?community=abc").status_code == 200
    assert Client().get(f"/wishes/wall/?community={world.areas['G1'].pk}").status_code == 404
    assert Client().get("/wishes/").status_code == 302  # the rest needs a login


def test_a_neighbour_reads_the_public_text_and_claims(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_donors(world)
    states = wishes_in_every_state(world)
    client = Client()
    client.force_login(world.users["neighbour"])
    page = client.get(f"/wishes/{states['open'].pk}/").content.decode()
    assert "我来认领" in page and "心愿原文" not in page
    assert client.get(f"/wishes/{states['pending'].pk}/").status_code == 404
    assert client.get("/wishes/review/").status_code == 403
    staff = Client()
    staff.force_login(world.users["community_staff"])
    queue = staff.get("/wishes/review/").content.decode()
    assert states["pending"].number in queue and states["open"].number not in queue
    for_elderly = staff.get(f"/wishes/{states['for_elderly'].pk}/").content.decode()
    assert "3栋独居老人" in for_elderly and "通过并公开" in for_elderly


def test_the_wall_and_the_home_cost_the_same_queries_at_any_volume(world, as_persona):
    _approved(world, 2)
    wall_few, home_few = _queries(Client(), "/wishes/wall/"), _queries(as_persona("resident"), "/wishes/")
    _approved(world, 15)
    assert _queries(Client(), "/wishes/wall/") == wall_few
    assert _queries(as_persona("resident"), "/wishes/") == home_few
