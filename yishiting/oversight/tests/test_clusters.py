"""Cluster detection (举一反三): one problem in several communities is one cluster with its spread and trend;
different problems, different categories and a problem in too few communities are not; N and the threshold
are the template's settings; recurrences of an archived matter at the same place are found."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.deliberation.services.topics import default_template
from yishiting.oversight.clusters import (
    Period,
    Settings,
    cluster_find,
    cluster_id,
    cluster_settings,
    clusters_in,
    parse_cluster_id,
    trend,
)
from yishiting.oversight.models import ClusterSettings

from .clusters_world import LAMP, LIFT, add_community, report, spread

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    today = timezone.localdate()
    return Period(today - timedelta(days=89), today)


@pytest.fixture
def lifts(world):
    add_community(world)
    return spread(world, LIFT[:3], ["C1", "C2", "C4"])


def test_one_problem_in_three_communities_is_one_cluster_with_its_spread(world, lifts, period):
    [cluster] = clusters_in(world.areas["S1"], period)
    assert sorted(d.pk for d in cluster.members) == sorted(d.pk for d in lifts)
    assert cluster.count == 3 and cluster.category.code == "facilities"
    assert sorted(s.area.code for s in cluster.communities) == ["C1", "C2", "C4"]
    assert [(s.area.code, s.count) for s in cluster.streets] == [("S1", 3)]
    assert "电梯" in cluster.label


def test_different_problems_and_too_few_communities_do_not_cluster(world, lifts, period):
    spread(world, LAMP[:2], ["C1", "C2"])  # street lamps: two communities only
    report(world, "加装电梯的事什么时候开会", "C4")  # the same object, another problem
    report(world, "楼下广场舞噪音太大", "C1")
    [cluster] = clusters_in(world.areas["S1"], period)
    assert len(cluster.members) == 3 and all("电梯" in d.text and "加装" not in d.text for d in cluster.members)


def test_another_category_is_another_cluster(world, lifts, period):
    spread(world, LIFT[:3], ["C1", "C2", "C4"], category_code="property")
    clusters = clusters_in(world.areas["S1"], period)
    assert sorted(c.category.code for c in clusters) == ["facilities", "property"]
    assert all(len({d.category_id for d in c.members}) == 1 for c in clusters)


def test_n_is_the_template_setting_and_a_filter_may_only_raise_it(world, lifts, period):
    template = default_template()
    ClusterSettings.objects.create(template=template, min_communities=4)
    assert cluster_settings().min_communities == 4
    assert clusters_in(world.areas["S1"], period) == []  # three communities < 4
    assert len(clusters_in(world.areas["D"], period)) == 0
    report(world, LIFT[3], "C3")  # a fourth community, in the other street
    [cluster] = clusters_in(world.areas["D"], period)
    assert len(cluster.communities) == 4 and [s.area.code for s in cluster.streets] == ["S1", "S2"]
    ClusterSettings.objects.filter(template=template).update(min_communities=2)
    spread(world, LAMP[:2], ["C1", "C2"])
    assert len(clusters_in(world.areas["S1"], period)) == 2
    assert len(clusters_in(world.areas["S1"], period, min_communities=3)) == 1


def test_the_threshold_is_the_template_setting(world, lifts, period):
    template = default_template()
    assert cluster_settings().threshold == 0.5  # the one duplicate threshold, by default
    ClusterSettings.objects.create(template=template, similarity_threshold=Decimal("0.95"))
    assert clusters_in(world.areas["S1"], period) == []  # no two reports are worded that alike
    ClusterSettings.objects.filter(template=template).update(similarity_threshold=Decimal("0.50"))
    assert len(clusters_in(world.areas["S1"], period)) == 1


def test_the_same_problem_at_one_place_named_differently_does_not_make_a_cluster_elsewhere(world, period):
    add_community(world)
    spread(world, ["金桂小区的路灯不亮", "阳光花园南门的路灯坏了", "翠竹轩的路灯不亮"], ["C1", "C2", "C4"])
    # three named estates: three places, so not one problem (the scorer's place conflict)
    assert clusters_in(world.areas["S1"], period) == []


def test_the_period_and_the_area_bound_the_cluster(world, lifts, period):
    assert clusters_in(world.areas["S2"], period) == []
    old = Period(period.start - timedelta(days=200), period.start - timedelta(days=100))
    assert clusters_in(world.areas["S1"], old) == []


def test_the_trend_is_weekly_for_a_quarter_and_monthly_beyond(world, period):
    add_community(world)
    spread(world, LIFT[:3], ["C1", "C2", "C4"])
    report(world, LIFT[3], "C1", days_ago=40)
    [cluster] = clusters_in(world.areas["S1"], period)
    weekly = trend(cluster, period)
    assert sum(n for _, n in weekly) == 4 and 13 <= len(weekly) <= 14
    year = Period(period.end - timedelta(days=364), period.end)
    [cluster] = clusters_in(world.areas["S1"], year)
    monthly = trend(cluster, year)
    assert len(monthly) in (12, 13) and sum(n for _, n in monthly) == 4 and monthly[-1][1] >= 3


def test_cluster_ids_round_trip_and_find_the_same_members(world, lifts, period):
    [cluster] = clusters_in(world.areas["S1"], period)
    assert parse_cluster_id(cluster.id) == (cluster.category.pk, cluster.key)
    assert parse_cluster_id("x-!!") is None and parse_cluster_id("12") is None
    found = cluster_find(world.areas["S1"], period, cluster.id)
    assert [d.pk for d in found.members] == [d.pk for d in cluster.members]
    assert cluster_find(world.areas["S1"], period, cluster_id(cluster.category.pk, "o:不存在")) is None


def test_the_list_costs_a_fixed_number_of_queries_whatever_the_number_of_demands(world, period):
    add_community(world)
    spread(world, LIFT[:3], ["C1", "C2", "C4"])
    settings = Settings()
    with CaptureQueriesContext(connection) as few:
        clusters_in(world.areas["S1"], period, settings=settings)
    spread(world, LIFT * 2, ["C1", "C2", "C4", "C1", "C2", "C4", "C1", "C2"])
    spread(world, LAMP, ["C1", "C2", "C4"])
    with CaptureQueriesContext(connection) as many:
        clusters = clusters_in(world.areas["S1"], period, settings=settings)
    assert len(clusters) == 2 and len(many) == len(few)


def test_the_settings_are_saved_by_an_admin_only_and_checked(world):
    from yishiting.common.errors import DomainError, PermissionDeniedError
    from yishiting.oversight.services.clusters import cluster_settings_save

    fields = {"template": default_template(), "min_communities": 2, "similarity_threshold": Decimal("0.60"),
              "recurrence_months": 4}
    with pytest.raises(PermissionDeniedError):
        cluster_settings_save(actor=world.users["district_official"], **fields)
    with pytest.raises(DomainError):
        cluster_settings_save(actor=world.users["admin"], **{**fields, "similarity_threshold": Decimal("0.01")})
    assert not ClusterSettings.objects.exists()
    cluster_settings_save(actor=world.users["admin"], **fields)
    assert cluster_settings() == Settings(2, 0.6, 4)
