"""The app through a real pgbouncer in transaction mode (docs/deploy.md, 连接池 pgbouncer). PostgreSQL only.

Debian 12's pgbouncer (1.18) runs as a subprocess on a free port in front of a copy of the test database (CREATE
DATABASE … TEMPLATE: already migrated), with two server connections per pool. `yishiting serve` (granian with
eight threads, each with a persistent connection of its own) reaches it with
DB_POOLER=pgbouncer; so does `yishiting shell`, which builds the personas' world. Over real HTTP a resident logs
in, files demands through the API with Idempotency-Keys — sixteen at once — and reads them back, and staff export
a list; pgbouncer's own console shows the app's connections sharing two server connections. Without the setting
the app cannot connect at all (pgbouncer refuses the `options` startup parameter), and with the fast paths'
prepared statements switched on behind it, a second connection's demand fails.

pgbouncer refuses to run as root: as root it is started with `-u postgres`. Without the binary (Debian package
`pgbouncer`, scripts/system-deps.sh) the module is skipped, and fails under CI=true.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from yishiting.common.testing import tool_missing
from yishiting.common.tests import test_serve_granian as served

# One xdist group (scripts/test.sh): the three tests share one pgbouncer, database copy and server, set up once.
pytestmark = pytest.mark.xdist_group("pgbouncer")
POOL_SIZE = 2  # server connections per pool; the app has 8 threads, the test 16 clients at once
CONFIG = """\
[databases]
{db} = host={pg_host} port={pg_port} dbname={db}
{db}_single = host={pg_host} port={pg_port} dbname={db} pool_size=1

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {dir}/userlist.txt
admin_users = {user}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
"""
# Run with DB_POOLER=pgbouncer against the pool of one server connection. First a connection made with the
# settings the app has without DB_POOLER. Then two residents' demands, one connection each, one after the other:
# as the settings have it behind the pooler, then with the fast paths' prepared statements switched on.
WITHOUT_THE_SETTING = """
import json, os, threading
from django.conf import settings
from django.db import connection
from django.db.utils import ConnectionHandler
os.environ.pop("DB_POOLER")
from config.settings import database_from_env
direct = ConnectionHandler({"default": database_from_env()})["default"]  # a handler of its own
try:
    direct.ensure_connection()
    print("DIRECT connected")
except Exception as exc:
    print("DIRECT " + str(exc).strip().splitlines()[-1])
from yishiting.accounts.models import User
from yishiting.areas.models import Area
from yishiting.demands.services import Submission, demand_submit
resident, area = User.objects.get(username="resident"), Area.objects.get(pk=BUILDING)
with connection.cursor() as cursor:  # set on the database, as DB_PARALLEL_WORKERS cannot pass through pgbouncer
    cursor.execute("SHOW max_parallel_workers_per_gather")
    print("PARALLEL", cursor.fetchone()[0])
connection.close()
outcome = []
def submit(text):
    try:
        demand_submit(actor=resident, submission=Submission(text=text, area=area))
        outcome.append("ok")
    except Exception as exc:
        outcome.append(str(exc).splitlines()[0])
    finally:
        connection.close()
for fast in (False, True):
    settings.FAST_PATHS = fast
    for n in range(2):
        thread = threading.Thread(target=submit, args=(f"幸福苑3栋楼道灯不亮（连接 {n}，预编译 {fast}）",))
        thread.start()
        thread.join()
print("OUTCOME " + json.dumps(outcome, ensure_ascii=False))
"""


@dataclass
class Bouncer:
    proc: subprocess.Popen
    port: int
    log: Path
    db: str
    user: str

    def url(self, db: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    def console(self, command: str) -> list[dict]:
        """A SHOW command on pgbouncer's admin console (simple query protocol: psycopg uses it without params)."""
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(self.url("pgbouncer"), autocommit=True, row_factory=dict_row) as conn:
            return conn.execute(command).fetchall()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # pgbouncer's safe shutdown
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _pgbouncer() -> str:
    found = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
    if found is None:
        tool_missing("pgbouncer not installed (Debian package `pgbouncer`, scripts/system-deps.sh)")
    return found


