"""The back office: the community's office adds a menu item and sets its menu's hours through the services;
lists are scoped to their communities."""

from __future__ import annotations

import pytest

from yishiting.common.events import events_of
from yishiting.participation.models import MenuItem, ServiceMenu
from yishiting.web.tests.test_demands_admin import listed, staff_client

pytestmark = pytest.mark.django_db


def test_menu_items_and_hours_are_saved_through_the_services_within_scope(cast):
    secretary = staff_client(cast.world, "community_secretary")
    response = secretary.post("/admin/participation/menuitem/add/", {
        "provider": cast.volunteer_provider.pk, "title": "代买代送", "description": "", "area": cast.world.areas["C1"].pk,
        "capacity": 2, "times": "工作日下午", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    item = MenuItem.objects.get(title="代买代送")
    assert [e.kind for e in events_of(item)] == ["menu_item.saved"]
    menu = ServiceMenu.objects.get(community=cast.world.areas["C1"])
    response = secretary.post(f"/admin/participation/servicemenu/{menu.pk}/change/",
                              {"title": "幸福苑服务菜单", "accept_hours": 12, "is_published": "on"})
    assert response.status_code == 302
    assert ServiceMenu.objects.get(pk=menu.pk).accept_hours == 12
    assert listed(staff_client(cast.world, "street_official"), "/admin/participation/menuitem/") != []
    other = staff_client(cast.world, "grid_worker")
    assert other.get("/admin/participation/menuitem/").status_code == 403
