"""PostgreSQL: the event log becomes a table partitioned by month of `at` (common.partitions; docs/partitions.md):
a partition per month its rows fall in, the current month and the next two, and a DEFAULT one. Every row, id,
index, foreign key and trigger is kept; the primary key becomes (id, at) and the (subject_type, subject_id, seq)
unique key (subject_type, subject_id, seq, at), as PostgreSQL requires. SQLite keeps the plain table; Django's
model is unchanged on both."""

from django.db import migrations


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from yishiting.common.partitions import rebuild_event_table

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE confrelid = to_regclass('common_event')")
        if cursor.fetchone()[0]:
            raise RuntimeError("common 0005: a foreign key still points at common_event; drop it first")
    rebuild_event_table(schema_editor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from yishiting.common.partitions import rebuild_event_table

    rebuild_event_table(schema_editor, partitioned=False)


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0004_job_request_id'),
        ('ledgers', '0004_entry_event_no_db_constraint'),
        ('handling', '0003_archive_dossier_immutable'),  # its trigger on common_event is carried over
    ]

    operations = [migrations.RunPython(partition, unpartition)]
