"""The ledgers are append-only in the database too: a points or hours line can be neither updated nor deleted
(a correction is a new line). On SQLite the triggers ask handling's `yishiting_archive_writable()` (1 only
inside `archive_maintenance()`, which `flush` uses); on PostgreSQL `TRUNCATE` (flush) fires no row trigger."""

from django.db import migrations

REFUSE = "ledger_append_only: 积分和时长明细只能追加，不能修改或删除。"
TABLES = ("ledgers_pointentry", "ledgers_hourentry")


def sqlite_forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"WHEN NOT yishiting_archive_writable() BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END")


def sqlite_backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


def postgres_forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"""
        CREATE FUNCTION ledgers_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{REFUSE}'; END $$;
    """)
    for table in TABLES:
        schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION ledgers_refuse_change()")


def postgres_backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS ledgers_refuse_change()")


class Migration(migrations.Migration):

    dependencies = [
        ("ledgers", "0001_initial"),
        ("handling", "0003_archive_dossier_immutable"),
    ]

    operations = [
        migrations.RunPython(sqlite_forward, sqlite_backward),
        migrations.RunPython(postgres_forward, postgres_backward),
    ]
