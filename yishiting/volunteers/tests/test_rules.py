"""Role × scope: residents see and join their own community's volunteering only; the office staff of the area
(and above) manage and organise it; a team's leader organises the team's activities and nothing else."""

from __future__ import annotations

import pytest

from yishiting.volunteers.rules import may_join, may_manage, may_organise
from yishiting.volunteers.selectors import activities_visible_to, posts_visible_to, teams_visible_to

pytestmark = pytest.mark.django_db

SEES = {"resident": True, "resident2": False, "resident3": False, "grid_worker": True, "community_staff": True,
        "community_secretary": True, "street_official": True, "district_official": True, "handler": False,
        "admin": True, "leader": True}
ORGANISES = {"resident": False, "resident2": False, "grid_worker": False, "community_staff": True,
             "community_secretary": True, "street_official": True, "district_official": True, "handler": False,
             "admin": True, "leader": True}


@pytest.mark.parametrize("persona, sees", SEES.items())
def test_who_sees_the_community_s_activities_teams_and_posts(v, persona, sees):
    user = v.user(persona)
    assert activities_visible_to(user).filter(pk=v.activity.pk).exists() is sees
    assert teams_visible_to(user).filter(pk=v.team.pk).exists() is sees
    assert posts_visible_to(user).filter(pk=v.post.pk).exists() is sees


@pytest.mark.parametrize("persona, organises", ORGANISES.items())
def test_who_organises_and_confirms(v, persona, organises):
    assert may_organise(v.user(persona), v.activity) is organises


@pytest.mark.parametrize("persona, joins", [("resident", True), ("leader", True), ("resident2", False),
                                            ("resident3", False), ("handler", False)])
def test_only_residents_of_the_community_join(v, persona, joins):
    assert may_join(v.user(persona), v.activity) is joins


def test_a_leader_organises_only_their_own_team_s_activities(v):
    from django.utils import timezone

    from yishiting.volunteers import services as vol

    other = vol.team_create(actor=v.user("community_staff"), area=v.world.areas["C1"], name="助老服务队")
    now = timezone.now()
    theirs = vol.activity_create(actor=v.user("community_staff"), team=other, area=v.world.areas["C1"], title="助老",
                                 place="活动中心", starts_at=now, ends_at=now + timezone.timedelta(hours=1), capacity=3)
    assert not may_organise(v.user("leader"), theirs)
    assert not may_manage(v.user("leader"), v.team)
