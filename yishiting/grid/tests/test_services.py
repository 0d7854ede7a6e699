"""The services of the grid: 包联 inside one's scope, a visit or patrol recorded once (idempotent), a finding made a
demand once and linked both ways, and coverage that counts what the month holds."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.demands.choices import Channel
from yishiting.grid import selectors
from yishiting.grid import services as grid
from yishiting.grid.choices import RecordKind
from yishiting.grid.models import FieldRecord

from .conftest import png

pytestmark = pytest.mark.django_db


def _patrol(world, user="grid_worker", **kwargs):
    entry = grid.RecordEntry(kind=kwargs.pop("kind", RecordKind.PATROL), place=world.areas["B1"],
                             summary="巡查3栋楼道", findings=kwargs.pop("findings", ["3栋消防通道堆放杂物"]), **kwargs)
    return grid.record_create(actor=world.users[user], entry=entry, idempotency_key=kwargs.get("key"))


def test_assignment_within_scope_and_once(chain):
    w = chain
    staff = w.users["community_staff"]
    a = grid.assignment_create(actor=staff, keeper=w.people["party"], household=w.households["H1"])
    assert a.estate == w.areas["G1"] and a.path == w.households["H1"].path
    with pytest.raises(Conflict):
        grid.assignment_create(actor=staff, keeper=w.people["party"], household=w.households["H1"])
    with pytest.raises(PermissionDeniedError):  # another community's household
        grid.assignment_create(actor=staff, keeper=w.people["party"], household=w.households["H3"])
    with pytest.raises(PermissionDeniedError):  # a grid worker does not assign
        grid.assignment_create(actor=w.users["grid_worker"], keeper=w.people["party"], building=w.areas["B1"])
    with pytest.raises(DomainError) as exc:  # a plain resident keeps no household
        grid.assignment_create(actor=staff, keeper=w.people["resident"], building=w.areas["B1"])
    assert exc.value.code == "not_a_keeper"
    ended = grid.assignment_end(actor=staff, assignment=a)
    assert not ended.is_active
    assert grid.assignment_create(actor=staff, keeper=w.people["party"], household=w.households["H1"]).is_active


def test_unvisited_this_month_until_a_visit(chain):
    w = chain
    grid.assignment_create(actor=w.users["community_staff"], keeper=w.people["party"], household=w.households["H1"])
    month = selectors.Month.parse("")
    assert [a.visited for a in selectors.assignments_of(w.people["party"], month)] == [False]
    grid.record_create(actor=w.users["party"], entry=grid.RecordEntry(
        kind=RecordKind.VISIT, place=w.areas["B1"], household=w.households["H1"], summary="入户了解老人近况"))
    assert [a.visited for a in selectors.assignments_of(w.people["party"], month)] == [True]
    assert [a.visited for a in selectors.assignments_of(w.people["party"], month.previous)] == [False]


def test_record_with_photo_is_idempotent(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = dict(kind=RecordKind.PATROL, place=world.areas["B1"], summary="巡查", findings=["路灯坏了"], photos=[png()])
    first = grid.record_create(actor=world.users["grid_worker"], entry=grid.RecordEntry(**entry), idempotency_key="k1")
    again = grid.record_create(actor=world.users["grid_worker"], entry=grid.RecordEntry(**entry), idempotency_key="k1")
    assert first.pk == again.pk and FieldRecord.objects.count() == 1 and first.photos.count() == 1
    with pytest.raises(Conflict):
        grid.record_create(actor=world.users["grid_worker"], idempotency_key="k1",
                           entry=grid.RecordEntry(**{**entry, "summary": "另一次"}))


def test_record_refused_outside_scope_and_without_household(world):
    with pytest.raises(PermissionDeniedError):
        grid.record_create(actor=world.users["grid_worker"], entry=grid.RecordEntry(
            kind=RecordKind.PATROL, place=world.areas["B2"], summary="巡查"))
    with pytest.raises(DomainError) as exc:
        grid.record_create(actor=world.users["grid_worker"], entry=grid.RecordEntry(
            kind=RecordKind.VISIT, place=world.areas["B1"], summary="走访"))
    assert exc.value.code == "household_required" and "住户" in exc.value.message
    with pytest.raises(DomainError):
        grid.record_create(actor=world.users["grid_worker"], entry=grid.RecordEntry(
            kind=RecordKind.PATROL, place=world.areas["B1"], summary="  "))


def test_party_member_records_visits_not_joint_patrols(chain):
    w = chain
    with pytest.raises(PermissionDeniedError):
        grid.record_create(actor=w.users["party"], entry=grid.RecordEntry(
            kind=RecordKind.JOINT_PATROL, place=w.areas["G1"], summary="联合巡查"))
    joint = grid.record_create(actor=w.users["community_staff"], entry=grid.RecordEntry(
        kind=RecordKind.JOINT_PATROL, place=w.areas["G1"], summary="社区、物业、业主代表联合巡查",
        participants="物业经理、业主代表两人", organizations=[w.organizations["property"]]))
    assert list(joint.organizations.all()) == [w.organizations["property"]]


def test_finding_becomes_one_demand_linked_both_ways(world):
    record = _patrol(world)
    finding = record.findings.get()
    demand = grid.finding_report(actor=world.users["grid_worker"], finding=finding)
    assert demand.channel == Channel.PATROL and demand.text == "3栋消防通道堆放杂物"
    assert demand.area == world.areas["B1"] and demand.grid_finding.record == record
    assert grid.finding_report(actor=world.users["grid_worker"], finding=finding).pk == demand.pk


def test_visit_finding_enters_by_home_visit(chain):
    w = chain
    record = grid.record_create(actor=w.users["grid_worker"], entry=grid.RecordEntry(
        kind=RecordKind.VISIT, place=w.areas["B1"], household=w.households["H1"], summary="入户",
        findings=["老人希望加装扶手"]))
    demand = grid.finding_report(actor=w.users["grid_worker"], finding=record.findings.get())
    assert demand.channel == Channel.HOME_VISIT and demand.area == w.areas["U1"]


def test_coverage_counts_the_month(chain):
    w = chain
    grid.assignment_create(actor=w.users["community_staff"], keeper=w.people["party"], household=w.households["H1"])
    grid.assignment_create(actor=w.users["community_staff"], keeper=w.people["party"], household=w.households["H2"])
    grid.record_create(actor=w.users["party"], entry=grid.RecordEntry(
        kind=RecordKind.VISIT, place=w.areas["B1"], household=w.households["H1"], summary="入户"))
    _patrol(w)
    [row] = selectors.coverage_for([w.areas["G1"]], selectors.Month.parse(""))
    assert (row.households, row.visited, row.assigned, row.assigned_unvisited) == (2, 1, 2, 1)
    assert (row.patrols, row.findings, row.reported, row.solved_in_grid) == (1, 1, 0, 0)
    assert row.visited_share == 50


def test_chain_for_names_office_masks_residents(chain):
    rows = selectors.chain_for(chain.areas["U1"])
    shown = {r.label: r for r in rows}
    assert shown["网格员"].name == "赵网格" and shown["网格员"].in_office
    assert shown["楼栋长"].name == "楼**" and shown["红色楼栋长"].name.startswith("红")
    assert "戊" not in shown["红色楼栋长"].name
    central = shown["党员中心户"]
    assert central.name == "党**" and central.plaque_on.isoformat() == "2026-03-01"
