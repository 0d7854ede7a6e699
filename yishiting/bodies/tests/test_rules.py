"""bodies.view and bodies.manage as a role × scope matrix: the community office keeps the bodies of its subtree,
officials and grid workers read them, residents see their own community's bodies and nobody else's."""

from __future__ import annotations

import pytest

from yishiting.bodies import services
from yishiting.bodies.rules import may_manage, may_view
from yishiting.bodies.selectors import bodies_visible_to

from .conftest import kind

pytestmark = pytest.mark.django_db

# persona: (sees 幸福苑社区's body, sees its estate's body, sees 湖滨社区's body, keeps 幸福苑's, keeps 湖滨's)
MATRIX = {
    "resident": (True, True, False, False, False),
    "resident3": (False, False, True, False, False),
    "grid_worker": (True, True, False, False, False),
    "community_staff": (True, True, False, True, False),
    "community_secretary": (True, True, False, True, False),
    "street_official": (True, True, False, False, False),
    "district_official": (True, True, True, False, False),
    "handler": (False, False, False, False, False),
}


@pytest.fixture
def three(world):
    create = services.body_create
    return (create(actor=None, area=world.areas["C1"], kind=kind("party_mass_council")),
            create(actor=None, area=world.areas["G1"], kind=kind("estate_council")),
            create(actor=None, area=world.areas["C3"], kind=kind("party_mass_council")))


@pytest.mark.parametrize("persona", MATRIX)
def test_role_by_scope(world, three, persona):
    user = world.users[persona]
    community, estate, other = three
    sees_c1, sees_g1, sees_c3, keeps_c1, keeps_c3 = MATRIX[persona]
    assert [may_view(user, b) for b in three] == [sees_c1, sees_g1, sees_c3]
    assert set(bodies_visible_to(user)) == {b for b, seen in zip(three, (sees_c1, sees_g1, sees_c3), strict=True) if seen}
    assert (may_manage(user, community), may_manage(user, other)) == (keeps_c1, keeps_c3)
    assert may_manage(user, estate) == keeps_c1  # the subtree: the community office keeps its estates' bodies


def test_an_anonymous_visitor_sees_nothing(world, three):
    from django.contrib.auth.models import AnonymousUser

    assert not may_view(AnonymousUser(), three[0]) and not bodies_visible_to(AnonymousUser()).exists()
