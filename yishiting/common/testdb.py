"""Faster database resets for the tests that commit (transaction=True, live_server), loaded by the root conftest.py.

Such a test ends with Django's flush and the next one starts by reloading what the migrations wrote (content
types, permissions, the working-day calendar, the seeded catalogues: about 1,700 rows, `serialized_rollback`).
Django reloads them one `save()` at a time (two queries a row) and flushes PostgreSQL with one TRUNCATE of every
table (new files for ~200 tables and their indexes). Measured on a busy 2-core machine (load 20): 17-25 s to
reload and 9-11 s to flush, per test. Here the reload is one bulk INSERT … ON CONFLICT UPDATE per model (0.4 s)
and, where the test role may, the flush deletes rows instead of replacing files (0.1 s). What the test sees
afterwards is the same: the same rows with the same primary keys, empty tables elsewhere, sequences left as they
were (Django's flush does not reset them either)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations


def deserialize_db_from_string(self: BaseDatabaseCreation, data: str) -> None:
    """Django's reload (same transaction, same disabled and re-checked constraints) with one bulk INSERT per model
    in the order the models came; multi-table children and many-to-many values keep Django's own path."""
    connection = self.connection
    table_names: set[str] = set()
    with transaction.atomic(using=connection.alias):
        with connection.constraint_checks_disabled():
            batches: dict[type, list] = {}
            with_m2m = []
            for deserialized in serializers.deserialize("json", StringIO(data), using=connection.alias):
                model = type(deserialized.object)
                table_names.add(model._meta.db_table)
                if model._meta.parents:
                    deserialized.save()
                    continue
                batches.setdefault(model, []).append(deserialized.object)
                if deserialized.m2m_data:
                    with_m2m.append(deserialized)
            for model, objects in batches.items():
                _upsert(model, objects, connection.alias)
            for deserialized in with_m2m:
                for name, values in deserialized.m2m_data.items():
                    getattr(deserialized.object, name).set(values)
        connection.check_constraints(table_names=table_names)


def _upsert(model, objects: list, alias: str) -> None:
    """INSERT, or UPDATE the row of the same key: the first such test of a process finds the migrations' rows
    still there (the tests before it rolled back), as Django's save() would update them."""
    fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
    manager = model._base_manager.using(alias)
    if fields:
        manager.bulk_create(objects, batch_size=500, update_conflicts=True, unique_fields=[model._meta.pk.name],
                            update_fields=fields)
    else:
        manager.bulk_create(objects, batch_size=500, ignore_conflicts=True)


_django_sql_flush = PostgresOperations.sql_flush


def _may_skip_triggers(connection) -> bool:
    cached = getattr(connection, "_yishiting_superuser", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            cached = connection._yishiting_superuser = bool(cursor.fetchone()[0])
    return cached


def postgres_sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """DELETE every table, with triggers off for this transaction (`session_replication_role = replica`: the
    append-only guards and the foreign-key checks, which the emptied tables no longer need), when the test role
    is a superuser (CI's local PostgreSQL); otherwise Django's TRUNCATE. A flush that resets sequences or
    cascades keeps Django's statement."""
    if not tables or reset_sequences or allow_cascade or not _may_skip_triggers(self.connection):
        return _django_sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    deletes = " ".join(f"DELETE FROM {self.quote_name(table)};" for table in tables)
    return [f"SET LOCAL session_replication_role = replica; {deletes} SET LOCAL session_replication_role = origin;"]




# ---- one migration per run, cloned for each test process -----------------------------------------------------
# Each pytest-xdist worker used to migrate its own test database from nothing: about 60 s of CPU for ~100
# migrations, three to four minutes each on a busy machine. The first worker of a run now migrates a template
# (a file for SQLite, a database for PostgreSQL) and serializes it once; every worker copies it (SQLite's backup
# into its in-memory database, PostgreSQL's CREATE DATABASE … TEMPLATE), under a lock in a directory the workers
# share (YISHITING_TEST_SHARE: scripts/test.sh keeps one for both passes, so the PostgreSQL pass's console tests
# copy the SQLite pass's file instead of migrating again). Without xdist, or with --reuse-db, Django's own path.

_django_create_test_db = BaseDatabaseCreation.create_test_db
_django_destroy_test_db = BaseDatabaseCreation.destroy_test_db


def migrations_key() -> str:
    """Changes whenever a migration file or Django does: a template made from other migrations is never used."""
    import django

    digest = hashlib.sha256(django.get_version().encode())
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def share_dir() -> Path | None:
    share = os.environ.get("YISHITING_TEST_SHARE")
    return Path(share) if share and os.environ.get("PYTEST_XDIST_WORKER") else None


def sqlite_template(share: Path) -> Path:
    return share / f"migrated-{migrations_key()}.sqlite3"


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate_as(creation: BaseDatabaseCreation, name: str, verbosity: int) -> str:
    """Django's own creation and migration, under another test database name; returns the serialized rows."""
    test_settings = creation.connection.settings_dict["TEST"]
    old_name = test_settings.get("NAME")
    test_settings["NAME"] = name
    try:
        _django_create_test_db(creation, verbosity, autoclobber=True, serialize=False, keepdb=False)
        serialized = creation.serialize_db_to_string()
    finally:
        test_settings["NAME"] = old_name
        creation.connection.close()
    return serialized


def _use(creation: BaseDatabaseCreation, name: str) -> None:
    creation.connection.close()
    settings.DATABASES[creation.connection.alias]["NAME"] = name
    creation.connection.settings_dict["NAME"] = name


def _sqlite_clone(creation: BaseDatabaseCreation, share: Path, verbosity: int) -> str:
    template = sqlite_template(share)
    serialized_file = template.with_suffix(".json")
    with _locked(share / "sqlite.lock"):
        if not serialized_file.exists():
            building = template.with_suffix(f".{os.getpid()}.tmp")
            serialized = _migrate_as(creation, str(building), verbosity)
            os.replace(building, template)
            serialized_file.write_text(serialized)
    test_name = creation._get_test_db_name()
    if not creation.is_in_memory_db(test_name):
        return ""
    _use(creation, test_name)
    creation.connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(template)) as source:
        source.backup(creation.connection.connection)
    return test_name


