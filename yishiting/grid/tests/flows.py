"""The grid's records in every state, for the crawl (web/tests/crawl_data.py): the chain with a plaque, a 包联
visited this month and one not, a visit with a finding, a patrol with a photo whose finding is already a demand,
a joint patrol with the property company and a 三方对话会."""

from __future__ import annotations

from yishiting.grid import services as grid
from yishiting.grid.choices import RecordKind

from .conftest import add_chain, png


def grid_in_every_state(world) -> dict:
    add_chain(world)
    a, h, u = world.areas, world.households, world.users
    staff = u["community_staff"]
    visited = grid.assignment_create(actor=staff, keeper=world.people["party"], household=h["H1"])
    grid.assignment_create(actor=staff, keeper=world.people["grid_worker"], building=a["B1"])
    visit = grid.record_create(actor=u["party"], entry=grid.RecordEntry(
        kind=RecordKind.VISIT, place=a["B1"], household=h["H1"], summary="入户看望独居老人",
        findings=["老人希望楼道加装扶手"]))
    patrol = grid.record_create(actor=u["grid_worker"], entry=grid.RecordEntry(
        kind=RecordKind.PATROL, place=a["B1"], summary="巡查3栋楼道", position="3栋东侧消防通道",
        findings=["消防通道堆放杂物"], photos=[png()]))
    demand = grid.finding_report(actor=u["grid_worker"], finding=patrol.findings.get())
    joint = grid.record_create(actor=staff, entry=grid.RecordEntry(
        kind=RecordKind.JOINT_PATROL, place=a["G1"], summary="社区、物业、业主代表联合巡查小区",
        participants="物业经理、业主代表两人", organizations=[world.organizations["property"]],
        findings=["小区东门路面破损"]))
    talk = grid.record_create(actor=staff, entry=grid.RecordEntry(
        kind=RecordKind.TRIPARTITE, place=a["G1"], summary="三方对话会：停车位划线方案", participants="物业、业委会、居民代表"))
    return {"assignment": visited, "visit": visit, "patrol": patrol, "demand": demand, "joint": joint, "talk": talk}
