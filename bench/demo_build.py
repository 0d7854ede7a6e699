"""Time `demo --force` (the demo district rebuilt from scratch, including deleting the previous one).

    .venv/bin/python bench/demo_build.py                      # SQLite: var/bench_demo.sqlite3
    .venv/bin/python bench/demo_build.py --database-url postgresql://postgres@127.0.0.1:5432/yishiting_bench_demo
    .venv/bin/python bench/demo_build.py --history            # `make run`'s demo: the district and its history
    .venv/bin/python bench/demo_build.py --history --streets 1 --communities 3   # the tests' demo (test_crawl_demo)

With --history each run builds inside a transaction that is rolled back (a district with history cannot be
rebuilt: its dossiers are sealed), so every run starts from the same database.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from _setup import ROOT, database_label, machine_label, setup


def main() -> None:
    parser = argparse.ArgumentParser(description="演示区生成耗时（demo --force）")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_demo.sqlite3'}",
                        help="压测用数据库（不能是 test）；默认 var/bench_demo.sqlite3")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-owners", action="store_true")
    parser.add_argument("--history", action="store_true", help="连同办理历史一起生成（每次在回滚的事务里生成）")
    parser.add_argument("--streets", type=int, default=5)
    parser.add_argument("--communities", type=int, default=5)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    setup(args.database_url)

    from django.core.management import call_command
    from django.db import transaction

    from yishiting.areas.demo import demo_district, demo_info
    from yishiting.common.localcache import clear_all

    seconds, counts = [], {}
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        with transaction.atomic():
            call_command("demo", force=True, scale=args.scale, no_owners=args.no_owners,
                         no_history=not args.history, streets=args.streets, communities=args.communities,
                         stdout=io.StringIO())
            seconds.append(time.perf_counter() - started)
            counts = demo_info(demo_district())["counts"]
            transaction.set_rollback(args.history)
        clear_all()  # rolled-back areas fired no signal: forget the places cached by area key
        print(f"第 {run} 次：{seconds[-1]:.2f} 秒")
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    print(f"规模：--scale {args.scale} --streets {args.streets} --communities {args.communities}"
          f"{' --no-owners' if args.no_owners else ''}{' --history' if args.history else ''}；"
          + "，".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"demo --force 耗时：中位数 {statistics.median(seconds):.2f} 秒，最短 {min(seconds):.2f} 秒，"
          f"最长 {max(seconds):.2f} 秒（{args.runs} 次）")


if __name__ == "__main__":
    main()
