"""The participation pages as each person sees them: what shows for whom, 404 out of scope, junk parameters, and
list pages whose query count stays the same whatever the number of orders."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishiting.participation import services as part

from .world import photo

pytestmark = pytest.mark.django_db


def rated_order(cast, title: str):
    o = part.order_place(actor=cast.user("resident"), title=title)
    o = part.order_dispatch(actor=cast.user("community_staff"), order=o, providers=[cast.member_provider])
    o = part.order_accept(actor=cast.user("member"), order=o)
    o = part.order_report(actor=cast.user("member"), order=o, report=part.Report("做完了", "1", [photo()]))
    return part.order_rate(actor=cast.user("resident"), order=o, stars=4)


def queries(client, url: str) -> int:
    client.get(url)  # warm up: per-process caches, session renewal
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/participation/board/", "/participation/showcase/", "/participation/",
                                 "/participation/inbox/"])
def test_list_pages_cost_the_same_for_one_order_or_five(cast, url):
    persona = {"/participation/board/": "community_staff", "/participation/inbox/": "member"}.get(url, "resident")
    client = cast.client(persona)
    rated_order(cast, "第一单")
    part.order_dispatch(actor=cast.user("community_staff"), providers=[cast.member_provider],
                        order=part.order_place(actor=cast.user("resident"), title="待接"))
    one = queries(client, url)
    for n in range(4):
        rated_order(cast, f"第{n + 2}单")
        part.order_dispatch(actor=cast.user("community_staff"), providers=[cast.member_provider],
                            order=part.order_place(actor=cast.user("resident"), title=f"待接{n}"))
    assert queries(client, url) <= one


def test_who_sees_an_order_and_the_showcase_names_nobody(cast):
    order = rated_order(cast, "陪老人去医院，电话13800000001")
    assert "13800000001" not in cast.client("community_staff").get(f"/participation/orders/{order.pk}/").content.decode()
    for persona, status in [("resident", 200), ("member", 200), ("community_staff", 200), ("resident2", 404),
                            ("resident3", 404), ("member2", 404)]:
        assert cast.client(persona).get(f"/participation/orders/{order.pk}/").status_code == status, persona
    from django.test import Client

    wall = Client().get(f"/participation/showcase/{cast.member_provider.pk}/").content.decode()
    assert "陪老人去医院" in wall and "党医生" not in wall and "张三" not in wall and "张*" not in wall


def test_junk_and_missing_ids_are_never_a_server_error(cast):
    staff = cast.client("community_staff")
    assert staff.get("/participation/board/?status=nonsense").status_code == 404
    assert staff.get("/participation/board/?page=-1").status_code == 200
    assert cast.client("resident").get("/participation/order/?item=abc").status_code == 200
    assert cast.client("resident").get("/participation/order/?item=999999").status_code == 404
    assert staff.get(f"/participation/units/{cast.unit.pk}/report/2099/1.pdf").status_code == 404
    assert cast.client("resident").get(f"/participation/units/{cast.unit.pk}/").status_code == 404
    assert cast.client("resident").get("/participation/board/").status_code == 403


def test_a_member_registers_and_the_staff_register_a_unit_through_the_pages(cast):
    page = cast.client("member2").post("/participation/register/", {"posts": ["patrol"], "skills": "电工",
                                                                     "partner": "on"}, follow=True)
    assert "报到成功" in page.content.decode()
    from yishiting.areas import services as area_services
    from yishiting.areas.choices import OrganizationKind

    org = area_services.organization_create(actor=None, kind=OrganizationKind.RESIDENT_UNIT, name="幸福供电所",
                                            area=cast.world.areas["C1"])
    page = cast.client("community_staff").post("/participation/units/new/", {
        "organization": org.pk, "resources": "电工", "commitments": "每月检修一次", "contact_name": "王所长",
        "contact_phone": "13900000099", "signed_on": "2026-03-01"}, follow=True)
    body = page.content.decode()
    assert "单位已报到" in body and "幸福供电所" in body and "13900000099" not in body
