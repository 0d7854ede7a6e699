"""Demand intake through the HTTP API under load: POST /api/v1/demands from concurrent clients.

    .venv/bin/python bench/intake.py                                  # 6,000 demands, 32 clients, granian 2x3
    .venv/bin/python bench/intake.py --servers granian:2x3,granian:3x1,3x1 --count 6000 --clients 32
    .venv/bin/python bench/intake.py --client python                  # latencies measured per request in Python
    .venv/bin/python bench/intake.py --profile 300                   # cProfile + queries of one submit
    .venv/bin/python bench/intake.py --api open311                    # POST /open311/v2/requests.json instead
    .venv/bin/python bench/intake.py --api native,open311             # both, one after the other, same server

Starts the server (granian with the very command line of `yishiting serve`; "3x1" without a prefix is gunicorn,
for comparison) with
config.wsgi on a free localhost port against PostgreSQL (default database
yishiting_bench_intake, never a test one) holding the demo district (scale 1). Each client is a grid worker
of a different estate with its own API token and its own keep-alive connection; it submits demands about
buildings of its estate (texts from tests/data/demands_labelled.jsonl with varied building numbers), each with
an Idempotency-Key. Every request does the whole intake: category suggestion, numbering, screening deadline,
similar-demand index, event log, in-app notification and the (console) SMS after commit. Prints demands/s
and latency percentiles per server configuration ("granian:3x1" = 3 worker processes × 1 thread; "2x8" =
gunicorn, 2 processes × 8 threads), then the raw PostgreSQL single-row insert rate from pgbench (32 clients, one INSERT per
transaction into a scratch table) so the ratio can be judged.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from _load import HEALTH, Request, Result, run, wrk_available
from _setup import ROOT, database_label, database_name, machine_label, setup

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_intake"
TEXTS = ROOT / "tests" / "data" / "demands_labelled.jsonl"
BUILDING_RE = re.compile(r"\d+(?=(号楼|栋|幢))")


@dataclass
class Client:
    token: str
    building_ids: list[int]
    building_codes: list[str]  # the same buildings' area codes (Open311's attribute[area_code])


SERVICE_CODES: list[str] = []  # the active categories' codes (Open311's service_code), read at set-up


def load_texts() -> list[str]:
    with open(TEXTS, encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def vary(text: str, rng: random.Random) -> str:
    """Another building number and a short tail, so stored demands are not all identical."""
    text = BUILDING_RE.sub(lambda m: str(rng.randint(1, 30)), text)
    return text + rng.choice(["", "，请尽快处理", "，已经好几天了", "。谢谢", "，希望社区帮忙协调"])


# ---------------------------------------------------------------- set-up (in this process, Django)


def make_clients(count: int) -> list[Client]:
    """One grid worker per estate of the demo (created once, reused), each with a fresh API token."""
    from django.contrib.auth.hashers import make_password

    from yishiting.accounts.models import User
    from yishiting.accounts.services import token_create
    from yishiting.areas import services
    from yishiting.areas.choices import Role
    from yishiting.areas.models import Area

    estates = list(Area.objects.filter(level__code="estate", path__startswith=demo_path()).order_by("path"))
    rng = random.Random(7)
    rng.shuffle(estates)
    password = make_password(secrets.token_urlsafe(16))
    clients = []
    for index, estate in enumerate(estates[:count]):
        user, created = User.objects.get_or_create(username=f"bench_grid_{index:02d}",
                                                   defaults={"password": password})
        if created:
            person = services.person_create(actor=None, name=f"压测网格员{index:02d}", mobile="", area=estate, user=user)
            services.role_assign(actor=None, person=person, role=Role.GRID_WORKER, area=estate)
        _, secret = token_create(actor=user, name="bench/intake.py")
        buildings = list(Area.objects.filter(level__code="building", path__startswith=estate.path)
                         .values_list("pk", "code")) or [(estate.pk, estate.code)]
        clients.append(Client(secret, [pk for pk, _ in buildings], [code for _, code in buildings]))
    if len(clients) < count:
        sys.exit(f"演示区只有 {len(clients)} 个小区，少于 --clients {count}。")
    return clients


def demo_path() -> str:
    from django.core.management import call_command

    from yishiting.areas.demo import demo_district

    if demo_district() is None:
        print("生成演示区（scale 1）……")
        call_command("demo", scale=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return demo_district().path


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_spec(spec: str) -> tuple[str, int, int]:
    """"2x4" or "gunicorn:2x4" → gunicorn, 2 workers × 4 threads; "granian:2x4" → granian (WSGI), 2 workers × 4
    blocking threads."""
    server, _, shape = spec.lower().strip().rpartition(":")
    workers, threads = (int(x) for x in shape.split("x"))
    return server or "gunicorn", workers, threads


def server_label(spec: str) -> str:
    server, workers, threads = parse_spec(spec)
    if server == "granian":
        return f"granian {workers} 进程 × {threads} 线程（WSGI）"
    return f"gunicorn {workers} 进程 × {threads} 线程（{'gthread' if threads > 1 else 'sync'}）"


def server_command(spec: str, port: int) -> list[str]:
    server, workers, threads = parse_spec(spec)
    if server == "granian":  # exactly what `yishiting serve` runs, access log included
        from yishiting.common.management.commands.serve import granian_argv

        return granian_argv(bind=f"127.0.0.1:{port}", workers=workers, threads=threads)
    if server != "gunicorn":
        sys.exit(f"不认识的服务器：{server}（gunicorn 或 granian）")
    return [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", str(threads), "--backlog", "2048",
            "--worker-class", "gthread" if threads > 1 else "sync", "--timeout", "120", "--log-level", "warning"]


def start_server(url: str, spec: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "FAST_PATHS": os.environ.get("FAST_PATHS", "true"),
           "SECRET_KEY": os.environ["SECRET_KEY"], "MESSAGING_BACKEND": "console", "LOG_LEVEL": "WARNING"}
    env.pop("YISHITING_TESTING", None)
    command = server_command(spec, port)
    # The console SMS backend prints one line per demand: that output is part of the work, but not shown.
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=log.open("w"), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{command[2]} 启动失败：\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/health")  # openapi.json takes seconds to build
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit(f"{command[2]} 60 秒内没有就绪。")


def server_complaints(log: Path, limit: int = 5) -> list[str]:
    """The first distinct warnings and errors the server logged (a 400's reason, a traceback's last line)."""
    lines = [x.strip() for x in log.read_text(errors="replace").splitlines() if x.strip()]
    wanted = [x for x in lines if not x.startswith("[INFO]") and ("Bad Request" in x or "Error" in x
                                                                  or "Invalid" in x or "error" in x)]
    return list(dict.fromkeys(wanted))[:limit]


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# ---------------------------------------------------------------- the load

CLIENT = "wrk" if wrk_available() else "python"


def drive(port: int, clients: list[Client], texts: list[str], total: int,
          probe: bool = False, api: str = "native") -> tuple[Result, float]:
    """Each client thread posts demands back to back on its own connection until `total` are done
    (probe=True: GET /api/v1/health instead, one `SELECT 1` and no login — the framework's own ceiling).
    api="open311": the same demands as Open311 forms (api_key in the form, a building by attribute[area_code])."""
    lock, remaining = threading.Lock(), [total]
    rngs = [random.Random(i) for i in range(len(clients))]

    def next_request(index: int) -> Request | None:
        with lock:
            if remaining[0] <= 0:
                return None
            remaining[0] -= 1
        if probe:
            return HEALTH
        client, rng = clients[index], rngs[index]
        if api == "open311":
            form = urlencode({"api_key": client.token, "service_code": rng.choice(SERVICE_CODES),
                              "description": vary(rng.choice(texts), rng), "address_string": "3栋2单元门口",
                              "attribute[area_code]": rng.choice(client.building_codes)})
            return ("POST", "/open311/v2/requests.json", form.encode(), {
                "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": str(uuid.uuid4())}, 201)
        body = json.dumps({"text": vary(rng.choice(texts), rng), "area_id": rng.choice(client.building_ids),
                           "channel": "patrol", "urgency": rng.choice(["normal"] * 8 + ["urgent"]),
                           "reporter_kind": rng.choice(["self", "self", "anonymous"])}, ensure_ascii=False)
        return ("POST", "/api/v1/demands", body.encode(), {
            "Authorization": f"Bearer {client.token}", "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4())}, 201)

    return run(port, len(clients), next_request, CLIENT)


def report(label: str, result: Result, seconds: float) -> None:
    ms = {k: v * 1000 for k, v in result.percentiles().items()}
    done = result.done if result.done is not None else \
        len(result.latencies) - sum(e.startswith("HTTP") for e in result.errors)
    print(f"{label}：{done:,} 次用时 {seconds:.1f} s → {done / seconds:,.0f} 次/秒；延迟 p50 {ms['p50']:.1f} ms，"
          f"p90 {ms['p90']:.1f} ms，p99 {ms['p99']:.1f} ms，最长 {ms['max']:.0f} ms；"
          f"平均 {ms['mean']:.1f} ms；"
          f"错误 {len(result.errors)}")
    for error in result.errors[:3]:
        print(f"  例：{error}")


API_LABELS = {"native": "POST /api/v1/demands", "open311": "POST /open311/v2/requests.json"}


def bench_server(url: str, spec: str, clients: list[Client], texts: list[str], count: int, warmup: int,
                 apis: list[str]) -> None:
    port = free_port()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(url, spec, port, Path(tmp) / "server.log")
        try:
            for api in apis:
                drive(port, clients, texts, warmup, api=api)  # connections, caches, the model in every worker
                results.append((api, *drive(port, clients, texts, count, api=api)))
            ceiling, ceiling_seconds = drive(port, clients, texts, count, probe=True)
        finally:
            stop_server(server)
        complaints = server_complaints(Path(tmp) / "server.log")
    for api, result, seconds in results:
        report(f"{server_label(spec)}，{len(clients)} 个客户端，{API_LABELS[api]}", result, seconds)
    report("  同一服务器的框架上限：GET /api/v1/health（无登录，一条 SELECT 1）", ceiling, ceiling_seconds)
    for line in complaints:
        print(f"  服务器日志：{line}")


# ---------------------------------------------------------------- pgbench


def pgbench(url: str, clients: int, seconds: int) -> None:
    """Raw single-row INSERT rate: one INSERT per transaction, same server, same client count."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_insert")
        cursor.execute("CREATE TABLE bench_raw_insert (id bigserial PRIMARY KEY, at timestamptz NOT NULL "
                       "DEFAULT now(), text text NOT NULL)")
    settings = connection.settings_dict
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_raw_insert (text) VALUES ('3栋楼道灯坏了一个星期，晚上上下楼很黑');\n")
    command = ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script.name,
               "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
               "-U", settings["USER"] or "postgres", database_name(url)]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    try:
        output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"pgbench 运行失败：{exc}")
        return
    finally:
        os.unlink(script.name)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw_insert")
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
    latency = re.search(r"latency average = ([\d.]+) ms", output)
    print(f"PostgreSQL 原始单行插入（pgbench，{clients} 个客户端，每事务一条 INSERT，{seconds} s）："
          f"{float(tps[1]):,.0f} 条/秒，平均延迟 {latency[1]} ms" if tps and latency else output)


