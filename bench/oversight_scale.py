"""The rates at city scale (PostgreSQL): `/kpis/` for a district-year, the child-area and category rankings and
the monthly trend, read from the roll-ups (oversight), whatever the number of demands.

    .venv/bin/python bench/oversight_scale.py                    # 10,000,000 demands, 30 requests each
    .venv/bin/python bench/oversight_scale.py --demands 1000000 --runs 50

Database: yishiting_bench_oversight (never a test one; --url to change), holding the demo district (scale 1).
The first run loads, server-side (INSERT … SELECT generate_series, in chunks; nothing crosses the wire):
- the demands, spread over the demo district's buildings, its categories and the last two years, each with its
  event chain (demand.submitted, and a screening event for 90 %: on time for 12 in 13) and chain head; the
  hashes are placeholders (`yishiting verify` is not what is measured);
- their roll-ups exactly as the catch-up writes them: a Contribution per demand, per direct-handling task (30 %
  of demands, closed, on time for 10 in 11) and per reporter's rating of it (half of them), and the daily and
  monthly cells aggregated from those contributions at each level down to the grid. Task rows and their events
  are not loaded: the pages measured read only the roll-ups (and the drill-down from the contributions). The
  overview's cohort cells (`cohort_<stage>`, where each demand stands today) are not loaded either: its funnel
  reads the same cells whatever they hold, so it shows zeros here and costs the same.
Later runs reuse them (--demands more than stored adds the difference). Each run then fills the "open now" gauge
(`fill_gauge`, idempotent): the pending demands' contributions get their `open:screening` cell (due on their
screening deadline) as the catch-up writes it, the demo's own open items are recounted by the catch-up's rules,
and the gauge's cells (oversight_opencount) are aggregated from the open items' contributions — so a database
loaded before the gauge existed is measured with it.

Measured in process (Django test Client, as the demo's district official, after one warm-up): GET /kpis/ for
the last 365 days of the whole district, the records one of its figures counted (what opening its details
fetches), GET /overview/ for this year and this month, and the roll-up selectors (with the open items by stage from the
gauge and the most pressing list, each one bounded query).
Then the unit ratings (/oversight/ratings/: page 1 of the district's units, a deeper page with every unit listed,
and its XLSX of up to 2,000 units), each computed live for the running year: they read the demo's tasks, ratings,
整改 items and whistles, not the loaded demands.
Prints p50/p95 in ms and the query counts. --only 单位评级 measures only the cases whose name holds that text (then
nothing is loaded: the demo is enough); --code /work/main reads the same database with another checkout's code
(the "before" figures; no migrate, no load). The roll-up reads are bounded by areas × categories × months ×
measures, not by demands: from 10 M to 25 M demands the cells read stay the same (a cell's count grows), the
contributions scanned for the first 20 drill-down rows stay an index range with LIMIT.
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

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_oversight"
CHUNK = 500_000
BASE = 100_000_000  # bench demands' ids start here (the demo's own stay below)


def _places(cursor, root) -> int:
    """bench_places(n, building id, path, community id, community path); bench_cats(n, id). Returns buildings."""
    cursor.execute("DROP TABLE IF EXISTS bench_places; DROP TABLE IF EXISTS bench_cats")
    cursor.execute("""CREATE UNLOGGED TABLE bench_places AS
        SELECT row_number() OVER (ORDER BY b.path) - 1 AS n, b.id, b.path, c.id AS community_id, c.path AS community_path
        FROM areas_area b JOIN areas_area c ON c.path = substr(b.path, 1, 12)
        JOIN areas_arealevel l ON l.id = b.level_id WHERE l.code = 'building' AND b.path LIKE %s""", [root.path + "%"])
    cursor.execute("CREATE UNLOGGED TABLE bench_cats AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id "
                   "FROM demands_category")
    cursor.execute("SELECT count(*) FROM bench_places")
    return cursor.fetchone()[0]


def _chunk_sql() -> list[str]:
    """The statements that load demands lo..hi (params: lo, hi, district, buildings, cats, origin)."""
    src = """SELECT g, %(base)s + g AS id, p.id AS area_id, p.path, p.community_id, p.community_path, c.id AS cat,
               (%(origin)s::date + ((g * 37) %% 730)::int) AS day,
               (%(origin)s::date + ((g * 37) %% 730)::int) + make_interval(secs => (g * 7919) %% 86400) AS at,
               g %% 20 AS r, (g %% 13) <> 0 AS on_time
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
        JOIN bench_places p ON p.n = (g * 31) %% %(buildings)s JOIN bench_cats c ON c.n = (g / 3) %% %(cats)s"""
    outcome = ("CASE WHEN s.r < 2 THEN '' WHEN s.r < 10 THEN 'topic' WHEN s.r < 16 THEN 'handling' "
               "WHEN s.r < 18 THEN 'mediation' WHEN s.r = 18 THEN 'reject' ELSE 'escalate' END")
    screen_kind = ("CASE WHEN s.r < 10 THEN 'demand.topic' WHEN s.r < 16 THEN 'demand.handling' "
                   "WHEN s.r < 18 THEN 'demand.mediation_accepted' WHEN s.r = 18 THEN 'demand.reject' "
                   "ELSE 'demand.escalate' END")
    cells = """jsonb_build_array(jsonb_build_array('submitted', s.day, s.cat))
        || CASE WHEN s.r >= 2 THEN jsonb_build_array(jsonb_build_array('responded', s.day, s.cat)) ELSE '[]' END
        || CASE WHEN s.r >= 2 AND s.on_time THEN jsonb_build_array(jsonb_build_array('responded_on_time', s.day, s.cat)) ELSE '[]' END
        || CASE WHEN s.r BETWEEN 2 AND 9 THEN jsonb_build_array(jsonb_build_array('to_topic', s.day + (NOT s.on_time)::int * 5, s.cat))
                WHEN s.r BETWEEN 10 AND 15 THEN jsonb_build_array(jsonb_build_array('to_handling', s.day + (NOT s.on_time)::int * 5, s.cat))
                WHEN s.r = 18 THEN jsonb_build_array(jsonb_build_array('rejected', s.day + (NOT s.on_time)::int * 5, s.cat))
                WHEN s.r = 19 THEN jsonb_build_array(jsonb_build_array('escalated', s.day + (NOT s.on_time)::int * 5, s.cat))
                ELSE '[]' END"""
    flags = ("',submitted,' || CASE WHEN s.r >= 2 THEN 'responded,' ELSE '' END "
             "|| CASE WHEN s.r >= 2 AND s.on_time THEN 'responded_on_time,' ELSE '' END")
    task_day = "(s.day + 3 + (s.g %% 20)::int)"
    task_on_time = "((s.g %% 11) <> 0)"
    return [
        f"""INSERT INTO demands_demand (id, number, text, channel, urgency, path, address, reporter_kind,
              consent_recorded, status, screening_path, screening_deadline, deadline_warning, outcome, nature,
              outcome_reason, created_at, area_id, category_id, district_id, level_area_id, screening_area_id)
            SELECT s.id, 'B' || s.g, '压测诉求 ' || s.g, 'web', 'normal', s.path, '', 'anonymous', false,
              CASE WHEN s.r < 2 THEN 'pending' WHEN s.r < 10 THEN 'topic' WHEN s.r < 16 THEN 'handling'
                   WHEN s.r < 18 THEN 'mediation' WHEN s.r = 18 THEN 'rejected' ELSE 'escalated' END,
              s.community_path, s.day + 3, '', {outcome}, '', '', s.at, s.area_id, s.cat, %(district)s,
              s.community_id, s.community_id
            FROM ({src}) s""",
        f"""INSERT INTO common_event (subject_type, subject_id, seq, kind, actor_id, at, payload, prev_hash, hash)
            SELECT 'demands.demand', s.id::text, 1, 'demand.submitted', NULL::bigint, s.at, '{{}}'::jsonb, '',
                   md5(s.id::text) || md5('x' || s.id::text) FROM ({src}) s
            UNION ALL
            SELECT 'demands.demand', s.id::text, 2, {screen_kind}, NULL::bigint,
                   s.at + CASE WHEN s.on_time THEN interval '1 day' ELSE interval '5 days' END, '{{}}'::jsonb,
                   md5(s.id::text) || md5('x' || s.id::text), md5('y' || s.id::text) || md5('z' || s.id::text)
            FROM ({src}) s WHERE s.r >= 2""",
        f"""INSERT INTO common_eventhead (subject_type, subject_id, seq, hash)
            SELECT 'demands.demand', s.id::text, CASE WHEN s.r >= 2 THEN 2 ELSE 1 END, md5(s.id::text) FROM ({src}) s""",
        f"""INSERT INTO oversight_contribution (kind, source_id, path, label, day, flags, cells)
            SELECT 'demand', s.id, s.path, 'B' || s.g, s.day, {flags}, {cells} FROM ({src}) s
            UNION ALL
            SELECT 'task', s.id, s.path, s.id::text, {task_day}::date,
                   ',tasks_closed,' || CASE WHEN {task_on_time} THEN 'tasks_closed_on_time,' ELSE '' END,
                   jsonb_build_array(jsonb_build_array('tasks_closed', {task_day}::date, s.cat))
                   || CASE WHEN {task_on_time} THEN jsonb_build_array(jsonb_build_array('tasks_closed_on_time', {task_day}::date, s.cat)) ELSE '[]' END
            FROM ({src}) s WHERE s.r BETWEEN 10 AND 15
            UNION ALL
            SELECT 'rating', s.id, s.path, s.id::text, ({task_day} + 2)::date,
                   ',rating_' || v || ',reporter_rating_' || v || ',',
                   jsonb_build_array(jsonb_build_array('rating_' || v, ({task_day} + 2)::date, s.cat),
                                     jsonb_build_array('reporter_rating_' || v, ({task_day} + 2)::date, s.cat))
            FROM ({src}) s, LATERAL (SELECT CASE WHEN s.g %% 10 < 7 THEN 'satisfied' WHEN s.g %% 10 < 9 THEN 'basic'
                                            ELSE 'dissatisfied' END AS v) grade
            WHERE s.r BETWEEN 10 AND 15 AND s.g %% 2 = 0""",
    ]


CELLS_SQL = """
TRUNCATE oversight_dailycount, oversight_monthlycount;
INSERT INTO oversight_dailycount (path, depth, category_id, day, measure, n)
    SELECT substr(c.path, 1, 4 * d), d, (cell->>2)::int, (cell->>1)::date, cell->>0, count(*)
    FROM oversight_contribution c CROSS JOIN LATERAL jsonb_array_elements(c.cells) cell
    CROSS JOIN generate_series(1, 4) d WHERE length(c.path) >= 4 * d AND cell->>0 NOT LIKE 'open:%'
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO oversight_monthlycount (path, depth, category_id, month, measure, n)
    SELECT path, depth, category_id, date_trunc('month', day)::date, measure, sum(n)
    FROM oversight_dailycount GROUP BY 1, 2, 3, 4, 5;
