"""The liaison permissions as a role × place matrix (the world's personas; C1, C2 in 东风街道 S1, C3 in 西湖街道 S2)."""

import pytest

from yishiting.common.rules import has_perm

pytestmark = pytest.mark.django_db

# (persona, permission, area code) → allowed
MATRIX = [
    ("district_official", "liaison.links_manage", "C3", True),
    ("street_official", "liaison.links_manage", "C1", True),
    ("street_official", "liaison.links_manage", "C3", False),
    ("community_secretary", "liaison.links_manage", "C1", False),
    ("admin", "liaison.links_manage", "C3", True),
    ("community_secretary", "liaison.links_view", "C1", True),
    ("community_secretary", "liaison.links_view", "C2", False),
    ("grid_worker", "liaison.links_view", "C1", False),
    ("resident", "liaison.links_view", "C1", False),
    ("community_staff", "liaison.records_view", "C1", True),
    ("street_official", "liaison.records_view", "C2", True),
    ("street_official", "liaison.records_view", "C3", False),
    ("grid_worker", "liaison.records_view", "G1", False),
    ("resident", "liaison.records_view", "C1", False),
    ("handler", "liaison.records_view", "S1", False),
    ("deputy", "liaison.record", "G1", True),
    ("deputy", "liaison.record", "C1", True),
    ("deputy", "liaison.record", "C2", False),
    ("community_staff", "liaison.record", "C1", False),
    ("resident", "liaison.record", "C1", False),
]


@pytest.mark.parametrize(("persona", "permission", "code", "allowed"), MATRIX)
def test_matrix(world, deputy, persona, permission, code, allowed):
    assert has_perm(world.users[persona], permission, world.areas[code]) is allowed


def test_a_deputy_reads_only_their_own_records(world, states):
    from yishiting.areas import services as areas
    from yishiting.areas.choices import Role
    from yishiting.common.testing import make_user
    from yishiting.liaison.selectors import records_visible_to

    other = areas.person_create(actor=None, name="林委员", mobile="13800000022", area=world.areas["C1"])
    make_user(world, "deputy2", other)
    areas.role_assign(actor=None, person=other, role=Role.DEPUTY, area=world.areas["C1"], title="区政协委员")
    assert records_visible_to(world.users["deputy2"]).count() == 0
    assert records_visible_to(states["deputy"]).count() == 2
    assert records_visible_to(world.users["community_secretary"]).count() == 2
    assert records_visible_to(world.users["resident"]).count() == 0
