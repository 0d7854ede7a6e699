"""Shared start-up for the benchmark scripts: pick a database that is never the test one, create it if it
is missing, point Django at it and migrate. Benchmarks print figures; they are not tests."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def refuse_test_database(url: str) -> None:
    name = database_name(url)
    if name == "test" or name.startswith("test_"):
        sys.exit(f"拒绝在测试数据库“{name}”上跑压测：请用单独的数据库，例如 yishiting_bench。")


def ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE if it does not exist (connecting to the server's `postgres` database)."""
    import psycopg

    name = database_name(url)
    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme.replace("postgres://", "postgresql://"), parts.netloc, "/postgres",
                            parts.query, ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"已创建数据库 {name}")


def setup(url: str, *, migrate: bool = True) -> None:
    """Configure Django for `url` (before anything imports settings) and bring the schema up to date."""
    refuse_test_database(url)
    if url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(url)
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["DEBUG"] = "false"  # DEBUG keeps every SQL statement in memory and skews timings

    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def database_label() -> str:
    """"postgresql 16.4 (yishiting_bench)" or "sqlite 3.40.1 (…/bench_demo.sqlite3)"."""
    from django.db import connection

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        version = f"{major}.{minor}"
    else:
        import sqlite3

        version = sqlite3.sqlite_version
    return f"{connection.vendor} {version}（{connection.settings_dict['NAME']}）"


def machine_label() -> str:
    """CPU count and load: timings on a busy machine are not comparable."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} 核，负载 {one:.2f} / {five:.2f} / {fifteen:.2f}（1/5/15 分钟）"


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0.5 median, 0.95 p95) of the measured times, nearest rank: one rule for every bench."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def demo_root():
    """The demo district (scale 1), built first when the database holds none."""
    from yishiting.areas.demo import demo_district

    root = demo_district()
    if root is None:
        from django.core.management import call_command

        print("生成演示区（scale 1）……", flush=True)
        call_command("demo", scale=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
        root = demo_district()
    return root


def timed(call, runs: int) -> tuple[list[float], int]:
    """`call`'s query count (one call, after the caller's warm-up) and its times in ms over `runs` calls."""
    import time

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    count = len(queries)
    timings = []
    for _ in range(runs):
        reset_queries()
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return timings, count
