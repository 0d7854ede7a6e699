"""举一反三 at city scale (PostgreSQL): the cluster list page reads the kept clusters, the tick recomputes them.

    .venv/bin/python bench/clusters_scale.py                              # 1,000,000 demands, 30 page runs
    .venv/bin/python bench/clusters_scale.py --demands 2000000 --runs 50 --refreshes 5

Database: yishiting_bench_clusters (never a test one; --url to change), holding the demo district (scale 1, made by
oversight_scale's `_root`). The first run loads, server-side (INSERT … SELECT generate_series, in chunks;
nothing crosses the wire), demands spread over the district's buildings and the last 365 days, each worded as
one of a few problem families (电梯、路灯、漏水、垃圾、停车、噪音; several wordings each, so one problem is
reported in many communities) with the similar-demand index rows (`demands.DemandKey`) its wording has — the
keys are computed once per wording by the app's own `index_keys`, then joined in SQL. No events or roll-ups:
clusters read only the demands and their index. Later runs reuse them (--demands more than stored adds the
difference).

Measured in process (Django test Client, as the demo's district official): GET /oversight/clusters/ (the whole
district, the default last 90 days) and the same for one street, reading the kept run; and the recompute of
the district's and a street's run (`clusters_refresh`, what `yishiting tick` does): once cold (the memo of earlier
runs cleared: every candidate group re-ranked) and then as the tick refreshes (with the memo; nothing new, so only
the database work remains). Prints p50/p95 in ms and the query counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import database_label, demo_root, machine_label, percentile, setup, timed  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_clusters"
CHUNK = 250_000
BASE = 300_000_000  # bench demands' ids start here (the demo's own stay below)
SPREAD_DAYS = 365

FAMILIES = {  # category code: wordings of one problem (residents' words, as the tests' clusters_world)
    "facilities": ["小区电梯经常坏，困人好几次了", "电梯又坏了，老人没法下楼", "楼里的电梯总是故障停运，请尽快修",
                   "电梯坏了一个星期没人修", "路灯不亮，晚上走路很危险", "小区路灯坏了好几盏", "门口路灯晚上不亮",
                   "楼顶漏水，下雨天家里墙面都湿了", "顶楼渗水严重，屋里发霉"],
    "environment": ["垃圾桶满了没人清运，味道很大", "小区垃圾堆放好几天没人收", "垃圾清运不及时，苍蝇很多"],
    "property": ["小区停车位太少，车都停到消防通道上", "乱停车堵住了消防通道", "晚上广场舞噪音太大影响休息",
                 "楼下商铺噪音扰民到半夜"],
}


def _texts(cursor) -> int:
    """bench_texts(n, text, category id) and bench_text_keys(n, key): each wording's index keys, computed by
    the app (so the loaded index is what intake would have written). Returns the number of wordings."""
    from yishiting.demands.intake import index_keys
    from yishiting.demands.models import Category

    cursor.execute("DROP TABLE IF EXISTS bench_texts; DROP TABLE IF EXISTS bench_text_keys")
    cursor.execute("CREATE UNLOGGED TABLE bench_texts (n int, text text, category_id bigint)")
    cursor.execute("CREATE UNLOGGED TABLE bench_text_keys (n int, key varchar(64))")
    by_code = dict(Category.objects.values_list("code", "pk"))
    wordings = [(text, by_code.get(code) or min(by_code.values())) for code, texts in FAMILIES.items()
                for text in texts]
    for n, (text, category_id) in enumerate(wordings):
        cursor.execute("INSERT INTO bench_texts VALUES (%s, %s, %s)", [n, text, category_id])
        for key in index_keys(text):
            cursor.execute("INSERT INTO bench_text_keys VALUES (%s, %s)", [n, key])
    return len(wordings)


def _chunk_sql() -> list[str]:
    """The statements that load demands lo..hi (params: lo, hi, base, district, buildings, texts, origin)."""
    src = """SELECT g, %(base)s + g AS id, p.id AS area_id, p.path, p.community_id, p.community_path, t.n AS text_n,
               t.text, t.category_id AS cat,
               (%(origin)s::date + ((g * 37) %% 365)::int) + make_interval(secs => (g * 7919) %% 86400) AS at,
               g %% 20 AS r
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
        JOIN bench_places p ON p.n = (g * 31) %% %(buildings)s JOIN bench_texts t ON t.n = (g * 7) %% %(texts)s"""
    return [
        f"""INSERT INTO demands_demand (id, number, text, channel, urgency, path, address, reporter_kind,
              consent_recorded, status, screening_path, screening_deadline, deadline_warning, outcome, nature,
              outcome_reason, created_at, area_id, category_id, district_id, level_area_id, screening_area_id)
            SELECT s.id, 'K' || s.g, s.text, 'web', 'normal', s.path, '', 'anonymous', false,
              CASE WHEN s.r < 6 THEN 'pending' WHEN s.r < 12 THEN 'topic' WHEN s.r < 18 THEN 'handling'
                   WHEN s.r = 18 THEN 'rejected' ELSE 'escalated' END,
              s.community_path, s.at::date + 3, '', '', '', '', s.at, s.area_id, s.cat, %(district)s,
              s.community_id, s.community_id
            FROM ({src}) s""",
        f"""INSERT INTO demands_demandkey (key, community_id, demand_id, created_at, version)
            SELECT k.key, s.community_id, s.id, s.at, %(version)s FROM ({src}) s JOIN bench_text_keys k ON k.n = s.text_n""",
    ]


def load(total: int) -> None:
    from django.db import connection
    from django.utils import timezone
    from oversight_scale import _places

    from yishiting.demands import suggest

    root = demo_root()
    with connection.cursor() as cursor:
        # a chunk is loaded when its index rows are (the last statement); a chunk cut short is cleared
        cursor.execute("SELECT coalesce(max(demand_id), 0) FROM demands_demandkey WHERE demand_id > %s", [BASE])
        have = max(0, cursor.fetchone()[0] - BASE)
        cursor.execute("DELETE FROM demands_demandkey WHERE demand_id > %s", [BASE + have])
        cursor.execute("DELETE FROM demands_demand WHERE id > %s", [BASE + have])
        if have >= total:
            print(f"已有 {have:,} 条压测诉求", flush=True)
            return
        buildings, texts = _places(cursor, root), _texts(cursor)
        origin = timezone.localdate() - timedelta(days=SPREAD_DAYS - 1)
        started = time.perf_counter()
        for lo in range(have + 1, total + 1, CHUNK):
            hi = min(total, lo + CHUNK - 1)
            params = {"lo": lo, "hi": hi, "base": BASE, "district": root.pk, "buildings": buildings,
                      "texts": texts, "origin": origin, "version": suggest.SIGNATURE_VERSION}
            for statement in _chunk_sql():
                cursor.execute(statement, params)
            print(f"  诉求 {hi:,} / {total:,}（{time.perf_counter() - started:.0f} 秒）", flush=True)
        cursor.execute("VACUUM (ANALYZE) demands_demand")
        cursor.execute("VACUUM (ANALYZE) demands_demandkey")
    print(f"载入完成：{time.perf_counter() - started:.0f} 秒", flush=True)


def measure(runs: int, refreshes: int) -> None:
    from django.db import connection
    from django.test import Client
    from oversight_scale import _official

    from yishiting.oversight.clusters import default_period
    from yishiting.oversight.models import ClusterRun
    from yishiting.oversight.services.clusters import clusters_refresh

    root, period = demo_root(), default_period()
    street = root.children.order_by("path").first()
    client = Client()
    client.force_login(_official())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM demands_demand")
        demands = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM demands_demandkey")
        keys = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM areas_area a JOIN areas_arealevel l ON l.id = a.level_id "
                       "WHERE l.code = 'community' AND a.path LIKE %s", [root.path + "%"])
        communities = cursor.fetchone()[0]
    print(f"{database_label()}，{machine_label()}：诉求 {demands:,}，相似检索键 {keys:,}，社区 {communities}；"
          f"统计期 {period.start} 至 {period.end}")

    def page(area):
        response = client.get(f"/oversight/clusters/?area={area.pk}", HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    for name, area in (("区", root), ("街道", street)):
        ClusterRun.objects.filter(area=area).update(memo={})  # cold: no memo of an earlier run
        began = time.perf_counter()
        clusters_refresh(area=area, period=period)
        print(f"首次计算（{name}，{area.name}，无备忘）  {(time.perf_counter() - began) * 1000:9.1f} ms", flush=True)
        timings, count = timed(lambda area=area: clusters_refresh(area=area, period=period), refreshes)
        run = ClusterRun.objects.get(area=area, start=period.start, end=period.end)
        print(f"重新计算（{name}，{area.name}，有备忘）p50 {statistics.median(timings):9.1f} ms   "
              f"p95 {percentile(timings, 0.95):9.1f} ms   {count} 次查询   类案 {run.clusters.count()} 个", flush=True)
    for name, area in (("区", root), ("街道", street)):
        page(area)  # warm-up
        timings, count = timed(lambda area=area: page(area), runs)
        print(f"类案列表页（{name}，{area.name}）  p50 {statistics.median(timings):9.1f} ms   "
              f"p95 {percentile(timings, 0.95):9.1f} ms   {count} 次查询", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--refreshes", type=int, default=3)
    args = parser.parse_args()
    setup(args.url)
    load(args.demands)
    measure(args.runs, args.refreshes)


if __name__ == "__main__":
    main()