def start_pgbouncer(directory: Path, db: str, database_url: str) -> Bouncer:
    """pgbouncer on a free port in front of `db` on the PostgreSQL of `database_url`; ready once it listens."""
    binary, pg = _pgbouncer(), urlsplit(database_url)
    user = pg.username or "postgres"
    (directory / "userlist.txt").write_text(f'"{user}" "{pg.password or ""}"\n')
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []  # it refuses to run as root
    if as_user:
        try:
            pwd.getpwnam("postgres")  # the account Debian's package runs it as
        except KeyError:
            pytest.fail("pgbouncer refuses to run as root, and there is no `postgres` account to run it as")
    for _attempt in range(3):
        port = served._free_port()
        ini = directory / f"pgbouncer-{port}.ini"
        ini.write_text(CONFIG.format(db=db, pg_host=pg.hostname or "127.0.0.1", pg_port=pg.port or 5432,
                                     port=port, dir=directory, user=user, pool_size=POOL_SIZE))
        for path in directory.iterdir():
            path.chmod(0o644)
        log = directory / f"pgbouncer-{port}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([binary, *as_user, str(ini)], stdout=out, stderr=subprocess.STDOUT)
        bouncer = Bouncer(proc, port, log, db, user)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if f"listening on 127.0.0.1:{port}" in log.read_text(errors="replace"):
                return bouncer
            time.sleep(0.05)
        bouncer.stop()
        if "Address already in use" not in log.read_text(errors="replace"):
            break
    pytest.fail(f"pgbouncer did not start:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def through(request, django_db_blocker, tmp_path_factory) -> Iterator[tuple[served.Site, Bouncer]]:
    """The app served through pgbouncer, on a migrated copy of the test database with the personas' world."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("pgbouncer stands in front of PostgreSQL (the PostgreSQL pass runs this)")
    _pgbouncer()
    request.getfixturevalue("django_db_setup")  # the run's test database exists, migrated
    import psycopg

    # DATABASE_URL names the database the run's test database is named after, which need not exist: the copy is
    # made from a connection to the cluster's `postgres` database
    url, db = os.environ["DATABASE_URL"], f"yst_pgbouncer_{uuid.uuid4().hex[:10]}"
    maintenance = urlsplit(url)._replace(path="/postgres").geturl()
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            template = cursor.fetchone()[0]
        connections.close_all()  # a template must have no one connected
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
        # what DB_PARALLEL_WORKERS does without a pooler, set where pgbouncer cannot drop it (docs/deploy.md)
        conn.execute(f'ALTER DATABASE "{db}" SET max_parallel_workers_per_gather = 0')
    directory = Path(tempfile.mkdtemp(prefix="yst-pgbouncer-"))  # readable by the postgres account
    directory.chmod(0o755)
    var = tmp_path_factory.mktemp("pgbouncer-var")
    bouncer = None
    site = served.Site(var, {}, {})
    try:
        bouncer = start_pgbouncer(directory, db, url)
        env = {key: value for key, value in os.environ.items() if key not in served.SETTINGS_ENV}
        env.update({"YISHITING_VAR_DIR": str(var), "DATABASE_URL": bouncer.url(db), "DB_POOLER": "pgbouncer",
                    "SECRET_KEY": "pgbouncer-test-" + uuid.uuid4().hex, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
                    "SECURE_COOKIES": "false", "MESSAGING_BACKEND": "console", "PYTHONUNBUFFERED": "1",
                    "JOBS_EMBEDDED": "false"})
        site.env = env
        site.ids = json.loads(re.search(r"^WORLD (.+)$", served._yishiting(_cheap_hashes(env), "shell", "-c",
                                                                           served.WORLD_ONLY), re.M).group(1))
        site.server = served.start_server(site, "--no-collectstatic", "--workers", "1", "--threads", "8")
        yield site, bouncer
    finally:
        for server in site.started:
            server.stop()
        if bouncer is not None:
            bouncer.stop()
        shutil.rmtree(directory, ignore_errors=True)
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _cheap_hashes(env: dict[str, str]) -> dict[str, str]:
    """For a `yishiting shell` that builds or reads the world: the personas' passwords hashed with argon2 at its
    cheapest (yishiting/accounts/hashers.py; the server checks them as any argon2 hash). Not for the server."""
    return {**env, "YISHITING_TESTING": "true"}


def _demand(client, site: served.Site, text: str, key: str):
    return client.post(site.url + "/api/v1/demands", json={"text": text, "area_id": site.ids["building"]},
                       headers={"Idempotency-Key": key})


@pytest.mark.django_db  # the run then makes the test database, which `through` copies
def test_residents_log_in_file_and_read_demands_through_pgbouncer_more_at_once_than_it_has_connections(through):
    site, bouncer = through
    browser = served.login(site, "resident")  # the session row is written and read through the pooler
    client = served.api_client(site, "resident")
    text, key = f"幸福苑3栋电梯停在5楼不动了（{uuid.uuid4().hex[:6]}）", uuid.uuid4().hex
    first, retry = _demand(client, site, text, key), _demand(client, site, text, key)
    assert (first.status_code, retry.status_code) == (201, 201), first.text
    assert retry.json()["id"] == first.json()["id"] and retry.json()["number"] == first.json()["number"]
    shown = client.get(f"{site.url}/api/v1/demands/{first.json()['id']}")
    assert shown.status_code == 200 and shown.json()["text"] == text
    assert first.json()["number"] in browser.get(site.url + "/demands/mine/").text  # the web page, with the cookie

    texts = [f"幸福苑3栋{n}单元门禁坏了（同时提交 {uuid.uuid4().hex[:6]}）" for n in range(16)]
    def one_client(text: str):
        other = served._Session()  # its own HTTP connection, the same token
        other.headers["Authorization"] = client.headers["Authorization"]
        return _demand(other, site, text, uuid.uuid4().hex)

    with ThreadPoolExecutor(len(texts)) as pool:  # 16 clients, 8 app threads, 2 server connections
        replies = list(pool.map(one_client, texts))
    assert [r.status_code for r in replies] == [201] * len(texts), [r.text for r in replies if r.status_code != 201]
    numbers = [r.json()["number"] for r in replies]
    assert len(set(numbers)) == len(texts)  # every one its own gapless number
    mine = client.get(site.url + "/api/v1/me/demands", params={"page_size": 200}).json()["items"]
    assert {d["text"]: d["number"] for d in mine if d["text"] in texts} == dict(zip(texts, numbers, strict=True))

    clients = [c for c in bouncer.console("SHOW CLIENTS") if c["database"] == bouncer.db]
    servers = [s for s in bouncer.console("SHOW SERVERS") if s["database"] == bouncer.db]
    assert len(servers) <= POOL_SIZE < len(clients), (len(servers), len(clients))


@pytest.mark.django_db
def test_staff_export_a_list_through_pgbouncer(through):
    """The export reads its rows in chunks (.iterator()): through the pooler from a plain cursor, since a
    server-side cursor would stay behind on one server connection (DISABLE_SERVER_SIDE_CURSORS)."""
    site, _ = through
    client = served.api_client(site, "community_staff")
    export = client.get(site.url + "/api/v1/lists/responsibility.xlsx")
    assert export.status_code == 200, export.text[:2000]
    assert export.content.startswith(b"PK")  # an XLSX (zip) file
    assert client.get(site.url + "/api/v1/health").json() == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_without_the_setting_the_app_cannot_connect_and_prepared_statements_break(through):
    site, bouncer = through
    single = {**site.env, "DATABASE_URL": bouncer.url(bouncer.db + "_single")}
    script = WITHOUT_THE_SETTING.replace("BUILDING", str(site.ids["building"]))
    printed = served._yishiting(_cheap_hashes(single), "shell", "-c", script)
    # without DB_POOLER the app sends `options` (DB_PARALLEL_WORKERS), and pgbouncer 1.18 lets no such client in
    assert re.search(r"^DIRECT .*FATAL: +unsupported startup parameter: options$", printed, re.M), printed[-2000:]
    assert "PARALLEL 0" in printed  # docs/deploy.md: ALTER DATABASE … SET max_parallel_workers_per_gather = 0
    outcome = json.loads(re.search(r"^OUTCOME (.+)$", printed, re.M).group(1))
    assert outcome[:3] == ["ok", "ok", "ok"], outcome  # as DB_POOLER sets it: no statement outlives its transaction
    assert re.fullmatch(r'prepared statement "_pg3_\d+" already exists', outcome[3]), outcome
