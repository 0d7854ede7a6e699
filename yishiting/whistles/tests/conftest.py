"""Whistle people next to the personas: the property company's 单位代表 (its 经理) in 幸福苑社区 (C1), a party
member of C1, the community police station of S1 with its officer, and helpers to blow a whistle."""

from __future__ import annotations

import pytest

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.testing import make_user
from yishiting.whistles import services as whistles


def add_units(world) -> None:
    """Idempotent on a world other fixtures filled (the crawl's: the wishes' donors add a "party" too)."""
    a = world.areas
    if "property_rep" in world.users:
        return
    rep = areas.person_create(actor=None, name="物业经理甲", mobile="13900000011", area=a["G1"])
    make_user(world, "property_rep", rep)
    areas.role_assign(actor=None, person=rep, role=Role.ORG_REPRESENTATIVE, area=a["C1"],
                      organization=world.organizations["property"])
    police = areas.organization_create(actor=None, kind=OrganizationKind.COMMUNITY_POLICE, name="东风派出所幸福苑警务室",
                                       area=a["S1"])
    world.organizations["police"] = police
    officer = areas.person_create(actor=None, name="民警乙", mobile="13900000012", area=a["S1"])
    make_user(world, "police", officer)
    areas.role_assign(actor=None, person=officer, role=Role.HANDLER, area=a["S1"], organization=police)
    if "party" not in world.users:
        party = areas.person_create(actor=None, name="党员丙", mobile="13900000013", area=a["G1"])
        make_user(world, "party", party)
        areas.role_assign(actor=None, person=party, role=Role.PARTY_MEMBER, area=a["C1"])


@pytest.fixture
def units(world):
    add_units(world)
    return world


def blow(world, who: str = "grid_worker", keys=("agency", "property"), days: int = 3, **kwargs):
    kwargs.setdefault("area", world.areas["G1"])
    return whistles.whistle_blow(actor=world.users[who], text=kwargs.pop("text", "幸福苑3栋旁占道经营、油烟扰民，多次劝说无效"),
                                 units=[world.organizations[k] for k in keys], days=days, **kwargs)


def png(color: str = "red") -> bytes:
    from yishiting.wishes.tests.conftest import png as wish_png

    return wish_png(color)