"""


GAUGE_SQL = """
UPDATE oversight_contribution c
    SET cells = c.cells || jsonb_build_array(jsonb_build_array('open:screening', d.screening_deadline, 0))
    FROM demands_demand d
    WHERE d.status = 'pending' AND d.id > %(base)s AND c.kind = 'demand' AND c.source_id = d.id
      AND NOT c.cells @> '[["open:screening"]]';
TRUNCATE oversight_opencount;
INSERT INTO oversight_opencount (path, depth, stage, due, n)
    SELECT substr(c.path, 1, 4 * d), d, substr(cell->>0, 6), (cell->>1)::date, count(*)
    FROM (SELECT path, cells FROM oversight_contribution WHERE kind = 'demand'
              AND source_id IN (SELECT id FROM demands_demand WHERE status = 'pending')
          UNION ALL
          SELECT path, cells FROM oversight_contribution WHERE kind IN ('topic', 'task', 'case')
              AND source_id < %(base)s) c
    CROSS JOIN LATERAL jsonb_array_elements(c.cells) cell CROSS JOIN generate_series(1, 4) d
    WHERE length(c.path) >= 4 * d AND cell->>0 LIKE 'open:%%' GROUP BY 1, 2, 3, 4;
"""


def fill_gauge() -> None:
    """The "open now" gauge of the loaded database, idempotent: the demo's open items through the catch-up's
    rules (a few hundred), the bench's pending demands and the gauge cells server-side (GAUGE_SQL)."""
    from django.db import connection, transaction

    from yishiting.demands.models import Demand
    from yishiting.oversight.projection import apply, open_sources

    started = time.perf_counter()
    with transaction.atomic():
        demo = Demand.objects.filter(status="pending", pk__lt=BASE).order_by("pk").values_list("pk", flat=True)
        apply("demand", list(demo))
        for kind, ids in open_sources():
            if kind != "demand":
                apply(kind, ids)
        with connection.cursor() as cursor:
            cursor.execute(GAUGE_SQL, {"base": BASE})
            cursor.execute("SELECT count(*), coalesce(sum(n) FILTER (WHERE depth = 1), 0) FROM oversight_opencount")
            cells, items = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) oversight_opencount")
    print(f"在办统计：{cells:,} 个单元，{items:,} 项在办（{time.perf_counter() - started:.0f} 秒）", flush=True)


