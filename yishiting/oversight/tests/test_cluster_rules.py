"""The 举一反三 permissions as a role × scope matrix: street and district officials read clusters and raise them
in their subtree; the office staff read recurrences in theirs (community staff: their own community); residents,
workers and handlers neither."""

from __future__ import annotations

import pytest

from yishiting.oversight.rules import may_raise_cluster, may_view_clusters, may_view_recurrences
from yishiting.oversight.selectors import cluster_areas, recurrence_areas

pytestmark = pytest.mark.django_db

CLUSTERS = {  # persona → areas where they may read (and raise) clusters
    "resident": set(), "grid_worker": set(), "handler": set(), "community_staff": set(),
    "community_secretary": set(), "street_official": {"S1", "C1", "C2"}, "district_official": {"D", "S1", "S2", "C1", "C2", "C3"},
}
RECURRENCES = {
    "resident": set(), "grid_worker": set(), "handler": set(), "community_staff": {"C1"},
    "community_secretary": {"C1"}, "street_official": {"S1", "C1", "C2"},
    "district_official": {"D", "S1", "S2", "C1", "C2", "C3"},
}


@pytest.mark.parametrize("persona", sorted(CLUSTERS))
def test_clusters_matrix(world, persona):
    user = world.users[persona]
    for code in ("D", "S1", "S2", "C1", "C2", "C3"):
        area = world.areas[code]
        assert may_view_clusters(user, area) == (code in CLUSTERS[persona]), code
        assert may_raise_cluster(user, area) == (code in CLUSTERS[persona]), code
        assert may_view_recurrences(user, area) == (code in RECURRENCES[persona]), code


@pytest.mark.parametrize(("persona", "clusters", "recurrences"), [
    ("street_official", ["S1"], ["S1", "C1", "C2"]),
    ("district_official", ["D", "S1", "S2"], ["D", "S1", "C1", "C2", "S2", "C3"]),
    ("community_staff", [], ["C1"]),
    ("resident", [], []),
])
def test_the_area_choices_follow_the_scope(world, persona, clusters, recurrences):
    user = world.users[persona]
    assert [a.code for a in cluster_areas(user)] == clusters
    assert [a.code for a in recurrence_areas(user)] == recurrences
