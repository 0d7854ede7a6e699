"""Open311 GeoReport v2 `GET requests.json`: ours beside a Django peer serving the same requests, over HTTP with
the same client — requests/s and p50/p95 latency for each (issue 18: faster than the peer per request).

    .venv/bin/python bench/open311_peer.py                         # 10,000 requests, 300 fetches a page each
    .venv/bin/python bench/open311_peer.py --fetches 600 --clients 1,2 --server 2x1

The peer is 6aika/issue-reporting (https://github.com/6aika/issue-reporting, Helsinki's "city feedback hub"):
Django 3.2 + Django REST framework, GeoReport v2 at /api/georeport/v2/requests.json, 100 requests a page
(REST_FRAMEWORK PAGE_SIZE; ?page=N, a COUNT(*) for its X-Result-Count header), public (no api_key), newest
first (-pk), service names through django-parler. Set it up once, outside this repository (never in .venv):

    git clone https://github.com/6aika/issue-reporting /tmp/peer311/src
    python3.11 -m venv /tmp/peer311/venv
    /tmp/peer311/venv/bin/pip install -r /tmp/peer311/src/requirements.txt psycopg2-binary gunicorn rasterio

(rasterio only for the GDAL and GEOS libraries its wheel carries: the peer's settings load django.contrib.gis,
which needs them, and this machine has no system GDAL.) This script writes /tmp/peer311/peer_settings.py (the
peer's own settings plus those library paths), migrates the peer's database (yishiting_bench_o311_peer; --peer-url) and
loads into it, through the peer's own models, the very requests our server answers: every demand our key
may see in the last 90 days (our default window) with the same id, category, text, status, notes, agency,
times and masked address. Ours: the demo district (scale 1) plus --requests demands spread over the last 80
days, loaded once by bench/lists_scale.py's loader (database yishiting_bench_o311; --url), read with a district
official's api_key (one token lookup a request: the peer has none).

Both servers run at the same time, each under gunicorn with the same shape (--server, default 2 sync workers)
with DEBUG off; the client (bench/_load.py: threads, each on its own connection, http.client) sends one page
at a time to one server, alternating between them in rounds so that both see the same machine load. Pages:
the first (100 requests: both servers' default page size), page 5 and status=open. Prints per server and
page: requests/s, p50 and p95 in ms, the bytes of one answer and how many requests it held.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _load import load
from _setup import ROOT, database_label, demo_root, machine_label, percentile, setup
from intake import free_port, stop_server
from lists_scale import load_demands

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_o311"
PEER_URL = "postgres://postgres@127.0.0.1:5432/yishiting_bench_o311_peer"
PEER_DIR = Path("/tmp/peer311")

PEER_SETTINGS = '''"""6aika/issue-reporting's settings, plus the GDAL/GEOS libraries of the rasterio wheel (bench/open311_peer.py)."""
import glob
import os

from cfh.settings import *  # noqa: F403

_LIBS = glob.glob(os.path.join(os.path.dirname(__file__), "venv/lib/python3*/site-packages/rasterio.libs"))[0]
GDAL_LIBRARY_PATH = glob.glob(_LIBS + "/libgdal-*.so*")[0]
GEOS_LIBRARY_PATH = glob.glob(_LIBS + "/libgeos_c-*.so*")[0]
'''

# Run by the peer's Python: our answers (a JSON file) into the peer's tables through its own models.
PEER_LOADER = '''
import json, sys
import django
django.setup()
from django.db import transaction
from django.utils.dateparse import parse_datetime
from issues.models import Application, Issue, Jurisdiction, Service

