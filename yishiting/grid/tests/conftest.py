"""The grid chain next to the personas: a party member (中心户 of 幸福苑3栋1单元, with a plaque), a building head and a
red building head of 幸福苑3栋 (residents), and a tiny photo."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user
from yishiting.grid import services as grid


def png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, format="PNG")
    return out.getvalue()


def add_chain(world) -> None:
    a = world.areas
    party = world.people.get("party")  # the wishes' donors (crawl data) may have made 党员甲 already
    if party is None:
        party = areas.person_create(actor=None, name="党员甲", mobile="13900000001", household=world.households["H2"])
        make_user(world, "party", party)
        areas.role_assign(actor=None, person=party, role=Role.PARTY_MEMBER, area=a["C1"])
    central = areas.role_assign(actor=None, person=party, role=Role.CENTRAL_HOUSEHOLD, area=a["U1"],
                                title="党员中心户")
    grid.plaque_hang(actor=None, role=central, hung_on=date(2026, 3, 1))
    head = areas.person_create(actor=None, name="楼长丁", mobile="13900000004", area=a["B1"])
    make_user(world, "building_head", head)
    areas.role_assign(actor=None, person=head, role=Role.BUILDING_HEAD, area=a["B1"], title="楼栋长")
    red = areas.person_create(actor=None, name="红楼长戊", mobile="13900000005", area=a["B1"])
    areas.role_assign(actor=None, person=red, role=Role.RED_BUILDING_HEAD, area=a["B1"], title="红色楼栋长")


@pytest.fixture
def chain(world):
    add_chain(world)
    return world
