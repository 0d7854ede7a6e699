"""The back office for the grid: records and 包联 listed within the staff member's scope, read-only; a plaque is
registered through the service and only on a serving 党员中心户."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.areas.choices import Role
from yishiting.areas.models import RoleAssignment
from yishiting.grid import services as grid
from yishiting.grid.choices import RecordKind
from yishiting.grid.models import Plaque

pytestmark = pytest.mark.django_db


def staff_client(world, persona: str) -> Client:
    user = world.users[persona]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_records_are_listed_within_scope_and_read_only(chain):
    w = chain
    grid.record_create(actor=w.users["grid_worker"], entry=grid.RecordEntry(
        kind=RecordKind.PATROL, place=w.areas["B1"], summary="幸福苑巡查记录"))
    mine = staff_client(w, "community_secretary").get("/admin/grid/fieldrecord/")
    assert mine.status_code == 200 and "幸福苑小区" in mine.content.decode()
    other = staff_client(w, "street_official")
    assert "幸福苑小区" in other.get("/admin/grid/fieldrecord/").content.decode()
    assert staff_client(w, "community_secretary").get("/admin/grid/fieldrecord/add/").status_code == 403


def test_plaque_only_on_a_central_household(chain):
    w = chain
    client = staff_client(w, "community_secretary")
    head = RoleAssignment.objects.get(role=Role.BUILDING_HEAD, person__name="楼长丁")
    refused = client.post("/admin/grid/plaque/add/", {"role": head.pk, "hung_on": "2026-05-01"})
    assert refused.status_code == 200 and "只有在任的党员中心户可以挂牌" in refused.content.decode()
    central = RoleAssignment.objects.get(role=Role.CENTRAL_HOUSEHOLD)
    done = client.post(f"/admin/grid/plaque/{Plaque.objects.get().pk}/change/", {"role": central.pk,
                                                                               "hung_on": "2026-05-01"})
    assert done.status_code == 302 and Plaque.objects.get().hung_on.isoformat() == "2026-05-01"
