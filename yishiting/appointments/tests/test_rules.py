"""Who books and who works the desk, role × scope: residents book their community's and their street's services
(staff list only the services of their own subtree, which they work),
not another community's; the desk is the staff's of the service's subtree; setting services up is the office's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.appointments.selectors import desk_bookings, services_for
from yishiting.appointments.tests.flows import bookings_in_every_state
from yishiting.common.rules import has_perm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona, community, street", [
    ("resident", True, True), ("resident2", False, True), ("resident3", False, False),
    ("community_staff", True, False), ("street_official", True, True), ("handler", False, False)])
def test_who_sees_which_services(world, persona, community, street):
    bookings_in_every_state(world)
    names = set(services_for(world.users[persona]).values_list("name", flat=True))
    assert ("法律顾问值班咨询" in names) is community and ("户籍业务办理" in names) is street


@pytest.mark.parametrize("persona, books, desk, manage", [
    ("resident", True, False, False), ("grid_worker", False, True, False), ("community_staff", False, True, True),
    ("community_secretary", False, True, True), ("street_official", False, True, True), ("handler", False, False, False)])
def test_role_grants(world, persona, books, desk, manage):
    user = world.users[persona]
    assert has_perm(user, "appointments.book") is books
    assert has_perm(user, "appointments.desk") is desk
    assert has_perm(user, "appointments.manage", world.areas["C1"]) is manage


@pytest.mark.parametrize("persona, sees_community, sees_street", [
    ("community_staff", True, False), ("street_official", True, True), ("district_official", True, True),
    ("grid_worker", False, False), ("resident", False, False)])
def test_the_desk_sees_its_subtree(world, persona, sees_community, sees_street):
    states = bookings_in_every_state(world)
    day = timezone.localdate(states["booked"].slot.starts_at)
    rows = set(desk_bookings(world.users[persona], day).values_list("service__name", flat=True))
    assert ("法律顾问值班咨询" in rows) is sees_community and ("户籍业务办理" in rows) is sees_street