def load(total: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from yishiting.oversight.models import RollupCursor

    root = demo_root()
    with connection.cursor() as cursor:
        # a chunk is loaded when its contributions are (the last statement); a chunk cut short is cleared
        cursor.execute("SELECT coalesce(max(source_id), 0) FROM oversight_contribution WHERE kind = 'demand' "
                       "AND source_id > %s", [BASE])
        have = max(0, cursor.fetchone()[0] - BASE)
        for table, column in (("oversight_contribution", "source_id"), ("common_eventhead", "subject_id"),
                              ("common_event", "subject_id"), ("demands_demand", "id")):
            cast = "::bigint" if column == "subject_id" else ""
            where = "subject_type = 'demands.demand' AND length(subject_id) >= 9 AND " if cast else ""
            cursor.execute(f"DELETE FROM {table} WHERE {where}{column}{cast} > %s", [BASE + have])
        if have >= total:
            print(f"已有 {have:,} 条压测诉求", flush=True)
            return
        buildings = _places(cursor, root)
        cursor.execute("SELECT count(*) FROM bench_cats")
        cats = cursor.fetchone()[0]
        origin = timezone.localdate() - timedelta(days=729)
        started = time.perf_counter()
        for lo in range(have + 1, total + 1, CHUNK):
            hi = min(total, lo + CHUNK - 1)
            params = {"lo": lo, "hi": hi, "base": BASE, "district": root.pk, "buildings": buildings,
                      "cats": cats, "origin": origin}
            for statement in _chunk_sql():
                cursor.execute(statement, params)
            print(f"  诉求 {hi:,} / {total:,}（{time.perf_counter() - started:.0f} 秒）", flush=True)
        cursor.execute(CELLS_SQL)
        cursor.execute("ANALYZE demands_demand")  # the planner's figures for the open items (pending rows)
        cursor.execute("VACUUM (ANALYZE) oversight_dailycount")
        cursor.execute("VACUUM (ANALYZE) oversight_monthlycount")
        cursor.execute("VACUUM (ANALYZE) oversight_contribution")
        cursor.execute("SELECT coalesce(max(id), 0) FROM common_event")
        top = cursor.fetchone()[0]
    RollupCursor.objects.update_or_create(name="main", defaults={"last_event_id": top, "gaps": [],
                                                                 "caught_up_at": timezone.now()})
    print(f"载入完成：{time.perf_counter() - started:.0f} 秒", flush=True)


def _official():
    from yishiting.areas.choices import Role
    from yishiting.areas.models import RoleAssignment

    role = RoleAssignment.objects.filter(role=Role.DISTRICT_OFFICIAL, is_active=True).select_related(
        "person__user").first()
    return role.person.user


def measure(runs: int, only: str = "") -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from yishiting.oversight import overview, selectors

    root = demo_root()
    end = timezone.localdate()
    start = end - timedelta(days=364)
    client = Client()
    client.force_login(_official())
    url = f"/kpis/?area={root.pk}&start={start}&end={end}"
    records = f"/kpis/records/?area={root.pk}&start={start}&end={end}&figure=response"
    year = f"/overview/?area={root.pk}&period={end.year}"
    month = f"/overview/?area={root.pk}&period={end:%Y-%m}"
    cases = {
        "/kpis/ 一年（全区）": lambda: client.get(url, HTTP_HOST="localhost"),
        "/kpis/records/ 响应率明细（展开时）": lambda: client.get(records, HTTP_HOST="localhost"),
        "/overview/ 本年（全区）": lambda: client.get(year, HTTP_HOST="localhost"),
        "/overview/ 本月（全区）": lambda: client.get(month, HTTP_HOST="localhost"),
        "街道排名 by_child_area": lambda: selectors.by_child_area(root, start, end),
        "类别排名 by_category": lambda: selectors.by_category(root, start, end),
        "月度趋势 monthly_rates": lambda: selectors.monthly_rates(root, start, end),
        "漏斗 funnel_counts": lambda: selectors.funnel_counts(root, start, end),
        "在办环节 open_stages（仪表）": lambda: overview.open_stages(root, end),
        "逾期和预警 open_items": lambda: overview.open_items(root, end),
        "/oversight/ratings/ 单位评级第 1 页（全区）": lambda: client.get("/oversight/ratings/", HTTP_HOST="localhost"),
        "/oversight/ratings/ 单位评级 ?all=1&page=5": lambda: client.get("/oversight/ratings/?all=1&page=5",
                                                                       HTTP_HOST="localhost"),
        "/oversight/ratings.xlsx 单位评级导出": lambda: client.get("/oversight/ratings.xlsx", HTTP_HOST="localhost"),
    }
    cases = {name: call for name, call in cases.items() if only in name}
    for address in (url, records, year, month, "/oversight/ratings/"):
        response = client.get(address, HTTP_HOST="localhost")
        assert response.status_code == 200, (address, response.status_code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM demands_demand")
        demands = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM common_event")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM oversight_dailycount")
        cells = cursor.fetchone()[0]
    print(f"{database_label()}，{machine_label()}：诉求 {demands:,}，事件 {events:,}，日统计单元 {cells:,}")
    for name, call in cases.items():
        call()
        timings, count = timed(call, runs)
        print(f"{name:<28} p50 {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
              f"{count} 次查询", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--demands", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="只测名称含该文字的项目（如“单位评级”）；此时不载入诉求")
    parser.add_argument("--code", help="用另一份代码（如 /work/main）读同一个库，得出改前的数字；不迁移、不载入")
    args = parser.parse_args()
    if args.code:  # setup() puts ROOT first on sys.path: the other checkout's, so its code is the one imported
        import _setup

        _setup.ROOT = Path(args.code).resolve()
    setup(args.url, migrate=not args.code)
    import yishiting

    print(f"代码：{Path(yishiting.__file__).parent.parent}", flush=True)
    if not (args.only or args.code):
        load(args.demands)
        fill_gauge()
    demo_root()
    measure(args.runs, args.only)
    print(f"测完时：{machine_label()}")


if __name__ == "__main__":
    main()
