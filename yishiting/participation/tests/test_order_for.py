"""Staff ordering from the service menu for a resident without a phone (issue 19): the order is the resident's
(their orders list it, they rate it), recorded as placed by the staff member, the event names both; only people
of the staff member's area, from the resident's own community's menu."""

from __future__ import annotations

import pytest

from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.participation import services as part
from yishiting.participation.models import ServiceOrder
from yishiting.participation.rules import may_rate
from yishiting.participation.selectors import orders_of, orders_visible_to

from .world import photo

pytestmark = pytest.mark.django_db


def test_staff_order_for_a_resident_who_sees_and_rates_it(cast):
    elder = cast.world.people["resident"]
    order = part.order_place(actor=cast.user("grid_worker"), item=cast.item, resident=elder)
    assert order.resident == elder and order.placed_by == cast.world.people["grid_worker"]
    assert list(orders_of(elder)) == [order]
    assert orders_visible_to(cast.user("grid_worker")).filter(pk=order.pk).exists()  # the placer follows it
    event = Event.objects.get(kind="order.placed")
    assert event.actor_id == cast.user("grid_worker").pk
    assert (event.payload["for_person"], event.payload["by_person"]) == (elder.pk, cast.world.people["grid_worker"].pk)
    assert elder.notifications.filter(text__contains="已为您点单").exists()
    part.order_dispatch(actor=cast.user("community_staff"), order=order, providers=[cast.member_provider])
    order = part.order_accept(actor=cast.user("member"), order=ServiceOrder.objects.get(pk=order.pk))
    order = part.order_report(actor=cast.user("member"), order=order,
                              report=part.Report(text="上门理发", hours="1", photos=[photo()]))
    assert may_rate(cast.user("resident"), order) and not may_rate(cast.user("grid_worker"), order)


def test_staff_order_only_for_people_of_their_area_from_their_menu(cast):
    with pytest.raises(PermissionDeniedError):
        part.order_place(actor=cast.user("community_staff"), title="上门理发", resident=cast.world.people["resident2"])
    with pytest.raises(PermissionDeniedError):
        part.order_place(actor=cast.user("resident"), title="上门理发", resident=cast.world.people["resident2"])
    with pytest.raises(DomainError) as exc:  # the street orders for 和平里's resident, not from 幸福苑's menu
        part.order_place(actor=cast.user("street_official"), item=cast.item, resident=cast.world.people["resident2"])
    assert exc.value.code == "item_unavailable"
    assert not ServiceOrder.objects.exists()


def test_the_order_page_gives_staff_the_people_picker_and_the_menu(cast):
    staff, elder = cast.client("grid_worker"), cast.world.people["resident"]
    home = staff.get("/participation/").content.decode()
    assert "代居民点单" in home
    page = staff.get("/participation/order/").content.decode()
    assert "为哪位居民点单" in page and "/pick/orderer/" in page and cast.item.title in page
    assert "为哪位居民点单" not in cast.client("resident").get("/participation/order/").content.decode()
    assert "代居民点单" not in cast.client("resident").get("/participation/").content.decode()
    found = staff.get("/pick/orderer/?name=resident&resident_q=0001").content.decode()
    assert "张*" in found and "张三" not in found
    assert cast.client("resident").get("/pick/orderer/?name=resident&resident_q=张").status_code == 403

    missing = staff.post("/participation/order/", {"menu_item": cast.item.pk})
    assert missing.status_code == 400 and "请查找并选择要代为点单的居民" in missing.content.decode()
    assert not ServiceOrder.objects.exists()
    response = staff.post("/participation/order/", {"resident": elder.pk, "menu_item": cast.item.pk,
                                                    "wanted": "周六上午"}, follow=True)
    order = ServiceOrder.objects.get()
    assert order.resident == elder and order.placed_by == cast.world.people["grid_worker"]
    assert "已为张*点单" in response.content.decode()  # the grid worker follows the order they placed
    mine = cast.client("resident").get("/participation/").content.decode()
    assert order.number in mine
    assert "代点" in cast.client("resident").get(f"/participation/orders/{order.pk}/").content.decode()


def test_who_may_order_for_which_resident(cast):
    """Role × scope: the staff of an area (grid workers included) over its people; never residents or providers."""
    from yishiting.common.rules import has_perm

    from .test_rules import PERSONAS

    def allowed(person):
        return {p for p in PERSONAS if has_perm(cast.user(p), "participation.order_for", person)}

    office = {"community_staff", "community_secretary", "street_official", "district_official"}
    assert allowed(cast.world.people["resident"]) == office | {"grid_worker"}
    assert allowed(cast.world.people["resident2"]) == {"street_official", "district_official"}
    assert allowed(cast.world.people["resident3"]) == {"district_official"}