rows = json.load(open(sys.argv[1], encoding="utf-8"))
with transaction.atomic():
    Issue.objects.all().delete()
    app = Application.autodetermine()
    place = Jurisdiction.autodetermine()
    services = {}
    for row in rows:
        code = row["service_code"]
        if code not in services:
            services[code] = Service.objects.filter(service_code=code).first() or Service.objects.create(
                service_code=code, service_name=row["service_name"], location_req="none")
    moment = lambda text: parse_datetime(text) if text else None
    Issue.objects.bulk_create([Issue(
        application=app, jurisdiction=place, service=services[r["service_code"]], service_code=r["service_code"],
        identifier=r["service_request_id"], description=r["description"], status=r["status"],
        status_notes=r["status_notes"], agency_responsible=r["agency_responsible"],
        service_notice=r["service_notice"], requested_datetime=moment(r["requested_datetime"]),
        updated_datetime=moment(r["updated_datetime"]), expected_datetime=moment(r["expected_datetime"]),
        address=r["address"] or "", moderation="public") for r in reversed(rows)], batch_size=2000)
print(Issue.objects.count())
'''


def peer_env(url: str) -> dict[str, str]:
    libs = next(PEER_DIR.glob("venv/lib/python3*/site-packages/rasterio.libs"))
    return {**os.environ, "PYTHONPATH": str(PEER_DIR), "DJANGO_SETTINGS_MODULE": "peer_settings",
            "LD_LIBRARY_PATH": str(libs), "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32),
            "DEBUG": "false"}


def peer_python(*args: str, url: str) -> str:
    result = subprocess.run([str(PEER_DIR / "venv/bin/python"), *args], cwd=PEER_DIR / "src", env=peer_env(url),
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"对照实现出错：{' '.join(args[:2])}\n{result.stderr[-3000:]}")
    return result.stdout


def district_key(root) -> str:
    """A district official's api_key (the login created once, a new token each run)."""
    from lists_scale import persona

    from yishiting.areas.choices import Role

    return persona(root, Role.DISTRICT_OFFICIAL, "压测区级干部")[1]


def our_requests(key: str) -> list[dict]:
    """Every request our requests.json would page through for this key (the default 90-day window), as we answer
    each one: the peer gets exactly these."""
    from django.utils import timezone

    from yishiting.accounts.services import token_authenticate
    from yishiting.open311 import selectors, views

    rows = selectors.service_requests(token_authenticate(key)).filter(
        created_at__gte=timezone.now() - views.MAX_RANGE)
    labels = views._status_labels()
    return [views._request(demand, labels) for demand in rows.iterator(chunk_size=2000)]


def load_peer(url: str, rows: list[dict]) -> None:
    if not (PEER_DIR / "venv/bin/python").exists():
        sys.exit(f"没有找到对照实现：请先按本文件开头的说明在 {PEER_DIR} 安装 6aika/issue-reporting。")
    (PEER_DIR / "peer_settings.py").write_text(PEER_SETTINGS, encoding="utf-8")
    peer_python("manage.py", "migrate", "--verbosity", "0", url=url)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(rows, handle, ensure_ascii=False)
    stored = peer_python("-c", PEER_LOADER, handle.name, url=url).strip()
    os.unlink(handle.name)
    print(f"对照实现载入 {int(stored):,} 条请求", flush=True)
    vacuum(url)


def vacuum(url: str) -> None:
    """VACUUM (ANALYZE) after a load: without statistics PostgreSQL plans a join of every row before the sort."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def gunicorn_argv(python: Path, app: str, port: int, spec: str) -> list[str]:
    workers, threads = (int(x) for x in spec.lower().split("x"))
    return [str(python), "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(threads), "--worker-class", "gthread" if threads > 1 else "sync",
            "--timeout", "120", "--log-level", "warning"]


def start(command: list[str], cwd: Path, env: dict[str, str], port: int, probe: str, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"),
                              start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{command[2]} 启动失败：\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", probe)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"{command[2]} 90 秒内没有就绪：\n{log.read_text()[-3000:]}")


def fetch_once(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def drive(port: int, path: str, fetches: int, clients: int) -> tuple[list[float], float]:
    """`fetches` GETs of `path` from `clients` threads: every latency (s) and the wall time they took."""
    remaining = [fetches]

    def next_request(_index: int):
        if remaining[0] <= 0:
            return None
        remaining[0] -= 1
        return ("GET", path, None, {}, 200)

    result, elapsed = load(port, clients, next_request)
    if result.errors:
        sys.exit(f"{path}: {result.errors[:3]}")
    return result.latencies, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="我们的 PostgreSQL 数据库（不能是测试库）")
    parser.add_argument("--peer-url", default=PEER_URL, help="对照实现的 PostgreSQL 数据库")
    parser.add_argument("--requests", type=int, default=10_000, help="载入的诉求数（最近 80 天）")
    parser.add_argument("--fetches", type=int, default=300, help="每个服务器每页的请求数（分 3 轮交替）")
    parser.add_argument("--clients", default="1,2", help="逗号分隔的并发客户端数")
    parser.add_argument("--server", default="2x1", help="两边相同的 gunicorn 形状：进程x线程")
    args = parser.parse_args()
    setup(args.url)

    root = demo_root()
    load_demands(root, args.requests, days=80)
    vacuum(args.url)
    key = district_key(root)
    rows = our_requests(key)
    print(f"我们的请求（该 key 最近 90 天可见）：{len(rows):,} 条", flush=True)
    load_peer(args.peer_url, rows)

    logs = Path(tempfile.mkdtemp(prefix="open311_peer_"))
    ours_port, peer_port = free_port(), free_port()
    ours_env = {**os.environ, "DATABASE_URL": args.url, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING", "MESSAGING_BACKEND": "console"}
    ours_env.pop("YISHITING_TESTING", None)
    servers = {
        "ours": start(gunicorn_argv(Path(sys.executable), "config.wsgi:application", ours_port, args.server), ROOT,
                      ours_env, ours_port, "/api/v1/health", logs / "ours.log"),
        "peer": start(gunicorn_argv(PEER_DIR / "venv/bin/python", "cfh.wsgi:application", peer_port, args.server),
                      PEER_DIR / "src", peer_env(args.peer_url), peer_port, "/api/georeport/v2/services.json",
                      logs / "peer.log"),
    }
    try:
        report(args, {"ours": ours_port, "peer": peer_port}, key)
    finally:
        for server in servers.values():
            stop_server(server)


def report(args, ports: dict[str, int], key: str) -> None:
    pages = {  # the same page of the same requests on both sides, 100 a page
        "第 1 页": {"ours": f"/open311/v2/requests.json?api_key={key}",
                   "peer": "/api/georeport/v2/requests.json"},
        "第 5 页": {"ours": f"/open311/v2/requests.json?api_key={key}&page=5",
                   "peer": "/api/georeport/v2/requests.json?page=5"},
        "status=open": {"ours": f"/open311/v2/requests.json?api_key={key}&status=open",
                        "peer": "/api/georeport/v2/requests.json?status=open"},
    }
    print(f"数据库：{database_label()}；服务器：两边都是 gunicorn {args.server}（DEBUG 关）；{machine_label()}")
    print("| 页面 | 实现 | 并发 | 请求/秒 | p50 ms | p95 ms | 一次答复字节 | 条数 |\n|---|---|---|---|---|---|---|---|")
    rounds = 3
    for clients in (int(c) for c in args.clients.split(",")):
        for label, paths in pages.items():
            figures: dict[str, dict] = {side: {"lat": [], "elapsed": 0.0} for side in paths}
            for side, path in paths.items():
                drive(ports[side], path, 5, 1)  # warm-up
            for _ in range(rounds):
                for side, path in paths.items():
                    latencies, elapsed = drive(ports[side], path, max(1, args.fetches // rounds), clients)
                    figures[side]["lat"] += latencies
                    figures[side]["elapsed"] += elapsed
            for side, path in paths.items():
                status, body = fetch_once(ports[side], path)
                count = len(json.loads(body)) if status == 200 else 0
                lat = figures[side]["lat"]
                print(f"| {label} | {'我们' if side == 'ours' else '对照（6aika/issue-reporting）'} | {clients} | "
                      f"{len(lat) / figures[side]['elapsed']:.1f} | {percentile(lat, 0.5) * 1000:.1f} | "
                      f"{percentile(lat, 0.95) * 1000:.1f} | {len(body):,} | {count} |", flush=True)
    print(f"测完时：{machine_label()}")


if __name__ == "__main__":
    main()
