"""Bodies beside the fixed personas (common.testing): helpers to add people, roles and a body."""

from __future__ import annotations

import pytest

from yishiting.areas.choices import Role
from yishiting.areas.services import person_create, role_assign
from yishiting.bodies import services
from yishiting.bodies.models import Body, BodyKind
from yishiting.common.testing import World, make_user


def kind(code: str) -> BodyKind:
    return BodyKind.objects.get(code=code)


def add_person(world: World, username: str, name: str, mobile: str, area: str = "C1", role: str | None = None,
               org=None):
    person = person_create(actor=None, name=name, mobile=mobile, area=world.areas[area])
    make_user(world, username, person)
    if role:
        role_assign(actor=None, person=person, role=role, area=world.areas[area], organization=org)
    return person


def council(world: World) -> Body:
    """幸福苑社区党群议事会 with the secretary as convener, the staff as secretary and the resident as member."""
    staff = world.users["community_staff"]
    body = services.body_create(actor=staff, area=world.areas["C1"], kind=kind("party_mass_council"))
    services.membership_add(actor=staff, body=body, person=world.people["community_secretary"], role="convener")
    services.membership_add(actor=staff, body=body, person=world.people["community_staff"], role="secretary")
    services.membership_add(actor=staff, body=body, person=world.people["resident"])
    return body


@pytest.fixture
def body(world) -> Body:
    return council(world)


__all__ = ["Role", "add_person", "council", "kind"]
