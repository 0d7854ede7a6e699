"""A bad environment stops start-up with a message naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG = "postgresql://postgres@127.0.0.1:5432/yishiting"


def _env(env: dict[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "DATABASE_REPLICA_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "YISHITING_TESTING",
        "DB_POOLER", "FAST_PATHS", "DB_PARALLEL_WORKERS"}}
    return {**clean, "YISHITING_VAR_DIR": "/tmp/yishiting-settings-test", **env}


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yishiting.cli", "check"], cwd=ROOT, env=_env(env),
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("env", "variable"), [
    ({"DEBUG": "false", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
    ({"DEBUG": "maybe"}, "DEBUG"),
    ({"DEBUG": "1", "DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL"),
    ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS"),
    ({"DEBUG": "1", "SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES"),
    ({"DEBUG": "1", "AUDIT_RETENTION_DAYS": "30"}, "AUDIT_RETENTION_DAYS"),
    ({"DEBUG": "1", "DATABASE_URL": PG, "DATABASE_REPLICA_URL": "mysql://root@localhost/db"}, "DATABASE_REPLICA_URL"),
    ({"DEBUG": "1", "DATABASE_REPLICA_URL": PG}, "DATABASE_REPLICA_URL"),  # the primary is SQLite: no replica
    ({"DEBUG": "1", "DATABASE_URL": PG, "DATABASE_REPLICA_URL": PG, "REPLICA_STICKY_SECONDS": "ten"},
     "REPLICA_STICKY_SECONDS"),
    ({"DEBUG": "1", "WECHAT_ENCODING_AES_KEY": "abc"}, "WECHAT_ENCODING_AES_KEY"),  # not the 43-character key
    ({"DEBUG": "1", "WECHAT_ENCODING_AES_KEY": "!" * 43}, "WECHAT_ENCODING_AES_KEY"),  # not Base64
    ({"DEBUG": "1", "MESSAGING_RECEIPT_PUSH_TOKEN": "short"}, "MESSAGING_RECEIPT_PUSH_TOKEN"),
])
def test_bad_environment_is_refused_with_the_variable_named(env, variable):
    result = _start(env)
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


POOLED = {"DEBUG": "1", "DB_POOLER": "pgbouncer", "DATABASE_URL": "postgresql://yishiting@127.0.0.1:6432/yishiting"}


@pytest.mark.parametrize(("env", "message"), [
    ({**POOLED, "DB_POOLER": "odyssey"}, "环境变量 DB_POOLER='odyssey' 无效：可选 none（直连 PostgreSQL）或 pgbouncer"),
    ({**POOLED, "DATABASE_URL": "sqlite:////tmp/yishiting-settings-test/db.sqlite3"},
     "环境变量 DB_POOLER=pgbouncer 只用于 PostgreSQL"),
    ({**POOLED, "FAST_PATHS": "true"}, "环境变量 FAST_PATHS=true 不能与 DB_POOLER=pgbouncer 同用"),
    ({**POOLED, "DB_PARALLEL_WORKERS": "2"}, "不能用 DB_PARALLEL_WORKERS 或 DATABASE_URL 的 options="),
    ({**POOLED, "DATABASE_URL": POOLED["DATABASE_URL"] + "?options=-c%20work_mem%3D64MB"},
     "ALTER DATABASE yishiting SET max_parallel_workers_per_gather = 0"),
])
def test_a_pooler_setting_that_cannot_work_is_refused_in_chinese(env, message):
    result = _start(env)
    assert result.returncode != 0 and message in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_behind_pgbouncer_the_app_starts_with_the_fast_paths_off():
    result = _start({**POOLED, "FAST_PATHS": "false"})
    assert result.returncode == 0, result.stderr
    shown = subprocess.run([sys.executable, "-m", "yishiting.cli", "shell", "-c",
                            "from django.conf import settings as s; d = s.DATABASES['default']; print(s.FAST_PATHS, "
                            "d['DISABLE_SERVER_SIDE_CURSORS'], d['OPTIONS'])"],
                           cwd=ROOT, env={k: v for k, v in os.environ.items() if k not in {"FAST_PATHS", "DB_PARALLEL_WORKERS"}}
                           | {"YISHITING_VAR_DIR": "/tmp/yishiting-settings-test", **POOLED},
                           capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip().splitlines()[-1:] == ["False True {'prepare_threshold': None}"], shown.stderr[-2000:]


def test_good_environment_starts():
    result = _start({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr


def _settings(env: dict[str, str]) -> dict:
    script = ("import json; from django.conf import settings as s; print(json.dumps({'replica': s.DATABASES.get("
              "'replica'), 'routers': s.DATABASE_ROUTERS, 'middleware': s.MIDDLEWARE}, default=str))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env=_env({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_replica_url_adds_the_replica_and_its_router():
    found = _settings({"DATABASE_URL": PG, "DATABASE_REPLICA_URL": "postgresql://reader@10.0.0.2:5433/yishiting"})
    replica = found["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("10.0.0.2", 5433, "reader")
    assert replica["TEST"] == {"MIRROR": "default"}  # the tests never create it
    assert replica["OPTIONS"]["connect_timeout"] == 2  # a replica that does not answer: the primary, soon
    assert found["routers"] == ["yishiting.common.dbrouter.ReplicaRouter"]
    assert "yishiting.common.dbrouter.ReadYourWritesMiddleware" in found["middleware"]


def test_without_a_replica_url_everything_reads_the_primary():
    found = _settings({"DATABASE_URL": PG})
    assert found["replica"] is None and found["routers"] == []
    assert "yishiting.common.dbrouter.ReadYourWritesMiddleware" not in found["middleware"]
