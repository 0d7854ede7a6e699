"""The read replica (common.dbrouter, docs/replicas.md) against a real one: for this module a copy of the suite's
PostgreSQL opened as a primary of its own and a streaming replica of that copy, both made with pg_basebackup into
a temporary directory and started on free ports, then stopped and removed (why a copy: _make_clusters). A heavy
page (a unit's rating) reads the replica; a person who has just written sees it on
their next page while the replica's replay is paused and others still see the old figures; a replica too far
behind, or down, leaves the page to the primary. PostgreSQL only (the SQLite pass skips it); under CI=true a
missing pg_basebackup or replication access is a failure, not a skip."""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yishiting.areas.models import Organization
from yishiting.common import dbrouter
from yishiting.common.testing import tool_missing
from yishiting.common.tests import test_serve_granian as served

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica is PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
    pytest.mark.xdist_group("replica"),  # one worker: the module's replica cluster is made once a pass
]

SLOT_PREFIX = "yishiting_test_replica_"
COMMENT = "副本回放暂停时写下的评语"


_unavailable = tool_missing


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's programs refuse to run as root: run them as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, capture_output=True, text=True, timeout=120, **kwargs)


class Replica:
    """One throw-away cluster of the module: `primary` is the settings it was copied from; `limits` the suite's
    server's settings a standby must not go below; `owner` the postgres user its files belong to (when root)."""

    def __init__(self, primary: dict, bindir: Path, root: Path, port: int, slot: str, limits: str,
                 owner: pwd.struct_passwd | None) -> None:
        self.primary, self.bindir, self.root, self.port, self.slot = primary, bindir, root, port, slot
        self.limits, self.owner = limits, owner
        self.data = root / "data"

    def conninfo(self, dbname: str | None = None) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.primary['USER']} dbname={dbname or self.primary['NAME']}"

    def sql(self, query: str):
        with psycopg.connect(self.conninfo(), autocommit=True, connect_timeout=5) as conn:
            return conn.execute(query).fetchone()[0]

    def start(self, *, standby: bool = True) -> None:
        done = _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                             "-w", "-t", "60", "start"])
        if done.returncode:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            pytest.fail(f"{self.label(standby)}启动失败：{done.stderr}{done.stdout}\n{log[-2000:]}")
        deadline = time.monotonic() + 30
        while True:  # accepts connections to the test database (as a standby, for the replica)
            try:
                if self.sql("SELECT pg_is_in_recovery()") == standby:
                    return
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{self.label(standby)} 30 秒内未能接受连接。")
            time.sleep(0.1)

    @staticmethod
    def label(standby: bool) -> str:
        return "只读副本" if standby else "副本的主库"

    def stop(self) -> None:
        _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def caught_up(self) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            lsn = cursor.fetchone()[0]
        deadline = time.monotonic() + 20
        while not self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"):
            if time.monotonic() > deadline:
                pytest.fail("只读副本 20 秒内没有追上主库。")
            time.sleep(0.05)


