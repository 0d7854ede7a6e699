"""The event log partitioned by month (PostgreSQL, common.partitions): do intake and the overview's reads slow
down as months accumulate? The same rows are laid out as a plain table (before partitioning), as one partition,
and as one partition per month, and each layout is measured the same way.

    .venv/bin/python bench/partitions.py                          # 1,000,000 events over 60 months
    .venv/bin/python bench/partitions.py --events 4000000 --months 60 --appends 3000 --runs 30

Database: yishiting_bench_partitions (never a test one; --url to change). The first run loads `--events`
events server-side into a scratch table (bench_event_rows; INSERT … SELECT generate_series): demands' chains of
two events each (demand.submitted, then a screening decision a day later), spread evenly over the last
`--months` months, with a payload the size of the demo's (hashes are placeholders: `verify` is not what is
measured here; its streaming read is). Each layout then rebuilds common_event from those rows, with the
migration's keys, indexes, foreign key and trigger, and ANALYZE:
- plain: the table as it was before partitioning (primary key id, unique (subject, seq));
- 1: one partition holding every month (and DEFAULT);
- 24+1 and 60: 24 monthly partitions for the last 24 months and one for the older ones, or one per month
  (with the current month, the next two and DEFAULT, as the migration and the tick make them).
Measured in process (one connection, as a web worker issues them), after one warm-up:
- intake: `event_append` of a new subject's first event (chain head inserted) and of the next event of an
  existing chain (head locked and moved: the server-side one-statement path), each in its own transaction —
  the statements every submission and state change writes; latency per call and calls per second;
- the overview's reads on the log: the roll-up catch-up's page (events after the cursor, by id, 1,000; run
  each minute to keep /overview/ and /kpis/ current), the log's highest id, the KPI window's events of a
  month and of a year (handling.kpis: submissions of the window and their first screening time), one demand's
  timeline (events_of, the detail page), and verify's ordered read of the whole log (rows per second).
Prints p50/p95 in ms per layout and the ratio of each layout's median to the "1" layout's. The database is left
with the monthly layout (as the app keeps it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import database_label, machine_label, percentile, setup  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_partitions"
BASE = 100_000_000  # bench demands' subject ids start here
FIRST_ID = 1_000_000_000  # and their events' ids (the app's own events stay below, new ones come after)
LAYOUTS = ("plain", "1", "24+1", "60")


def _load(cursor, events: int, months: int) -> None:
    """bench_event_rows: `events` events (two a demand) over the last `months` months, ids in time order."""
    from django.utils import timezone

    cursor.execute("SELECT to_regclass('bench_event_rows') IS NOT NULL")
    if cursor.fetchone()[0]:
        cursor.execute("SELECT count(*), min(at) FROM bench_event_rows")
        have, first = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM bench_event_rows")
        if have == events and first >= timezone.now() - timedelta(days=31 * months) and \
                cursor.fetchone()[0] > FIRST_ID:
            print(f"已有 {have:,} 条压测事件", flush=True)
            return
        cursor.execute("DROP TABLE bench_event_rows")
    started = time.perf_counter()
    cursor.execute("CREATE TABLE bench_event_rows (LIKE common_event INCLUDING DEFAULTS)")
    demands = events // 2
    span = months * 30.4 * 86400 - 2 * 86400
    cursor.execute("""
        INSERT INTO bench_event_rows (id, subject_type, subject_id, seq, kind, actor_id, at, payload, prev_hash, hash)
        SELECT %(first_id)s + 2 * g - 2 + k, 'demands.demand', (%(base)s + g)::text, k,
               CASE k WHEN 1 THEN 'demand.submitted' ELSE 'demand.handling' END, NULL,
               %(start)s::timestamptz + make_interval(secs => g::float8 / %(demands)s * %(span)s)
                   + (k - 1) * interval '1 day',
               CASE k WHEN 1 THEN jsonb_build_object(
                        'area', '0001000200030004', 'channel', 'web', 'category', '环境整治', 'category_id', 3,
                        'household', NULL, 'number', '2026-' || lpad(g::text, 6, '0'), 'photos', '[]'::jsonb,
                        'reporter', g %% 5000, 'reporter_kind', 'resident', 'suggested', '环境整治',
                        'text_sha256', md5(g::text) || md5('t' || g::text), 'urgency', 'normal')
                    ELSE jsonb_build_object('from', 'pending', 'to', 'handling', 'reason', '直接办理') END,
               CASE k WHEN 1 THEN '' ELSE md5(g::text) || md5('x' || g::text) END,
               CASE k WHEN 1 THEN md5(g::text) || md5('x' || g::text) ELSE md5('y' || g::text) || md5('z' || g::text) END
        FROM generate_series(1, %(demands)s) g CROSS JOIN generate_series(1, 2) k""",
                   {"base": BASE, "first_id": FIRST_ID, "demands": demands, "span": span,
                    "start": timezone.now() - timedelta(seconds=span + 2 * 86400)})
    cursor.execute("DELETE FROM common_eventhead WHERE subject_type = 'demands.demand' AND length(subject_id) >= 9")
    cursor.execute("""INSERT INTO common_eventhead (subject_type, subject_id, seq, hash)
                      SELECT subject_type, subject_id, seq, hash FROM bench_event_rows WHERE seq = 2""")
    cursor.execute("ANALYZE bench_event_rows")
    print(f"载入 {events:,} 条压测事件：{time.perf_counter() - started:.0f} 秒", flush=True)


def _layout(cursor, layout: str, months: int) -> float:
    """common_event rebuilt from the bench's rows (and the app's own, kept aside) in `layout`; seconds taken."""
    from django.utils import timezone

    from yishiting.common.partitions import (
        AHEAD,
        DEFAULT,
        TABLE,
        add_months,
        month_bounds,
        month_start,
        partition_name,
        restore_definitions,
        table_definitions,
    )

    started = time.perf_counter()
    indexes, keys, triggers = table_definitions(cursor, TABLE)
    cursor.execute("CREATE TEMP TABLE app_events AS SELECT * FROM common_event WHERE subject_type <> 'bench.intake' "
                   "AND NOT (subject_type = 'demands.demand' AND length(subject_id) >= 9)")
    cursor.execute("DELETE FROM common_eventhead WHERE subject_type = 'bench.intake'")
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_was")
    partitioned = layout != "plain"
    cursor.execute(f"CREATE TABLE {TABLE} (LIKE {TABLE}_was INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                   f"INCLUDING IDENTITY)" + (" PARTITION BY RANGE (at)" if partitioned else ""))
    cursor.execute(f"DROP TABLE {TABLE}_was")
    this_month = month_start(timezone.localdate())
    first, last = add_months(this_month, -months), add_months(this_month, AHEAD)
    monthly_from = {"1": None, "24+1": add_months(this_month, -23), "60": first}.get(layout)
    if partitioned:
        cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT")
        lo = month_bounds(first)[0]
        if monthly_from is None or monthly_from > first:
            hi = month_bounds(monthly_from or add_months(last, 1))[0]
            cursor.execute(f"CREATE TABLE {TABLE}_older PARTITION OF {TABLE} FOR VALUES FROM ('{lo.isoformat()}') "
                           f"TO ('{hi.isoformat()}')")
        month = monthly_from
        while month is not None and month <= last:
            lo, hi = month_bounds(month)
            cursor.execute(f"CREATE TABLE {partition_name(month)} PARTITION OF {TABLE} "
                           f"FOR VALUES FROM ('{lo.isoformat()}') TO ('{hi.isoformat()}')")
            month = add_months(month, 1)
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM bench_event_rows")
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM app_events")
    cursor.execute("DROP TABLE app_events")
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), max(id)) FROM {TABLE}")
    restore_definitions(cursor, (indexes, keys, triggers), partitioned=partitioned)
    return time.perf_counter() - started


def _count_partitions(cursor) -> int:
    cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'common_event'::regclass")
    return cursor.fetchone()[0]


def _timed(call, runs: int) -> list[float]:
    call()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def _intake(appends: int, layout: str) -> dict[str, list[float]]:
    """New chains' first events and existing chains' next events, each call its own transaction."""
    from django.db import transaction

    from yishiting.common.events import event_append

    new_ms, next_ms = [], []
    prefix = f"{layout}-{time.time_ns()}"
    for n in range(appends):
        began = time.perf_counter()
        with transaction.atomic():
            event_append(subject=("bench.intake", f"{prefix}-{n}"), kind="demand.submitted",
                         payload={"channel": "web", "n": n}, new_subject=True)
        new_ms.append((time.perf_counter() - began) * 1000)
    for n in range(appends):
        subject = ("demands.demand", str(BASE + 1 + (n * 7919) % 100_000))  # old chains, any month
        began = time.perf_counter()
        with transaction.atomic():
            event_append(subject=subject, kind="demand.note", payload={"n": n})
        next_ms.append((time.perf_counter() - began) * 1000)
    return {"新对象首个事件 event_append(new_subject)": new_ms, "既有链追加 event_append（服务器端一条语句）": next_ms}


def _reads(runs: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from yishiting.common.events import events_of
    from yishiting.common.models import Event
    from yishiting.handling import kpis

    top = Event.objects.aggregate(m=Max("pk"))["m"]
    after = top - 20_000
    today = timezone.localdate()
    demand = ("demands.demand", str(BASE + 12_345))

    def catch_up_page():
        return list(Event.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "subject_type",
                                                                                "subject_id", "kind")[:1000])

    def window(days: int):
        def run():
            submitted = kpis._events("demand.submitted", kpis.DEMAND, today - timedelta(days=days), today)
            first = (Event.objects.filter(subject_type=kpis.DEMAND, kind__in=kpis.SCREEN_KINDS,
                                          at__gte=kpis._window(today - timedelta(days=days), today)[0]
                                          - timedelta(days=1), subject_id__in=submitted.values("subject_id"))
                     .values("subject_id").annotate(first=Min("at")).order_by())
            return submitted.count(), len(first)
        return run

    def timeline():
        class Subject:  # events_of takes a model instance; the bench's demands have no row
            pk = demand[1]
            _meta = type("Meta", (), {"label_lower": demand[0]})

        return list(events_of(Subject()))

    results = {
        "汇总追平的一页 id > 游标 LIMIT 1000": _timed(catch_up_page, runs),
        "事件日志最大 id Max(pk)": _timed(lambda: Event.objects.aggregate(m=Max("pk")), runs),
        "指标窗口 近 30 天（受理 + 首次筛选）": _timed(window(30), max(5, runs // 3)),
        "指标窗口 近 365 天（受理 + 首次筛选）": _timed(window(365), 3),
        "一件诉求的时间线 events_of": _timed(timeline, runs),
    }
    began = time.perf_counter()
    with connection.cursor() as cursor:  # verify's order, streamed as verify_chains reads it
        rows = sum(1 for _ in Event.objects.order_by("subject_type", "subject_id", "seq")
                   .values_list("id", "subject_type", "subject_id", "seq", "hash").iterator(chunk_size=2000))
        del cursor
    seconds = time.perf_counter() - began
    results["verify 的有序全表读取（每秒行数）"] = [rows / seconds]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--appends", type=int, default=1000, help="每种写入各测多少次")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help=f"逗号分隔，取自 {'、'.join(LAYOUTS)}")
    args = parser.parse_args()
    setup(args.url)
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        _load(cursor, args.events, args.months)
    print(f"{database_label()}，{machine_label()}：{args.events:,} 条事件，{args.months} 个月", flush=True)
    medians: dict[str, dict[str, float]] = {}
    layouts = [name for name in args.layouts.split(",") if name]
    for layout in [*layouts, *(["60"] if layouts[-1] != "60" else [])]:
        with transaction.atomic(), connection.cursor() as cursor:
            seconds = _layout(cursor, layout, args.months)
            parts = _count_partitions(cursor)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) common_event")  # the planner's figures, the visibility map
        if layout not in layouts:  # the app's layout restored
            print(f"已恢复按月分区（{parts} 个分区）", flush=True)
            break
        print(f"\n== 布局 {layout}：{parts} 个分区（重建 {seconds:.0f} 秒）；{machine_label()}", flush=True)
        figures = {**_intake(args.appends, layout), **_reads(args.runs)}
        medians[layout] = {}
        for name, timings in figures.items():
            median = statistics.median(timings)
            medians[layout][name] = median
            if name.startswith("verify"):
                print(f"  {name:<44} {median:12,.0f} 行/秒", flush=True)
                continue
            rate = f"  {1000 / median:7,.0f} 次/秒" if name.startswith(("新对象", "既有链")) else ""
            print(f"  {name:<44} p50 {median:7.2f} ms   p95 {percentile(timings, 0.95):7.2f} ms{rate}", flush=True)
    if "1" in medians:
        print("\n各布局中位数 ÷ 单分区（“1”）的中位数（verify 为每秒行数之比）：")
        for name in medians["1"]:
            ratios = "   ".join(f"{layout} {medians[layout][name] / medians['1'][name]:.2f}×"
                               for layout in medians if layout != "1")
            print(f"  {name:<44} {ratios}")
    print(f"测完时：{machine_label()}")


if __name__ == "__main__":
    main()
