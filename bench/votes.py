"""Casting ballots through the HTTP API under load: POST /api/v1/votes/{id}/ballots from concurrent clients.

    .venv/bin/python bench/votes.py                               # 10,000 ballots, 32 clients, granian 2x4
    .venv/bin/python bench/votes.py --servers granian:2x4,2x4 --count 10000 --warmup 5000 --clients 32
    .venv/bin/python bench/votes.py --profile 300                 # the SQL of one cast and a cProfile

Starts the server (granian as `yishiting serve`, or gunicorn for "2x4" without a prefix) on a free localhost
port against PostgreSQL (default database
yishiting_bench_votes, never a test one). One unit holds `--count` flats, each with one owner who has an API
token (built once, in bulk). For each server configuration a fresh owners' vote (Art. 278, rebuild) is
opened on that unit; 32 client threads, each with its own keep-alive connection, cast one ballot per owner
back to back — every request does the whole cast: token, the vote, the voter, the shared row lock on the vote,
the unit's owners, the same-way check for multi-unit owners, the ballot and its event. Prints ballots/s and
latency percentiles, checks that the vote holds exactly one ballot per owner, and runs the framework's own
ceiling (GET /api/v1/health) on the same server. Server helpers come from bench/intake.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from _load import HEALTH, Request, Result, run, wrk_available
from _setup import database_label, machine_label, setup
from intake import free_port, report, server_complaints, server_label, start_server, stop_server

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_votes"
CHOICES = ["同意", "同意", "同意", "反对", "弃权"]


def electorate(count: int):
    """A unit with `count` flats and owners with tokens (built once; the secrets are kept in a local file)."""
    from tally278 import tree

    from yishiting.areas.models import Area, AreaLevel
    from yishiting.areas.services import area_create
    from yishiting.deliberation.tests.votes_world import bulk_owners

    estate = tree("VOTES")
    code = f"VOTES-U{count}"
    store = Path(tempfile.gettempdir()) / f"yishiting_bench_votes_{count}.json"
    unit = Area.objects.filter(code=code).first()
    if unit is not None and store.exists():
        return unit, json.loads(store.read_text())
    if unit is None:
        building = Area.objects.filter(code="VOTES-B").first() or area_create(
            actor=None, name="压测楼", level=AreaLevel.objects.get(code="building"), code="VOTES-B", parent=estate)
        unit = area_create(actor=None, name=f"{count}户单元", level=AreaLevel.objects.get(code="unit"), code=code,
                           parent=building)
    print(f"生成 {count:,} 户业主及其令牌……")
    owners = bulk_owners(unit, count, prefix=f"v{count}-{int(time.time())}-")
    secrets = [secret for _, _, secret in owners]
    store.write_text(json.dumps(secrets))
    return unit, secrets


def open_vote(unit, label: str) -> int:
    from tally278 import superuser

    from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
    from yishiting.deliberation.services.topics import topic_propose
    from yishiting.deliberation.services.votes import vote_open

    admin = superuser()
    topic = topic_propose(actor=admin, title=f"压测议题 {label}", description="", level_area=unit)
    return vote_open(actor=admin, topic=topic, question=f"压测表决 {label}", method=VoteMethod.OWNERS,
                     rule=VoteRule.ART278, matter=OwnersMatter.REBUILD, scope_area=unit).pk


CLIENT = "wrk" if wrk_available() else "python"


def drive(port: int, vote_id: int, secrets: list[str], clients: int, probe: bool = False) -> tuple[Result, float]:
    """Each client thread casts ballots back to back on its own connection, one owner after another."""
    lock, queue = threading.Lock(), list(enumerate(secrets))

    def next_request(_: int) -> Request | None:
        with lock:
            if not queue:
                return None
            index, secret = queue.pop()
        if probe:
            return HEALTH
        body = json.dumps({"choice": CHOICES[index % len(CHOICES)]}, ensure_ascii=False).encode()
        return ("POST", f"/api/v1/votes/{vote_id}/ballots", body,
                {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}, 201)

    return run(port, clients, next_request, CLIENT)


def check(vote_id: int, expected: int) -> str:
    from django.db.models import Count

    from yishiting.deliberation.models import Ballot

    ballots = Ballot.objects.filter(vote_id=vote_id)
    twice = ballots.values("household_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    return f"核对：表决内 {ballots.count():,} 张选票（应为 {expected:,}），一户多票 {twice} 户"


def bench_server(url: str, spec: str, unit, secrets: list[str], clients: int, warmup: int) -> None:
    port = free_port()
    warm_vote, vote_id = open_vote(unit, f"{spec} 预热"), open_vote(unit, spec)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(url, spec, port, Path(tmp) / "server.log")
        try:
            drive(port, warm_vote, secrets[:warmup], clients)
            result, seconds = drive(port, vote_id, secrets, clients)
            ceiling, ceiling_seconds = drive(port, vote_id, secrets, clients, probe=True)
        finally:
            stop_server(server)
        complaints = server_complaints(Path(tmp) / "server.log")
    report(f"投票：{server_label(spec)}，{clients} 个客户端", result, seconds)
    print("  " + check(vote_id, len(secrets)))
    report("  同一服务器的框架上限：GET /api/v1/health（无登录，一条 SELECT 1）", ceiling, ceiling_seconds)
    for line in complaints:
        print(f"  服务器日志：{line}")


def profile(unit, secrets: list[str], count: int) -> None:
    """The same POST in this process (Django's test client): the SQL of one cast, then a cProfile."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    vote_id = open_vote(unit, "剖析")
    web = Client(HTTP_HOST="localhost")

    def cast(secret: str) -> None:
        response = web.post(f"/api/v1/votes/{vote_id}/ballots", {"choice": "同意"}, content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 201, response.content[:300]

    cast(secrets[0])
    with CaptureQueriesContext(connection) as queries:
        cast(secrets[1])
    print(f"一次投票的 SQL：{len(queries)} 条")
    for number, query in enumerate(queries.captured_queries, start=1):
        print(f"  {number:2d}. {query['sql'][:140]}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for secret in secrets[2:count + 2]:
        cast(secret)
    profiler.disable()
    seconds = time.perf_counter() - started
    print(f"\n单线程进程内 {count} 票：{count / seconds:.0f} 票/秒（{seconds / count * 1000:.2f} ms/票，含剖析开销）")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(25)
    print("\n".join(out.getvalue().splitlines()[6:35]))


def main() -> None:
    parser = argparse.ArgumentParser(description="投票接口压测（HTTP，PostgreSQL）")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--count", type=int, default=10000, help="每种服务器配置的投票数（= 业主数）")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--servers", default="granian:2x4", help="逗号分隔的“[服务器:]进程x线程”，如 3x1,2x4,granian:2x4（不写服务器时为 gunicorn）")
    parser.add_argument("--warmup", type=int, default=5000,
                        help="正式计量前在另一次表决上先投的票数（不超过 --count；太少时 wrk 的延迟分位数失真）")
    parser.add_argument("--profile", type=int, default=0, help="只做剖析：在本进程内投 N 票")
    parser.add_argument("--client", choices=["wrk", "python"], default=CLIENT,
                        help="压测客户端：wrk（默认，装了时）或 Python 线程（每请求约 0.4 ms CPU，与服务器抢核）")
    parser.add_argument("--fast-paths", choices=["on", "off"], default="on", help="off：全部请求走 Django（对比用）")
    args = parser.parse_args()
    globals()["CLIENT"] = args.client
    os.environ["FAST_PATHS"] = "true" if args.fast_paths == "on" else "false"
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("这个压测只在 PostgreSQL 上做（--database-url postgresql://…）。")
    setup(args.database_url)
    unit, secrets = electorate(args.count)
    if args.profile:
        profile(unit, secrets, min(args.profile, len(secrets) - 2))
        return
    print(f"数据库：{database_label()}；机器：{machine_label()}；客户端：{args.client}；快速路径：{args.fast_paths}")
    for spec in args.servers.split(","):
        bench_server(args.database_url, spec.strip(), unit, secrets, args.clients, args.warmup)


if __name__ == "__main__":
    main()
