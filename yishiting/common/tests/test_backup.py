"""`yishiting backup` and `yishiting restore` (common.backup, docs/backup.md): a backup of a small demo district
(1 street × 2 communities with its history: archived dossiers, photos) restores into a new, empty database of the
same engine with every dossier hash identical and `yishiting verify` passing under the same EVENT_HMAC_KEY; a
changed file, a changed manifest, another key or no key, and a database that is not empty are refused in Chinese
before anything is written. Runs on the suite's engine (SQLite, and PostgreSQL with pg_dump/pg_restore)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from yishiting.areas.demo import demo_build
from yishiting.common.backup import BackupError, manifest_check, target_check
from yishiting.common.models import Event
from yishiting.demo.history import demo_history_build
from yishiting.handling.models import Dossier

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEY = "backup-test-event-key-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[3]


def _dossiers(rows) -> list[tuple[str, str, str]]:
    return sorted(tuple(r) for r in rows)


@pytest.fixture
def new_database(tmp_path):
    """(DATABASE_URL of a new empty database of the suite's engine, a reader of its dossiers); dropped after."""
    db = django_settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "restored" / "yishiting.sqlite3"
        path.parent.mkdir()

        def read() -> list:
            with sqlite3.connect(path) as conn:
                return conn.execute("SELECT number, content_sha256, chain_head FROM handling_dossier").fetchall()

        yield f"sqlite:///{path}", read
        return
    import psycopg

    name = f"{db['NAME']}_restored"[:60]
    auth = f"{db['USER']}" + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    server = f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def read() -> list:
        with psycopg.connect(f"{server}/{name}") as conn:
            return conn.execute("SELECT number, content_sha256, chain_head FROM handling_dossier").fetchall()

    yield f"{server}/{name}", read
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _yishiting(tmp_path, url: str, *args: str, key: str | None = KEY) -> subprocess.CompletedProcess:
    """The console command as an operator runs it on the new machine: its own var/ (empty media), the new
    database, the key from the environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "YISHITING_TESTING", "EVENT_HMAC_KEY"}}
    env.update({"DATABASE_URL": url, "YISHITING_VAR_DIR": str(tmp_path / "var-restored"), "DEBUG": "1",
                "PYTHONPATH": str(ROOT)})
    if key:
        env["EVENT_HMAC_KEY"] = key
    return subprocess.run([sys.executable, "-m", "yishiting.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)


def _refused(call) -> BackupError:
    with pytest.raises(BackupError) as refused:
        call()
    return refused.value


def test_a_backup_of_the_demo_restores_into_a_new_database_with_identical_dossiers(settings, tmp_path, new_database):
    settings.EVENT_HMAC_KEY = KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    district = demo_build(seed=2026, streets=1, communities_per_street=2).district
    demo_history_build(district, seed=2026)
    source = _dossiers(Dossier.objects.values_list("number", "content_sha256", "chain_head"))
    photos = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert source and photos  # archived dossiers, and progress-report photos `verify` hashes

    call_command("backup", out=str(tmp_path / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    [backup] = list((tmp_path / "backups").iterdir())
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["figures"]["dossiers"] == len(source) and manifest["figures"]["events"] == Event.objects.count()
    assert "EVENT_HMAC_KEY 不在本备份中" in manifest["event_key_note"] and KEY not in json.dumps(manifest)
    assert len(manifest["files"]) == 1 + len(photos)
    assert not any(KEY.encode() in f.read_bytes() for f in backup.rglob("*") if f.is_file())

    # Before anything is written: the manifest, every file and the key are checked, and the target must be empty.
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    photo = next(p for p in (tampered / "media").rglob("*") if p.is_file())
    photo.write_bytes(photo.read_bytes() + b"x")
    assert _refused(lambda: manifest_check(tampered)).code == "file_changed"
    shutil.copytree(backup, tampered, dirs_exist_ok=True)
    edited = json.loads((tampered / "manifest.json").read_text(encoding="utf-8"))
    edited["figures"]["dossiers"] += 1
    (tampered / "manifest.json").write_text(json.dumps(edited), encoding="utf-8")
    assert _refused(lambda: manifest_check(tampered)).message.endswith("清单在备份之后被改动过。")
    settings.EVENT_HMAC_KEY = "another-key-of-the-right-length-0123456789"
    assert _refused(lambda: manifest_check(backup)).code == "key_differs"
    settings.EVENT_HMAC_KEY = ""
    assert "密钥不在备份里" in _refused(lambda: manifest_check(backup)).message
    settings.EVENT_HMAC_KEY = KEY
    refused = _refused(lambda: target_check(manifest_check(backup)))  # this (test) database has the demo in it
    assert refused.code == "not_empty" and "目标数据库不是空的" in refused.message

    url, restored_dossiers = new_database
    without_key = _yishiting(tmp_path, url, "restore", str(backup), key=None)
    assert without_key.returncode != 0 and "请设置同一把密钥后再恢复" in without_key.stderr
    done = _yishiting(tmp_path, url, "restore", str(backup))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"一事一档 {len(source)} 份，哈希与备份时一致" in done.stdout and "全部校验通过" in done.stdout
    assert _dossiers(restored_dossiers()) == source
    assert sorted(p.name for p in (tmp_path / "var-restored" / "media").rglob("*") if p.is_file()) == sorted(
        p.name for p in photos)
    verified = _yishiting(tmp_path, url, "verify")
    assert verified.returncode == 0 and "全部校验通过" in verified.stdout, verified.stdout[-3000:]
    assert "未设置 EVENT_HMAC_KEY" not in verified.stdout
    again = _yishiting(tmp_path, url, "restore", str(backup))
    assert again.returncode != 0 and "目标数据库不是空的" in again.stderr
