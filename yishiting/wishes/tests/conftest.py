"""Donors next to the personas: a party member and a unit's 单位代表 in 幸福苑社区 (C1), a resident of 和平里 (C2
is resident2's), and a tiny photo."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.testing import make_user


def png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, format="PNG")
    return out.getvalue()


def add_donors(world) -> None:
    a = world.areas
    party = areas.person_create(actor=None, name="党员甲", mobile="13900000001", area=a["G1"])
    make_user(world, "party", party)
    areas.role_assign(actor=None, person=party, role=Role.PARTY_MEMBER, area=a["C1"])
    unit = areas.organization_create(actor=None, kind=OrganizationKind.DUAL_REGISTRATION_UNIT, name="区税务局",
                                     area=a["C1"])
    world.organizations["unit"] = unit
    rep = areas.person_create(actor=None, name="单位代表乙", mobile="13900000002", area=a["G1"])
    make_user(world, "unit_rep", rep)
    areas.role_assign(actor=None, person=rep, role=Role.ORG_REPRESENTATIVE, area=a["C1"], organization=unit)
    neighbour = areas.person_create(actor=None, name="邻居丙", mobile="13900000003", household=world.households["H2"])
    make_user(world, "neighbour", neighbour)
    areas.role_assign(actor=None, person=neighbour, role=Role.RESIDENT, area=a["U1"])


@pytest.fixture
def donors(world):
    add_donors(world)
    return world
