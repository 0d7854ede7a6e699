"""Who sees, answers and closes a whistle, role × scope: the staff of its subtree see it, other communities'
never; party members see those they blew; a unit's people see only the whistles naming their unit, and answer
only for it; the office staff close, the grid worker does not."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.rules import has_perm
from yishiting.common.testing import make_user
from yishiting.whistles.rules import may_cancel, may_close, may_respond
from yishiting.whistles.selectors import area_whistles, to_answer, whistles_visible_to

from .conftest import blow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona, sees", [
    ("grid_worker", True), ("community_staff", True), ("community_secretary", True), ("street_official", True),
    ("district_official", True), ("handler", True), ("property_rep", True), ("police", False),
    ("resident", False), ("resident2", False), ("party", False)])
def test_a_whistle_is_seen_by_its_subtree_and_its_units(units, persona, sees):
    w = blow(units)  # at 幸福苑小区 (G1), calling the 城管 (handler) and the property company (property_rep)
    assert whistles_visible_to(units.users[persona]).filter(pk=w.pk).exists() is sees


def test_a_party_member_sees_the_whistles_they_blew(units):
    mine = blow(units, "party")
    other = blow(units)
    rows = whistles_visible_to(units.users["party"])
    assert rows.filter(pk=mine.pk).exists() and not rows.filter(pk=other.pk).exists()


def test_staff_of_another_community_do_not_see_or_close(units):
    person = units.people["street_resident"]
    areas.role_assign(actor=None, person=person, role=Role.COMMUNITY_STAFF, area=units.areas["C2"])
    other = make_user(units, "c2_staff", person)
    w = blow(units)
    assert not whistles_visible_to(other).filter(pk=w.pk).exists()
    assert not may_close(other, w) and not has_perm(other, "whistles.blow", units.areas["G1"])


@pytest.mark.parametrize("persona, answers", [("handler", {"agency"}), ("property_rep", {"property"}),
                                              ("police", set()), ("community_staff", set()), ("grid_worker", set())])
def test_each_unit_answers_only_for_itself(units, persona, answers):
    w = blow(units)
    user = units.users[persona]
    can = {key for key in ("agency", "property")
           if may_respond(user, w.responses.get(organization=units.organizations[key]))}
    assert can == answers
    assert {r.organization_id for r in to_answer(user)} == {units.organizations[k].pk for k in answers}


@pytest.mark.parametrize("persona, closes, cancels", [
    ("community_staff", True, True), ("street_official", True, True), ("grid_worker", False, True),
    ("handler", False, False), ("party", False, False)])
def test_the_office_closes_and_the_blower_withdraws(units, persona, closes, cancels):
    w = blow(units)
    assert may_close(units.users[persona], w) is closes
    assert may_cancel(units.users[persona], w) is cancels


def test_the_overview_counts_the_area_subtree_only(units):
    blow(units)
    today = timezone.localdate()
    assert area_whistles(units.areas["S1"], today).open_count == 1
    assert area_whistles(units.areas["S2"], today).open_count == 0
