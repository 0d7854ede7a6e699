"""Who may do what with participation's objects: role × scope (the order and unit of 幸福苑社区, C1)."""

from __future__ import annotations

import pytest

from yishiting.common.rules import has_perm
from yishiting.participation import services as part
from yishiting.participation.rules import (
    may_accept,
    may_cancel,
    may_dispatch,
    may_rate,
    may_report,
    may_see_unit,
)

from .world import photo

pytestmark = pytest.mark.django_db

PERSONAS = ["resident", "resident2", "resident3", "grid_worker", "community_staff", "community_secretary",
            "street_official", "district_official", "handler", "liaison", "member", "member2", "volunteer"]


@pytest.mark.parametrize(("perm", "allowed"), [
    ("participation.dispatch", {"community_staff", "community_secretary", "street_official", "district_official"}),
    ("participation.assess", {"community_staff", "community_secretary"}),
    ("participation.units", {"community_staff", "community_secretary", "street_official", "district_official"}),
    ("participation.order", {"resident", "liaison", "member", "member2", "volunteer"}),
])
def test_permissions_on_the_community_of_the_order(cast, perm, allowed):
    c1 = cast.world.areas["C1"]
    assert {p for p in PERSONAS if has_perm(cast.user(p), perm, c1)} == allowed


def test_each_step_of_an_order_belongs_to_its_people(cast):
    users = {p: cast.user(p) for p in PERSONAS}
    order = part.order_place(actor=users["resident"], item=cast.item)
    assert {p for p, u in users.items() if may_dispatch(u, order)} == {
        "community_staff", "community_secretary", "street_official", "district_official"}
    assert {p for p, u in users.items() if may_cancel(u, order)} == {
        "resident", "community_staff", "community_secretary", "street_official", "district_official"}
    order = part.order_dispatch(actor=users["community_staff"], order=order,
                                providers=[cast.member_provider, cast.unit_provider])
    assert {p for p, u in users.items() if may_accept(u, order)} == {"member", "liaison"}
    order = part.order_accept(actor=users["member"], order=order)
    assert {p for p, u in users.items() if may_report(u, order)} == {"member"}
    order = part.order_report(actor=users["member"], order=order, report=part.Report("done", "1", [photo()]))
    assert {p for p, u in users.items() if may_rate(u, order)} == {"resident"}


def test_a_units_agreement_is_seen_by_its_community_office_and_its_liaison(cast):
    seen = {p for p in PERSONAS if may_see_unit(cast.user(p), cast.unit)}
    assert seen == {"community_staff", "community_secretary", "street_official", "district_official", "liaison"}