def _settings(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def _copy(bindir: Path, source: dict, into: Replica, *extra: str) -> None:
    """pg_basebackup of the cluster behind `source` into `into` (a throw-away copy: no sync, no manifest)."""
    backup = _as_postgres([str(bindir / "pg_basebackup"), "-h", source["HOST"] or "127.0.0.1",
                           "-p", str(source["PORT"] or 5432), "-U", source["USER"], "-D", str(into.data),
                           "-X", "stream", "--checkpoint=fast", "--no-sync", "--no-manifest", *extra])
    if backup.returncode:
        shutil.rmtree(into.root.parent, ignore_errors=True)
        _unavailable(f"pg_basebackup 失败（主库的 pg_hba.conf 需要一行 `host replication all 127.0.0.1/32 trust`，"
                     f"scripts/system-deps.sh test 会加上）：{backup.stderr.strip()}")


def _configure(cluster: Replica) -> None:
    """Debian keeps a cluster's configuration outside its data directory: each copy gets its own."""
    (cluster.data / "postgresql.conf").write_text(
        f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{cluster.root}'\n"
        f"hot_standby = on\nhot_standby_feedback = on\nshared_buffers = 16MB\nfsync = off\nwal_level = replica\n"
        f"max_replication_slots = 4\n{cluster.limits}\n")
    (cluster.data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n"
                                              "host replication all 127.0.0.1/32 trust\n")
    (cluster.data / "pg_ident.conf").write_text("")
    if cluster.owner is not None:
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            os.chown(cluster.data / name, cluster.owner.pw_uid, cluster.owner.pw_gid)


def _make_clusters(shared: dict) -> tuple[Replica, Replica]:
    """A primary of the module's own — a copy of the suite's PostgreSQL, opened read-write — and a streaming
    replica of it. Not a replica of the suite's server itself: a standby opens for reads only once it has seen
    no transaction of the primary with more than 64 subtransactions (PostgreSQL's "subxid overflow"), and the
    other worker's crawls keep such a transaction open for minutes (their module's data, built in savepoints,
    rolled back at the end); the copy has none of them."""
    major = int(_settings("server_version_num")) // 10000
    bindir = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (bindir / "pg_basebackup").exists():
        found = shutil.which("pg_basebackup")
        bindir = Path(found).parent if found else bindir
    if not (bindir / "pg_basebackup").exists() or not (bindir / "pg_ctl").exists():
        _unavailable(f"没有 PostgreSQL {major} 的 pg_basebackup / pg_ctl（Debian 软件包 postgresql-{major}）。")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(pg_database_size(oid)) FROM pg_database")
        size = int(cursor.fetchone()[0])
    # Two copies of the whole cluster (every database on it): in memory when there is room, several times faster
    # than on a busy disk; they live for this module only.
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and shutil.disk_usage(shm).free > 5 * size else None
    root = Path(tempfile.mkdtemp(prefix="yishiting-replica-", dir=where))
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    for path in (root, root / "primary", root / "standby"):
        path.mkdir(exist_ok=True)
        if owner is not None:
            os.chown(path, owner.pw_uid, owner.pw_gid)
    limits = "\n".join(f"{name} = {_settings(name)}" for name in (
        "max_connections", "max_worker_processes", "max_prepared_transactions", "max_locks_per_transaction",
        "max_wal_senders"))
    primary = Replica(shared, bindir, root / "primary", served._free_port(), "", limits, owner)
    _copy(bindir, shared, primary)  # no standby.signal: it recovers to the end of the copy and opens read-write
    _configure(primary)
    replica = Replica(shared, bindir, root / "standby", served._free_port(), f"{SLOT_PREFIX}{os.getpid()}",
                      limits, owner)  # copied by _make_standby, once the primary runs
    return primary, replica


def _make_standby(primary: Replica, replica: Replica) -> None:
    """The replica: a copy of `primary` that streams from it (-R: standby.signal and primary_conninfo; its slot)."""
    source = {**replica.primary, "HOST": "127.0.0.1", "PORT": str(primary.port)}
    _copy(primary.bindir, source, replica, "-R", "-C", "-S", replica.slot)
    _configure(replica)


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """The replica, registered as the "replica" alias (a test mirror of default: never created nor flushed); for
    the module, "default" is the replica's own primary (see _make_clusters)."""
    with django_db_blocker.unblock():
        default = connections["default"]
        shared = copy.deepcopy(default.settings_dict)
        started = time.monotonic()
        primary, replica = _make_clusters(shared)
        try:
            primary.start(standby=False)
            _make_standby(primary, replica)
            replica.start()
            logging.getLogger(__name__).info("replica of %s up in %.1f s", replica.root, time.monotonic() - started)
            default.close()  # the same connection object (it keeps the serialized content to restore)…
            default.settings_dict.update(HOST="127.0.0.1", PORT=str(primary.port))  # …now on the copy
            alias = copy.deepcopy(default.settings_dict)
            alias.update(PORT=str(replica.port), TEST={**shared["TEST"], "MIRROR": "default"})
            alias["OPTIONS"] = {**alias.get("OPTIONS", {}), "connect_timeout": 2}
            connections.settings[dbrouter.REPLICA] = alias
            yield replica
        finally:
            stopping = time.monotonic()
            with contextlib.suppress(Exception):
                connections[dbrouter.REPLICA].close()
            connections.settings.pop(dbrouter.REPLICA, None)
            with contextlib.suppress(AttributeError):
                del connections[dbrouter.REPLICA]
            default.close()
            default.settings_dict.update(HOST=shared["HOST"], PORT=shared["PORT"])  # back to the suite's server
            replica.stop()
            primary.stop()
            shutil.rmtree(replica.root.parent, ignore_errors=True)
            logging.getLogger(__name__).info("replica stopped and removed in %.1f s", time.monotonic() - stopping)


@pytest.fixture(autouse=True)
def routed(replica, settings):
    """The settings DATABASE_REPLICA_URL gives (config/settings.py): the router and the read-your-writes cookie."""
    settings.DATABASE_ROUTERS = ["yishiting.common.dbrouter.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "yishiting.common.dbrouter.ReadYourWritesMiddleware")
    settings.MIDDLEWARE = middleware
    settings.REPLICA_STICKY_SECONDS = 10
    settings.REPLICA_MAX_LAG_SECONDS = 600
    dbrouter.reset_health()
    yield
    dbrouter.reset_health()
    with contextlib.suppress(psycopg.Error):
        replica.sql("SELECT pg_wal_replay_resume()")


def _official(client, world):
    client.force_login(world.users["street_official"])  # no request: no read-your-writes cookie
    return client


def _page(client, org: Organization, *, replica_up: bool = True) -> tuple[str, int, int]:
    """The unit's rating page (a heavy read), with how many queries each database answered."""
    with contextlib.ExitStack() as stack:
        primary = stack.enter_context(CaptureQueriesContext(connections["default"]))
        # (capturing opens the connection first: not while the replica is down)
        on_replica = stack.enter_context(CaptureQueriesContext(connections[dbrouter.REPLICA])) if replica_up else None
        response = client.get(reverse("web:unit_rating_detail", args=[org.pk]))
    assert response.status_code == 200
    return (response.content.decode(), len(on_replica.captured_queries) if on_replica else 0,
            len(primary.captured_queries))


def test_a_heavy_page_reads_the_replica(replica, world, client):
    org = world.organizations["agency"]
    replica.caught_up()
    with dbrouter.replica_reads():
        alias = router.db_for_read(Organization)
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert alias == dbrouter.REPLICA and cursor.fetchone()[0] is True  # a standby, not the primary
        assert Organization.objects.get(pk=org.pk).name == org.name  # the replica has the world's rows
    assert router.db_for_read(Organization) == "default"  # outside the scope: the primary
    body, on_replica, _ = _page(_official(client, world), org)
    assert org.name in body and on_replica > 0


def test_a_person_reads_their_own_write_while_the_replica_lags(replica, world, client, settings, caplog):
    org, s1 = world.organizations["agency"], world.areas["S1"]
    replica.caught_up()
    replica.sql("SELECT pg_wal_replay_pause()")  # the replica stops applying what the primary writes: real lag
    writer = _official(client, world)
    response = writer.post(reverse("web:unit_evaluate"), {"evaluator": s1.pk, "organization": org.pk, "score": 88,
                                                          "comment": COMMENT})
    assert response.status_code == 302 and dbrouter.STICKY_COOKIE in response.cookies
    body, on_replica, _ = _page(writer, org)
    assert COMMENT in body and on_replica == 0  # the writer's next page: from the primary

    other = _official(Client(), world)  # the same page elsewhere, with nothing just written
    body, on_replica, _ = _page(other, org)
    assert COMMENT not in body and org.name in body and on_replica > 0  # the replica's older copy

    settings.REPLICA_MAX_LAG_SECONDS = 1  # too far behind: the primary serves it, with a warning
    time.sleep(1.2)
    dbrouter.reset_health()
    with caplog.at_level(logging.WARNING, logger="yishiting.dbrouter"):
        body, on_replica, _ = _page(other, org)
    assert COMMENT in body and "落后主库" in caplog.text

    settings.REPLICA_MAX_LAG_SECONDS = 600
    dbrouter.reset_health()
    replica.sql("SELECT pg_wal_replay_resume()")
    replica.caught_up()
    body, on_replica, _ = _page(other, org)
    assert COMMENT in body and on_replica > 0  # replayed: the replica has it too


def test_the_sticky_window_ends(replica, world, client, settings):
    org, s1 = world.organizations["agency"], world.areas["S1"]
    settings.REPLICA_STICKY_SECONDS = 2
    replica.caught_up()
    replica.sql("SELECT pg_wal_replay_pause()")
    writer = _official(client, world)
    writer.post(reverse("web:unit_evaluate"), {"evaluator": s1.pk, "organization": org.pk, "score": 70,
                                               "comment": COMMENT})
    wrote = time.monotonic()
    time.sleep(max(0.0, wrote + 3.1 - time.monotonic()))  # the signed cookie's time counts whole seconds
    body, on_replica, _ = _page(writer, org)
    assert COMMENT not in body and on_replica > 0  # the window is over: back to the (lagging) replica


def test_a_replica_that_is_down_leaves_the_page_to_the_primary(replica, world, client, caplog):
    org = world.organizations["agency"]
    official = _official(client, world)
    replica.caught_up()
    replica.stop()
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="yishiting.dbrouter"):
            body, _, on_primary = _page(official, org, replica_up=False)
        assert org.name in body and on_primary > 0 and "只读副本不可用" in caplog.text
        assert time.monotonic() - started < 10  # refused at once, not a hanging page
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="yishiting.dbrouter"):
            body, _, _ = _page(official, org, replica_up=False)
        assert org.name in body and not caplog.text  # left alone for REPLICA_RETRY_SECONDS: not tried again
    finally:
        replica.start()
