"""The event log becomes partitioned by month on PostgreSQL (common 0005), and a foreign key to a partitioned
table must reference a unique key holding the partition key, (id, at): the entries' `event` keeps no database
constraint there, and `yishiting verify` checks that every entry's event exists instead (ledgers.reconcile).
SQLite keeps its constraint (remaking the tables would drop their append-only triggers, and nothing there is
partitioned)."""

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("ledgers_pointentry", "ledgers_hourentry")


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("""SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'f'
                              AND confrelid = to_regclass('common_event')""", [table])
            for (name,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_event_id_fk_common_event_id "
                              f"FOREIGN KEY (event_id) REFERENCES common_event (id) DEFERRABLE INITIALLY DEFERRED")


def _field():
    return models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                             to='common.event', verbose_name='来源事件')


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0004_job_request_id'),
        ('ledgers', '0003_rule_points_by_rating'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name='hourentry', name='event', field=_field()),
                migrations.AlterField(model_name='pointentry', name='event', field=_field()),
            ],
            database_operations=[migrations.RunPython(drop_keys, add_keys)],
        ),
    ]
