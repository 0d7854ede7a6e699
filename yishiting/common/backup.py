"""Backups and restore (docs/backup.md): the database (PostgreSQL: a custom-format `pg_dump`, one consistent
snapshot; SQLite: the online backup API, a consistent copy while the site runs) and the uploaded files (MEDIA_ROOT),
with a manifest of every file's SHA-256 and size, the dossiers' hashes and the event log's size.

The event log's key (EVENT_HMAC_KEY, docs/integrity.md) is never in a backup: the manifest names it only by its
key id (a hash that does not reveal it) and is signed with it. Restore checks the manifest and every file first,
refuses a database that is not empty, refuses a different key (or none where the backup had one), and after
restoring compares the dossiers' hashes and runs `verify` with that same key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .errors import DomainError
from .events import event_key, key_id

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
KEY_NOTE = ("EVENT_HMAC_KEY 不在本备份中（清单只记它的编号 key_id）。恢复时须设置写入时的同一把密钥，"  # zh-only: the manifest
            "否则 yishiting verify 无法核对事件链。")
CHUNK = 1 << 20


class BackupError(DomainError):
    pass


def _refuse(code: str, message: str) -> BackupError:
    return BackupError(code, message)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def snapshot_figures(cursor) -> dict:
    """What restore compares, read through `cursor` (a DB-API cursor on the snapshot being saved or on the restored
    database): the dossiers' count and a SHA-256 over each one's number, content hash and sealed chain head (in
    number order), and the event log's rows and chains."""
    from yishiting.handling.models import Dossier

    from .models import Event, EventHead

    cursor.execute(f"SELECT number, content_sha256, chain_head FROM {Dossier._meta.db_table}")
    rows = sorted(cursor.fetchall())
    digest = hashlib.sha256("".join(f"{n}\t{c}\t{h}\n" for n, c, h in rows).encode()).hexdigest()
    figures = {"dossiers": len(rows), "dossiers_sha256": digest}
    for name, model in (("events", Event), ("chains", EventHead)):
        cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")
        figures[name] = cursor.fetchone()[0]
    return figures


def _signature(manifest: dict, key: bytes | None) -> str:
    if key is None:
        return ""
    body = json.dumps({k: v for k, v in manifest.items() if k != "signature"}, sort_keys=True, ensure_ascii=False)
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


# --- PostgreSQL tools ---------------------------------------------------------------------------------------------

def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for name, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                      ("NAME", "PGDATABASE")):
        if db.get(name):
            env[var] = str(db[name])
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if db.get("OPTIONS", {}).get(option):
            env[var] = str(db["OPTIONS"][option])
    return env


def tool_major(tool: str) -> int:
    """The major version of pg_dump / pg_restore on PATH (refused in Chinese when missing)."""
    if shutil.which(tool) is None:
        raise _refuse("tool_missing", f"找不到 {tool}：请安装与数据库服务器同一主版本的 PostgreSQL 客户端"
                                      f"（Debian：postgresql-client-{server_major()}）。")
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else 0


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode:
        raise _refuse("tool_failed", f"{what}失败（{command[0]} 退出码 {done.returncode}）：{done.stderr.strip()[-800:]}")


# --- backup -------------------------------------------------------------------------------------------------------

def _dump_database(target: Path) -> tuple[dict, dict]:
    """(what the database is, its figures), both of one snapshot: PostgreSQL exports the snapshot of a
    repeatable-read transaction to pg_dump and reads the figures in it; SQLite reads them from the copy."""
    path = target / DUMP[connection.vendor]
    if connection.vendor == "postgresql":
        client, server = tool_major("pg_dump"), server_major()
        if client < server:
            raise _refuse("tool_too_old", f"pg_dump 是 {client} 版，数据库服务器是 {server} 版：pg_dump 不能比服务器旧，"
                                          f"请安装 postgresql-client-{server}。")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={path}"], "导出数据库")
            figures = snapshot_figures(cursor)
        return {"engine": "postgresql", "server_major": server, "pg_dump_major": client}, figures
    if connection.vendor != "sqlite":
        raise _refuse("engine", f"不支持的数据库：{connection.vendor}。")
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)  # SQLite's online backup: a consistent copy while others write
        copy.execute("PRAGMA journal_mode=DELETE")  # a single file: reading it later leaves no -wal/-shm beside it
        figures = snapshot_figures(copy.cursor())
    finally:
        copy.close()
    return {"engine": "sqlite", "sqlite_version": sqlite3.sqlite_version}, figures


def _copy_media(target: Path) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    copied = []
    if not root.is_dir():
        return copied
    for source in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        destination = target / MEDIA_DIR / source.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied.append(destination)
    return copied


@dataclass
class BackupResult:
    path: Path
    files: int
    size: int
    dossiers: int


