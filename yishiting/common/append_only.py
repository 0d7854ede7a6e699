"""Tables the database keeps append-only: a row may be inserted, never updated or deleted (a correction is one
more row). One mechanism for every such ledger (ledgers' points and hours, trusts' fund entries):

- SQLite: BEFORE UPDATE/DELETE triggers that abort unless `yishiting_archive_writable()` answers 1 — the
  connection function handling.models.archive registers, 1 only inside `archive_maintenance()` (`flush`);
- PostgreSQL: a row trigger calling a function that raises SQLSTATE 23000 (TRUNCATE, which flush uses, fires
  no row trigger).

A migration lists `refuse_changes(...)` among its operations and depends on handling 0003 (the SQLite function).
"""

from __future__ import annotations

from django.db import migrations


def refuse_changes(tables: tuple[str, ...], message: str, function: str) -> list[migrations.RunPython]:
    """The two RunPython operations that make `tables` append-only; `message` starts with a stable code and a
    colon (the error a refused write carries); `function` names the PostgreSQL trigger function."""

    def sqlite_forward(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for table in tables:
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"WHEN NOT yishiting_archive_writable() BEGIN SELECT RAISE(ABORT, '{message}'); END")

    def sqlite_backward(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for table in tables:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")

    def postgres_forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{message}'; END $$;
        """)
        for table in tables:
            schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                                  f"FOR EACH ROW EXECUTE FUNCTION {function}()")

    def postgres_backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")

    return [migrations.RunPython(sqlite_forward, sqlite_backward),
            migrations.RunPython(postgres_forward, postgres_backward)]
