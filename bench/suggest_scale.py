"""Suggestion latency with a million stored demands (PostgreSQL): an index lookup, not a scan.

    .venv/bin/python bench/suggest_scale.py                      # 1,000,000 demands, 1,000 lookups
    .venv/bin/python bench/suggest_scale.py --demands 200000 --queries 500

Database: yishiting_bench_suggest (never a test one; --url to change), holding the demo district (scale 1,
25 communities). The first run loads the demands with COPY (texts from tests/data/demands_labelled.jsonl with
varied building numbers and tails, spread over 25 communities and three years, each with its signature keys
in the similar-demand index exactly as intake writes them); later runs reuse them. Loaded demands carry no
event chain: the lookup reads none.

Measured, per query text (a labelled text varied the same way, placed at a random building):
- `suggest` — what `GET /api/v1/demands/suggest` does in the service layer: category suggestion plus
  `similar_demands` for a community staff member (same community first, then elsewhere, visibility applied);
- the same through HTTP (granian as `yishiting serve` runs it, one worker, one client, token auth), for the figure a phone sees.
Before measuring, VACUUM (ANALYZE) the two tables (the state autovacuum keeps them in). Prints medians and
p95 in ms, how many similar demands were found, and EXPLAIN of one per-key lookup (an index-only scan).
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

from _setup import database_label, demo_root, machine_label, percentile, setup
from intake import free_port, load_texts, start_server, vary

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_suggest"
BATCH = 20_000


def buildings():
    """(building, its placement) for every building of the demo district."""
    from yishiting.areas.models import Area
    from yishiting.demands import intake

    root = demo_root()
    found = Area.objects.filter(level__code="building", path__startswith=root.path).order_by("path")
    return [(b, intake.placement(b)) for b in found]


def load(total: int, places, texts: list[str], rng: random.Random) -> None:
    """COPY `total` demands and their keys (skipped when that many are stored already)."""
    from django.db import connection
    from django.utils import timezone

    from yishiting.demands import intake, suggest
    from yishiting.demands.models import Demand, DemandKey

    have = Demand.objects.filter(number__startswith="B").count()
    if have >= total:
        print(f"已有 {have:,} 条压测诉求，直接复用。")
        return
    categories = {c.name: c.pk for c in intake.active_categories()}
    fallback = next(iter(categories.values()))
    signatures: dict[str, tuple[list[str], int]] = {}
    now = timezone.now()
    demand_cols = ["number", "district_id", "text", "category_id", "channel", "urgency", "area_id", "path",
                   "address", "reporter_kind", "consent_recorded", "status", "screening_area_id",
                   "screening_path", "level_area_id", "screening_deadline", "deadline_warning", "outcome",
                   "nature", "outcome_reason", "created_at"]
    key_cols = ["key", "community_id", "demand_id", "created_at", "version"]
    started = time.perf_counter()
    raw = connection.cursor().cursor
    next_id = (Demand.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    raw.execute(f"SELECT setval(pg_get_serial_sequence('{Demand._meta.db_table}', 'id'), %s)",
                [next_id + total])
    for start in range(have, total, BATCH):
        demand_rows, key_rows = [], []
        for number in range(start, min(total, start + BATCH)):
            text = vary(rng.choice(texts), rng)
            if text not in signatures:
                ranked = suggest.suggest_category(text)
                category = categories.get(ranked[0][0], fallback) if ranked else fallback
                signatures[text] = (list(dict.fromkeys(suggest.signature(text))), category)
            keys, category = signatures[text]
            building, place = rng.choice(places)
            created = now - timedelta(seconds=rng.randint(60, 3 * 365 * 86400))
            pk = next_id + number - have
            demand_rows.append((f"B{number:08d}", place.district.pk, text, category, "online", "normal",
                                building.pk, building.path, "", "self", False,
                                "pending" if rng.random() < 0.05 else "rejected", place.community.pk,
                                place.community.path, place.level.pk, created.date(), "", "", "", "", created))
            key_rows += [(key[:64], place.community.pk, pk, created, suggest.SIGNATURE_VERSION) for key in keys]
        with raw.copy(f"COPY {Demand._meta.db_table} (id, {', '.join(demand_cols)}) FROM STDIN") as copy:
            for offset, row in enumerate(demand_rows):
                copy.write_row((next_id + start - have + offset, *row))
        with raw.copy(f"COPY {DemandKey._meta.db_table} ({', '.join(key_cols)}) FROM STDIN") as copy:
            for row in key_rows:
                copy.write_row(row)
        done = min(total, start + BATCH)
        print(f"  已载入 {done:,} / {total:,} 条（{time.perf_counter() - started:.0f} s）", flush=True)
    print(f"载入用时 {time.perf_counter() - started:.0f} s；"
          f"索引键 {DemandKey.objects.count():,} 行")


def staff_for(community):
    """A community staff member of `community` with a login (created once, reused) and an API token."""
    import secrets

    from django.contrib.auth.hashers import make_password

    from yishiting.accounts.models import User
    from yishiting.accounts.services import token_create
    from yishiting.areas import services
    from yishiting.areas.choices import Role

    user, created = User.objects.get_or_create(username=f"bench_staff_{community.pk}",
                                               defaults={"password": make_password(secrets.token_urlsafe(16))})
    if created:
        person = services.person_create(actor=None, name="压测社区工作人员", mobile="", area=community, user=user)
        services.role_assign(actor=None, person=person, role=Role.COMMUNITY_STAFF, area=community)
    _, secret = token_create(actor=user, name="bench/suggest_scale.py")
    return user, secret


def measure_service(queries: list[tuple[str, object]], user,
                    cpu: list[float] | None = None) -> tuple[list[float], list[int]]:
    """Wall-clock ms per query (and, into ``cpu``, this process's CPU ms: what the Python side costs, without
    waiting for a CPU on a busy machine or for PostgreSQL)."""
    from yishiting.demands import intake
    from yishiting.demands.selectors import demands_visible_to

    times, found = [], []
    for text, area in queries:
        user.__dict__.pop("_yishiting_roles", None)  # as in a new request
        started, cpu_started = time.perf_counter(), time.process_time()
        intake.suggest_category(text)
        similar = intake.similar_demands(text, area, visible=demands_visible_to(user))
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_started) * 1000)
        found.append(len(similar))
    return times, found


def measure_http(url: str, queries: list[tuple[str, object]], secret: str) -> list[float]:
    import tempfile

    port = free_port()
    log = Path(tempfile.mkstemp(prefix="suggest-granian-", suffix=".log")[1])
    server = start_server(url, "granian:1x1", port, log)  # what `yishiting serve` runs
    times = []
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {secret}", "Host": "127.0.0.1"}
        for text, area in queries:
            path = "/api/v1/demands/suggest?" + urllib.parse.urlencode({"text": text, "area": area.pk})
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            times.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                sys.exit(f"HTTP {response.status}: {body[:300]!r}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


def explain(text: str, community) -> str:
    from django.db import connection

    from yishiting.demands import suggest
    from yishiting.demands.models import DemandKey

    key = suggest.signature(text)[0]
    qs = (DemandKey.objects.filter(key=key, community=community).order_by("-created_at")
          .values_list("demand_id", flat=True)[:50])
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL 数据库（不能是测试库）")
    parser.add_argument("--demands", type=int, default=1_000_000, help="库中诉求条数")
    parser.add_argument("--queries", type=int, default=1000, help="测量的查询次数")
    parser.add_argument("--no-http", action="store_true", help="不测 HTTP")
    args = parser.parse_args()
    setup(args.url)

    rng = random.Random(20261122)
    texts = load_texts()
    places = buildings()
    load(args.demands, places, texts, rng)

    from django.db import connection

    from yishiting.demands.models import Demand, DemandKey

    with connection.cursor() as cursor:  # as autovacuum leaves it: statistics, and a visibility map
        cursor.execute(f"VACUUM (ANALYZE) {Demand._meta.db_table}, {DemandKey._meta.db_table}")
    stored = Demand.objects.count()
    building, place = places[len(places) // 2]
    user, secret = staff_for(place.community)
    local = [(b, p) for b, p in places if p.community.pk == place.community.pk]
    queries = [(vary(rng.choice(texts), rng), rng.choice(local)[0]) for _ in range(args.queries)]
    measure_service(queries[:50], user)  # warm the caches and the connection
    cpu: list[float] = []
    times, found = measure_service(queries, user, cpu)
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    print(f"库中诉求 {stored:,} 条；查询 {len(times)} 次，社区工作人员（{place.community.name}）视角")
    print(f"服务层（类别建议 + 相似诉求）：中位数 {statistics.median(times):.2f} ms，p95 {percentile(times, 0.95):.2f} ms，"
          f"最长 {max(times):.1f} ms；每次平均找到相似诉求 {statistics.mean(found):.1f} 条")
    print(f"  其中本进程 CPU：中位数 {statistics.median(cpu):.2f} ms，p95 {percentile(cpu, 0.95):.2f} ms"
          f"（不含排队等 CPU 和 PostgreSQL 的时间）；测完时负载 {machine_label()}")
    if not args.no_http:
        http_times = measure_http(args.url, queries, secret)
        print(f"HTTP GET /api/v1/demands/suggest（granian 1 进程，单客户端）：中位数 "
              f"{statistics.median(http_times):.2f} ms，p95 {percentile(http_times, 0.95):.2f} ms")
    print("一个检索键的查询计划：")
    print(explain(queries[0][0], place.community))


if __name__ == "__main__":
    main()
