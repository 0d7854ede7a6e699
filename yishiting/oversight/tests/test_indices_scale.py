"""堡垒指数 / 先锋指数 at two sizes: computing both indices, the ranking page and its XLSX export take the same
number of queries with 3 party organisations as with 3 + 2 × 6 more (each with a member who reported a
demand), while the figures of the added organisations are still counted down to their records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.testing import make_user
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.oversight.indices.selectors import part_records
from yishiting.oversight.indices.services import indices_compute
from yishiting.oversight.models import IndexKind, IndexSnapshot

from .party_world import party_world


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _grow(world, count: int, start: int) -> None:
    """`count` more communities under 西湖街道, each with a party committee, an estate branch, a member of the
    branch and a demand the member reported."""
    street, community, estate = world.areas["S2"], world.areas["C3"], world.areas["G3"]
    for i in range(start, start + count):
        c = areas.area_create(actor=None, name=f"新社区{i}", level=community.level, code=f"NC{i}", parent=street)
        g = areas.area_create(actor=None, name=f"新小区{i}", level=estate.level, code=f"NG{i}", parent=c)
        committee = areas.organization_create(actor=None, kind=OrganizationKind.PARTY_COMMITTEE, name=f"新社区{i}党委",
                                              area=c)
        branch = areas.organization_create(actor=None, kind=OrganizationKind.PARTY_BRANCH, name=f"新小区{i}党支部",
                                           area=g, parent=committee)
        person = areas.person_create(actor=None, name=f"党员{i}", mobile=f"1390000{i:04d}", area=g)
        make_user(world, f"member{i}", person)
        areas.role_assign(actor=None, person=person, role=Role.RESIDENT, area=g)
        areas.role_assign(actor=None, person=person, role=Role.PARTY_MEMBER, area=g, organization=branch)
        demand_submit(actor=world.users[f"member{i}"], submission=Submission(text=f"新小区{i}路灯不亮", area=g))


def _costs(world) -> dict[str, int]:
    client = Client()
    client.force_login(world.users["district_official"])
    costs = {}
    indices_compute(period="month", on=timezone.localdate())  # the new subjects' snapshots are created
    with CaptureQueriesContext(connection) as computing:  # the recompute: every subject read and written again
        indices_compute(period="month", on=timezone.localdate())
    costs["compute"] = len(computing)
    client.get("/oversight/indices/")  # the session and settings caches warm up once
    for kind in IndexKind.values:
        with CaptureQueriesContext(connection) as page:
            assert client.get(f"/oversight/indices/?kind={kind}").status_code == 200
        costs[f"ranking {kind}"] = len(page)
        with CaptureQueriesContext(connection) as export:
            response = client.get(f"/oversight/indices.xlsx?kind={kind}")
            assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        costs[f"export {kind}"] = len(export)
    return costs


def test_indices_cost_the_same_queries_at_two_sizes(world):
    party_world(world)
    small = _costs(world)
    _grow(world, 6, 1)
    middle = _costs(world)
    _grow(world, 6, 7)
    large = _costs(world)
    assert small == middle == large, (small, middle, large)
    assert IndexSnapshot.objects.filter(kind=IndexKind.FORTRESS, period="month").count() == 3 + 2 * 12
    # The added organisations are still counted, down to their records.
    committee = IndexSnapshot.objects.get(kind=IndexKind.FORTRESS, period="month", organization__name="新社区12党委")
    _part, page = part_records(committee, "demands_received", 1)
    assert [r["title"] for r in page.object_list] == [Demand.objects.get(text="新小区12路灯不亮").number]
    assert (committee.rank, committee.peers) == (1, 12)  # tied at the top with the other new committees
    member = IndexSnapshot.objects.get(kind=IndexKind.PIONEER, period="month", person__name="党员12")
    assert member.part("demands_reported")["considered"] == 1 and member.peer_area.name == "新社区12"