def _postgres_template_name(test_name: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base = test_name.removesuffix(f"_{worker}")
    return f"{base}_tpl_{os.environ.get('PYTEST_XDIST_TESTRUNUID', 'run')[:8]}"[:63]


def _postgres_clone(creation: BaseDatabaseCreation, share: Path, verbosity: int) -> str:
    test_name = creation._get_test_db_name()
    template = _postgres_template_name(test_name)
    quote = creation.connection.ops.quote_name
    serialized_file = share / f"{template}.json"
    with _locked(share / f"{template}.lock"):
        with creation._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            exists = cursor.fetchone() is not None
        if not exists or not serialized_file.exists():
            serialized_file.write_text(_migrate_as(creation, template, verbosity))
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
            # A test database is thrown away: its commits need not wait for the WAL to reach the disk (a crash of
            # the PostgreSQL server could lose the last ones; the tests that kill -9 kill our processes, never it).
            cursor.execute(f"ALTER DATABASE {quote(test_name)} SET synchronous_commit TO off")
    _use(creation, test_name)
    return test_name


def create_test_db(self: BaseDatabaseCreation, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
    share = share_dir()
    vendor = self.connection.vendor
    if keepdb or share is None or vendor not in ("sqlite", "postgresql") \
            or self.connection.settings_dict["TEST"].get("MIGRATE") is False:
        return _django_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    name = _sqlite_clone(self, share, verbosity) if vendor == "sqlite" else _postgres_clone(self, share, verbosity)
    if not name:  # a file-backed SQLite test database (TEST NAME set): Django's way
        return _django_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    if serialize:
        serialized = sqlite_template(share).with_suffix(".json") if vendor == "sqlite" \
            else share / f"{_postgres_template_name(name)}.json"
        self.connection._test_serialized_contents = serialized.read_text()
    self.connection.ensure_connection()
    return name


def destroy_test_db(self: BaseDatabaseCreation, old_database_name=None, verbosity=1, keepdb=False, suffix=None):
    """Django's, then the PostgreSQL template goes with the last worker that still finds it unused."""
    test_name = self.connection.settings_dict["NAME"]
    _django_destroy_test_db(self, old_database_name, verbosity, keepdb, suffix)
    if self.connection.vendor == "postgresql" and not keepdb and share_dir() is not None:
        template = _postgres_template_name(test_name)
        try:
            with self._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(template)}")
        except Exception:  # another worker is copying it: that one drops it when it ends
            pass


def install() -> None:
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
    BaseDatabaseCreation.create_test_db = create_test_db
    BaseDatabaseCreation.destroy_test_db = destroy_test_db
    PostgresOperations.sql_flush = postgres_sql_flush