# ---------------------------------------------------------------- profile


def profile(client: Client, texts: list[str], count: int) -> None:
    """The same POST in this process (Django's test client, one thread): where the time and queries go."""
    import cProfile
    import io
    import pstats
    from collections import Counter

    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    web = DjangoClient(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {client.token}")
    rng = random.Random(1)

    def post() -> None:
        body = {"text": vary(rng.choice(texts), rng), "area_id": rng.choice(client.building_ids),
                "channel": "patrol", "reporter_kind": "self"}
        response = web.post("/api/v1/demands", body, content_type="application/json",
                            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        assert response.status_code == 201, response.content[:300]

    for _ in range(20):
        post()
    with CaptureQueriesContext(connection) as queries:
        post()
    print(f"一次提交的 SQL：{len(queries)} 条")
    for number, query in enumerate(queries.captured_queries, start=1):
        print(f"  {number:2d}. {query['time']}s  {query['sql'][:150]}")
    kinds = Counter(q["sql"].split()[0] for q in queries.captured_queries)
    print("  按类型：" + "，".join(f"{k} {v}" for k, v in kinds.most_common()))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        post()
    profiler.disable()
    seconds = time.perf_counter() - started
    print(f"\n单线程进程内 {count} 条：{count / seconds:.0f} 条/秒（{seconds / count * 1000:.1f} ms/条，含剖析开销）")
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(30)
        print(f"\n== 按 {key} 排序 ==\n" + "\n".join(out.getvalue().splitlines()[6:40]))
    if os.environ.get("PROFILE_CALLEES"):  # e.g. PROFILE_CALLEES="_create|insert_together": what those call
        pstats.Stats(profiler).strip_dirs().sort_stats("cumulative").print_callees(os.environ["PROFILE_CALLEES"])


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description="诉求提交接口压测（HTTP，PostgreSQL）")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--count", type=int, default=6000, help="每种服务器配置提交的诉求数")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--servers", default="granian:2x3", help="逗号分隔的“[服务器:]进程x线程”，如 2x8,3x1,granian:2x4（不写服务器时为 gunicorn）")
    parser.add_argument("--warmup", type=int, default=1000,
                        help="正式计量前先提交的条数（各进程建连接、预编译语句、载入模型；太少时 wrk 的延迟分位数失真）")
    parser.add_argument("--pgbench-seconds", type=int, default=15, help="0 表示不跑 pgbench")
    parser.add_argument("--profile", type=int, default=0, help="只做剖析：在本进程内提交 N 条并打印耗时分布")
    parser.add_argument("--api", default="native", help="native、open311，或逗号分隔的两者（同一服务器上依次测）")
    parser.add_argument("--client", choices=["wrk", "python"], default=CLIENT,
                        help="压测客户端：wrk（默认，装了时）或 Python 线程（每请求约 0.4 ms CPU，与服务器抢核）")
    args = parser.parse_args()
    globals()["CLIENT"] = args.client
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("这个压测只在 PostgreSQL 上做（--database-url postgresql://…）。")
    setup(args.database_url)
    apis = [api.strip() for api in args.api.split(",")]
    if not apis or set(apis) - set(API_LABELS):
        sys.exit(f"--api 只能是 {'、'.join(API_LABELS)}。")
    texts = load_texts()
    clients = make_clients(args.clients)
    from yishiting.demands.selectors import categories_active

    SERVICE_CODES.extend(categories_active().exclude(code="").values_list("code", flat=True))
    if args.profile:
        profile(clients[0], texts, args.profile)
        return
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    for spec in args.servers.split(","):
        bench_server(args.database_url, spec.strip(), clients, texts, args.count, args.warmup, apis)
    if args.pgbench_seconds:
        pgbench(args.database_url, args.clients, args.pgbench_seconds)


if __name__ == "__main__":
    main()
