"""The fast cluster computation (one aggregate pass, the newest members picked in the database, similarities
remembered per pair, and a refresh re-ranking only the groups whose members changed, from the run's memo) gives
exactly the clusters of the plain full computation (clusters_reference), on random data, before and after new
demands arrive — with the memo of the earlier run and without."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.demands.models import Demand
from yishiting.oversight.clusters import Period, Settings, clusters_in
from yishiting.oversight.models import ClusterRun
from yishiting.oversight.services.clusters import clusters_refresh

from .clusters_reference import reference_clusters
from .clusters_world import LAMP, LIFT, add_community, report

pytestmark = pytest.mark.django_db

TEXTS = [*LIFT, *LAMP, "垃圾桶满了没人清运，味道很大", "小区垃圾堆放好几天没人收", "晚上广场舞噪音太大影响休息",
         "电梯按钮失灵，老人出不了门", "楼道灯坏了，晚上看不见台阶"]
PLACES = ["B1", "B2", "B3", "C1", "C2", "C4", "G4", "S1"]
CATEGORIES = ["facilities", "facilities", "property", "environment"]


def _file(world, rng: random.Random, n: int) -> None:
    """`n` demands of random wording, place, category and age (some older than the period); a few rejected."""
    for _ in range(n):
        demand = report(world, rng.choice(TEXTS), rng.choice(PLACES), days_ago=rng.choice([0, 1, 5, 30, 60, 89, 120]),
                        category_code=rng.choice(CATEGORIES))
        if rng.random() < 0.1:
            Demand.objects.filter(pk=demand.pk).update(status="rejected")


def _mine(clusters) -> list[tuple]:
    return sorted((c.key, c.category_id, c.seed.pk, [d.pk for d in c.members],
                   {s.area.pk: s.count for s in c.communities}) for c in clusters)


def _reference(area, period, settings: Settings) -> list[tuple]:
    return sorted(reference_clusters(area, period, n=settings.min_communities, threshold=settings.threshold))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fast_computation_equals_the_full_one_on_random_data(world, seed):
    rng = random.Random(seed)
    add_community(world)
    _file(world, rng, 36)
    today = timezone.localdate()
    period = Period(today - timedelta(days=89), today)
    for settings in (Settings(min_communities=2, threshold=0.5), Settings(min_communities=3, threshold=0.3)):
        for area in ("D", "S1"):
            memo: dict = {}
            first = clusters_in(world.areas[area], period, settings=settings, memo=memo)
            expected = _reference(world.areas[area], period, settings)
            assert expected and _mine(first) == expected
            _file(world, rng, 6)  # new demands: some groups change, the others are read from the memo
            again = clusters_in(world.areas[area], period, settings=settings, memo=memo)
            assert _mine(again) == _reference(world.areas[area], period, settings)
            assert _mine(clusters_in(world.areas[area], period, settings=settings)) == _mine(again)  # no memo


def test_a_refresh_keeps_its_memo_and_gives_what_a_fresh_computation_gives(world):
    rng = random.Random(7)
    add_community(world)
    _file(world, rng, 30)
    today = timezone.localdate()
    period, settings = Period(today - timedelta(days=89), today), Settings(min_communities=2, threshold=0.5)
    run = clusters_refresh(area=world.areas["D"], period=period, settings=settings)
    assert run.memo and run.clusters.count() == len(clusters_in(world.areas["D"], period, settings=settings))
    _file(world, rng, 5)
    tomorrow = Period(period.start + timedelta(days=1), period.end)  # another period reads the area's last memo
    later = clusters_refresh(area=world.areas["D"], period=tomorrow, settings=settings)
    kept = sorted((c.key, c.category_id, c.seed_id, c.member_ids) for c in later.clusters.all())
    fresh = sorted((key, category, seed, ids) for key, category, seed, ids, _ in
                   reference_clusters(world.areas["D"], tomorrow, n=2, threshold=0.5))
    assert kept == fresh and ClusterRun.objects.count() == 2