def backup_create(out_dir: Path) -> BackupResult:
    """A new directory under `out_dir`: the database, then the uploaded files (copied after the snapshot, so every
    file the snapshot names is there), then manifest.json listing each with its SHA-256 and size."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = Path(out_dir) / f"yishiting-backup-{stamp}"
    if target.exists():
        raise _refuse("exists", f"备份目录已存在：{target}。")
    target.mkdir(parents=True)
    database, figures = _dump_database(target)
    files = [target / DUMP[database["engine"]], *_copy_media(target)]  # files after the snapshot: all it names
    key = event_key()
    manifest = {
        "format": FORMAT, "created_at": timezone.now().isoformat(), "database": database,
        "event_key_id": key_id(key), "event_key_note": KEY_NOTE,
        "figures": figures,
        "files": [{"path": f.relative_to(target).as_posix(), "size": f.stat().st_size, "sha256": file_sha256(f)}
                  for f in files],
    }
    manifest["signature"] = _signature(manifest, key)
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return BackupResult(path=target, files=len(files), size=sum(f["size"] for f in manifest["files"]),
                        dossiers=figures["dossiers"])


# --- restore ------------------------------------------------------------------------------------------------------

def manifest_check(source: Path) -> dict:
    """The manifest, once it and every file it lists are as written, and the key is the one the backup was written
    under. Nothing is touched before this passes."""
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise _refuse("no_manifest", f"{source} 不是备份目录：找不到 {MANIFEST}。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _refuse("bad_manifest", f"{MANIFEST} 已损坏（不是有效的 JSON）。") from None
    if manifest.get("format") != FORMAT:
        raise _refuse("format", f"备份格式 {manifest.get('format')} 不是本版本能恢复的格式 {FORMAT}。")
    key, wanted = event_key(), manifest.get("event_key_id", "")
    if wanted and key is None:
        raise _refuse("key_missing", "这份备份写入时设置了 EVENT_HMAC_KEY（编号 "
                                     f"{wanted}），密钥不在备份里：请设置同一把密钥后再恢复。")
    if key_id(key) != wanted:
        raise _refuse("key_differs", "当前的 EVENT_HMAC_KEY 与写入备份时的不是同一把（备份的密钥编号 "
                                     f"{wanted or '无（未设置密钥）'}，当前 {key_id(key) or '未设置'}）：请设置同一把密钥后再恢复。")
    if key is not None and not hmac.compare_digest(_signature(manifest, key), manifest.get("signature", "")):
        raise _refuse("bad_signature", f"{MANIFEST} 的签名与密钥不符：清单在备份之后被改动过。")
    for entry in manifest.get("files", []):
        file = Path(source) / entry["path"]
        if not file.is_file():
            raise _refuse("file_missing", f"备份缺少文件 {entry['path']}。")
        if file.stat().st_size != entry["size"] or file_sha256(file) != entry["sha256"]:
            raise _refuse("file_changed", f"备份文件 {entry['path']} 的 SHA-256 与清单不符：文件已损坏或被改动。")
    return manifest


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


def target_check(manifest: dict) -> None:
    engine = manifest["database"]["engine"]
    if connection.vendor != engine:
        raise _refuse("engine", f"这是 {engine} 的备份，当前数据库是 {connection.vendor}：请把 DATABASE_URL 指向一个空的 "
                                f"{engine} 数据库。")
    tables = connection.introspection.table_names()
    if tables:
        raise _refuse("not_empty", f"目标数据库不是空的（已有 {len(tables)} 张表）：恢复只写入空数据库，不覆盖现有数据。"
                                   "请新建一个空数据库，把 DATABASE_URL 指向它再恢复。")
    if _media_files():
        raise _refuse("media_not_empty", f"上传文件目录 {settings.MEDIA_ROOT} 不是空的：恢复不覆盖现有文件，"
                                         "请换一个空目录（YISHITING_VAR_DIR）再恢复。")
    if engine == "postgresql":
        restore, server = tool_major("pg_restore"), server_major()
        if restore < manifest["database"]["pg_dump_major"]:
            raise _refuse("tool_too_old", f"pg_restore 是 {restore} 版，备份由 {manifest['database']['pg_dump_major']} "
                                          f"版 pg_dump 写出：请安装 postgresql-client-{server}（不低于该版本）。")
        if server < manifest["database"]["server_major"]:
            raise _refuse("server_too_old", f"目标服务器是 {server} 版，比备份来源（{manifest['database']['server_major']} 版）"
                                            "旧：请恢复到同版本或更新的 PostgreSQL。")


def _restore_database(source: Path, engine: str) -> None:
    dump = Path(source) / DUMP[engine]
    if engine == "postgresql":
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)], "恢复数据库")
        return
    name = str(settings.DATABASES["default"]["NAME"])
    connection.close()
    backup, target = sqlite3.connect(dump.resolve().as_uri() + "?mode=ro", uri=True), sqlite3.connect(name)
    try:
        backup.backup(target)
    finally:
        backup.close()
        target.close()


def _restore_media(source: Path, manifest: dict) -> int:
    root, count = Path(settings.MEDIA_ROOT), 0
    for entry in manifest["files"]:
        if not entry["path"].startswith(MEDIA_DIR + "/"):
            continue
        relative = Path(entry["path"]).relative_to(MEDIA_DIR)
        if ".." in relative.parts:
            raise _refuse("bad_path", f"清单中的路径不安全：{entry['path']}。")
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(source) / entry["path"], destination)
        count += 1
    return count


@dataclass
class RestoreResult:
    files: int
    dossiers: int
    events: int


def backup_restore(source: Path) -> RestoreResult:
    """Check the manifest and files, refuse a non-empty target, restore the database and the files, and compare
    the restored dossiers' hashes and the event log's size with the manifest (the caller then runs verify)."""
    manifest = manifest_check(source)
    target_check(manifest)
    _restore_database(source, manifest["database"]["engine"])
    files = _restore_media(source, manifest)
    with connection.cursor() as cursor:
        found, saved = snapshot_figures(cursor), manifest["figures"]
    if (found["dossiers"], found["dossiers_sha256"]) != (saved["dossiers"], saved["dossiers_sha256"]):
        raise _refuse("dossiers_differ", f"恢复后的一事一档与备份时不一致（备份 {saved['dossiers']} 份，"
                                         f"恢复后 {found['dossiers']} 份，或哈希不同）。")
    if (found["events"], found["chains"]) != (saved["events"], saved["chains"]):
        raise _refuse("events_differ", f"恢复后的事件数与备份时不一致：备份 {saved['events']} 条事件、{saved['chains']} 条链，"
                                       f"恢复后 {found['events']} 条、{found['chains']} 条。")
    return RestoreResult(files=files, dossiers=found["dossiers"], events=found["events"])
