"""The permission matrix of unit ratings and 整改清单: who sees which unit's rating, who evaluates whom, who
sees, issues, works on and decides a list — each persona against each object."""

from __future__ import annotations

import pytest

from yishiting.common.rules import has_perm
from yishiting.oversight.rules import evaluator_areas, issuer_area_for, may_decide, may_work
from yishiting.oversight.selectors import lists_visible_to, units_rated_for

from .world import build, issue


@pytest.fixture
def w(world):
    return build(world)


# persona → the units whose ratings they see
RATINGS = {
    "district_official": {"agency", "property", "co_unit", "department"},
    "street_official": {"agency", "property", "co_unit", "department"},  # the district department serves them
    "community_secretary": {"property", "co_unit"},
    "community_staff": {"property", "co_unit"},
    "handler": {"agency"},  # their own unit
    "grid_worker": set(), "resident": set(), "property_handler": {"property"},
}


@pytest.mark.parametrize("persona", sorted(RATINGS))
def test_who_sees_which_units_rating(w, persona):
    names = {key for key, org in w.organizations.items() if org in units_rated_for(w.users[persona])}
    assert names == RATINGS[persona]


@pytest.mark.parametrize("persona,areas", [("street_official", ["S1"]), ("community_secretary", ["C1"]),
                                           ("district_official", []), ("community_staff", []), ("handler", []),
                                           ("resident", [])])
def test_who_evaluates(w, persona, areas):
    assert [a.pk for a in evaluator_areas(w.users[persona])] == [w.areas[c].pk for c in areas]


@pytest.mark.parametrize("persona,target,allowed", [
    ("district_official", "agency", True), ("street_official", "agency", True), ("street_official", "C1", True),
    ("street_official", "C3", False), ("community_secretary", "property", True),
    ("community_secretary", "agency", False), ("community_secretary", "C1", False),
    ("community_staff", "property", False), ("handler", "agency", False), ("resident", "C1", False),
])
def test_who_issues_to_whom(w, persona, target, allowed):
    kwargs = {"target_org": w.organizations[target]} if target in w.organizations else {"target_area": w.areas[target]}
    assert (issuer_area_for(w.users[persona], **kwargs) is not None) is allowed


# persona → (sees the street's list to the agency, works on its item, decides it)
MATRIX = {
    "street_official": (True, False, True), "district_official": (True, False, True),
    "handler": (True, True, False), "handler2": (True, True, False),
    "community_secretary": (False, False, False), "community_staff": (False, False, False),
    "property_handler": (False, False, False), "grid_worker": (False, False, False), "resident": (False, False, False),
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_the_street_list_to_the_agency(w, persona):
    rect = issue(w)
    item, user = rect.items.get(), w.users[persona]
    seen = lists_visible_to(user).filter(pk=rect.pk).exists()
    assert (seen, may_work(user, item), may_decide(user, item)) == MATRIX[persona]
    assert has_perm(user, "oversight.rectify") is (persona in {"street_official", "district_official", "community_secretary"})
