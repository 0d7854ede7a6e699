"""The kept clusters: `yishiting tick` computes the default period (the last 90 days) of every district and
street, the list page reads them — the same number of queries with 3 demands as with 30 — and states when they
were computed; a demand that came in afterwards is listed once the tick has refreshed the run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.oversight.clusters import clusters_in, default_period
from yishiting.oversight.models import ClusterRun, StoredCluster
from yishiting.oversight.services.clusters import KEEP_RUNS, REFRESH_AFTER, clusters_tick
from yishiting.web.tests.pages import main

from .clusters_world import LAMP, LIFT, add_community, spread

pytestmark = pytest.mark.django_db


def _as(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _list_queries(client) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/oversight/clusters/")
    assert response.status_code == 200
    return [q["sql"][:90] for q in queries.captured_queries], main(response)


def _age(minutes: float) -> None:
    ClusterRun.objects.update(computed_at=timezone.now() - timedelta(minutes=minutes))


def test_the_tick_keeps_every_district_and_street_and_the_page_reads_them(world):
    add_community(world)
    spread(world, LIFT[:3], ["C1", "C2", "C4"])
    summary, _warnings = clusters_tick(timezone.localdate())
    period = default_period()
    kept = {r.area.name for r in ClusterRun.objects.filter(start=period.start, end=period.end)}
    assert kept == {"幸福区", "东风街道", "西湖街道"} and "3" in summary
    assert "0 个" in clusters_tick(timezone.localdate())[0]  # fresh: nothing recomputed
    [row] = StoredCluster.objects.filter(run__area=world.areas["S1"])
    [live] = clusters_in(world.areas["S1"], period)
    assert (row.size, row.spread, row.member_ids) == (3, 3, [d.pk for d in live.members])

    client = _as(world, "street_official")
    _list_queries(client)  # the session settles once
    few, page = _list_queries(client)
    computed = timezone.localtime(ClusterRun.objects.get(area=world.areas["S1"]).computed_at)
    assert f"类案计算于 {computed:%Y-%m-%d %H:%M}" in page and "3 件诉求 · 3 个社区 · 1 个街道" in page

    spread(world, LIFT * 3, ["C1", "C2", "C4"] * 4)  # 12 more of the problem, and a second problem
    spread(world, LAMP, ["C1", "C2", "C4"])
    assert "3 件诉求 · 3 个社区" in _list_queries(client)[1]  # not recomputed by the page: the kept run is read
    _age(REFRESH_AFTER.total_seconds() / 60 + 1)
    clusters_tick(timezone.localdate())
    many, page = _list_queries(client)
    assert "15 件诉求 · 3 个社区 · 1 个街道" in page and "3 件诉求 · 3 个社区" in page
    assert len(many) == len(few), (few, many)  # the same queries whatever the number of demands and clusters


def test_runs_nobody_refreshes_are_dropped_and_another_period_is_computed_once(world):
    add_community(world)
    spread(world, LIFT[:3], ["C1", "C2", "C4"])
    client = _as(world, "district_official")
    today = timezone.localdate()
    asked = f"/oversight/clusters/?start={today - timedelta(days=30)}&end={today}"
    assert "3 件诉求" in main(client.get(asked))
    assert ClusterRun.objects.count() == 1  # computed on its first request and kept
    with CaptureQueriesContext(connection) as again:
        client.get(asked)
    assert not any("INSERT" in q["sql"] for q in again.captured_queries)
    _age(KEEP_RUNS.total_seconds() / 60 + 1)
    clusters_tick(timezone.localdate())
    period = default_period()
    assert set(ClusterRun.objects.values_list("start", "end").distinct()) == {(period.start, period.end)}
