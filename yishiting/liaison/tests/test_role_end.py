"""A leader's 挂点 links end with the role that qualified them: revoking the street official's role ends the
link (event liaison.ended naming the role) and the leader stops reading the community at once; another role
that still qualifies keeps it; a role that never qualified ends nothing."""

import pytest
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import RoleAssignment
from yishiting.areas.services import role_assign, role_revoke
from yishiting.common.models import Event
from yishiting.common.rules import has_perm
from yishiting.demands.services import Submission, demand_submit
from yishiting.liaison import services
from yishiting.liaison.models import LiaisonLink

from .conftest import fresh

pytestmark = pytest.mark.django_db


def _link(world):
    return services.link_create(actor=world.users["district_official"], leader=world.people["street_official"],
                                community=world.areas["C3"], starts_on=timezone.localdate())


def _official_role(world):
    return RoleAssignment.objects.get(person=world.people["street_official"], role=Role.STREET_OFFICIAL,
                                      is_active=True)


def test_revoking_the_leaders_role_ends_the_link_and_the_grant_at_once(world):
    demand = demand_submit(actor=world.users["resident3"],
                           submission=Submission(text="湖滨花园路灯不亮", area=world.areas["U3"]))
    link = _link(world)
    leader = world.users["street_official"]
    assert has_perm(fresh(leader), "demands.view", demand)
    role_revoke(actor=world.users["admin"], assignment=_official_role(world))
    link.refresh_from_db()
    assert not link.is_active and link.ends_on == timezone.localdate()
    ended = Event.objects.get(subject_type="liaison.liaisonlink", subject_id=str(link.pk), kind="liaison.ended")
    assert ended.payload["role"] == Role.STREET_OFFICIAL and "职务已结束" in ended.payload["reason"]
    assert not has_perm(fresh(leader), "demands.view", demand)


def test_a_role_that_still_qualifies_keeps_the_link_and_other_roles_end_nothing(world):
    link = _link(world)
    person = world.people["street_official"]
    first = _official_role(world)
    second = role_assign(actor=None, person=person, role=Role.STREET_OFFICIAL, area=world.areas["S2"])
    role_revoke(actor=None, assignment=first)
    assert LiaisonLink.objects.get(pk=link.pk).is_active  # still a street official (of 西湖街道)
    other = role_assign(actor=None, person=person, role=Role.PARTY_MEMBER, area=world.areas["C1"])
    role_revoke(actor=None, assignment=other)
    assert LiaisonLink.objects.get(pk=link.pk).is_active
    role_revoke(actor=None, assignment=second)
    assert not LiaisonLink.objects.get(pk=link.pk).is_active
