""""Households under street X" on a large demo district (PostgreSQL): count, and the first page of 50 in tree
order, for every street, many times; prints median and p95 in ms, row counts, and EXPLAIN ANALYZE.

    .venv/bin/python bench/subtree.py                  # builds --scale 50 (~1 M households) once, then measures
    .venv/bin/python bench/subtree.py --scale 50 --runs 200 --database-url postgresql://postgres@127.0.0.1:5432/yishiting_bench

The database is never the test one: by default yishiting_bench on 127.0.0.1:5432 (created if missing), or
BENCH_DATABASE_URL / --database-url. The demo is built only when the database does not hold one of this scale.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _setup import database_label, machine_label, setup

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench"
PAGE = 50


def main() -> None:
    parser = argparse.ArgumentParser(description="区域子树查询压测：某街道下的全部住户")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=int, default=50, help="演示区规模（50 ≈ 1250 个社区、约 100 万户）")
    parser.add_argument("--runs", type=int, default=200, help="每个街道每种查询的重复次数")
    parser.add_argument("--no-owners", action="store_true", help="生成演示区时不生成业主人员（更快）")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("子树查询压测要在 PostgreSQL 上跑（--database-url postgresql://…）。")
    setup(args.database_url)
    district = ensure_demo(args.scale, owners=not args.no_owners)
    analyze()
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    report(district, args.runs)


def ensure_demo(scale: int, *, owners: bool):
    from yishiting.areas.demo import demo_build, demo_district, demo_info

    district = demo_district()
    info = demo_info(district) if district else None
    if info and info.get("scale") == scale:
        print(f"沿用已有演示区（--scale {scale}，{info['counts'].get('households', 0):,} 户）")
        return district
    print(f"生成演示区 --scale {scale}{'' if owners else ' --no-owners'}……")
    result = demo_build(scale=scale, owners=owners, force=district is not None,
                        log=lambda message: print(f"  {message}", flush=True))
    print(f"生成耗时 {result.seconds:.1f} 秒：" + "，".join(f"{k} {v:,}" for k, v in result.counts.items()))
    return result.district


def analyze() -> None:
    """Fresh statistics and visibility map, as autovacuum would give a settled production database."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("areas_household", "areas_area"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def timed(fn, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(district, runs: int) -> None:
    from yishiting.areas.models import Area
    from yishiting.areas.selectors import households_under

    streets = list(Area.objects.filter(parent=district).order_by("path"))
    every_count, every_page = [], []
    print(f"\n每个街道各 {runs} 次（先各跑 5 次预热）：")
    print(f"{'街道':<10}{'住户数':>10}{'计数 中位/p95 ms':>22}{'首页50条 中位/p95 ms':>26}")
    for street in streets:
        def count(street=street):
            return households_under(street).count()

        def page(street=street):
            return list(households_under(street).order_by("path", "number")[:PAGE])

        timed(count, 5), timed(page, 5)
        counts, total = timed(count, runs)
        pages, rows = timed(page, runs)
        every_count += counts
        every_page += pages
        print(f"{street.name:<10}{total:>10,}{statistics.median(counts):>13.2f} / {p95(counts):<8.2f}"
              f"{statistics.median(pages):>15.2f} / {p95(pages):<8.2f}  首页 {len(rows)} 行")
    print(f"\n全部街道：计数 中位 {statistics.median(every_count):.2f} ms，p95 {p95(every_count):.2f} ms；"
          f"首页 中位 {statistics.median(every_page):.2f} ms，p95 {p95(every_page):.2f} ms"
          f"（各 {len(every_count)} 次）")
    explain(streets[0])


def explain(street) -> None:
    """EXPLAIN ANALYZE the exact SQL the two queries send (captured from Django)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yishiting.areas.selectors import households_under

    queries = {"计数": lambda: households_under(street).count(),
               "首页": lambda: list(households_under(street).order_by("path", "number")[:PAGE])}
    for label, run in queries.items():
        with CaptureQueriesContext(connection) as captured:
            run()
        sql = captured.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        used = "household_path_number_idx" in plan
        print(f"\n{label}（{street.name}）：{sql}\nEXPLAIN ANALYZE — 路径索引{'已使用' if used else '未使用！'}：\n{plan}")


if __name__ == "__main__":
    main()
